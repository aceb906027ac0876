# Reference values pinned in mixture.test.ts (run: python3 mixture-reference.py; mpmath 1.3.0, ~20 s).
# The beta-binomial mixture martingale with the
# Jeffreys prior, by numerical integration over p (mpmath.quad at 20 digits), and its interval by root finding.
from mpmath import mp, mpf, quad, log, beta, findroot, pi, sin
mp.dps = 20
a = b = mpf('0.5')
def M(k, n, p0):
    f = lambda p: (p/p0)**k * ((1-p)/(1-p0))**(n-k) * p**(a-1)*(1-p)**(b-1) / beta(a, b)
    return quad(f, [0, p0, 1])
def bounds(k, n, alpha):
    lvl = log(1/mpf(alpha))
    g = lambda p: log(M(k, n, p)) - lvl
    def bis(lo, hi):
        glo = g(lo)
        for _ in range(60):
            m = (lo+hi)/2
            if (g(m) < 0) == (glo < 0): lo = m; glo = g(m)
            else: hi = m
        return (lo+hi)/2
    mid = mpf(k)/n
    lower = 0 if k == 0 else bis(mpf('1e-12'), mid)
    upper = 1 if k == n else bis(max(mid, mpf('1e-12')), 1-mpf('1e-12'))
    return lower, upper
for (k, n, p0) in [(2, 5, '0.3'), (3, 40, '0.05'), (0, 100, '0.05')]:
    print('logM', k, n, p0, mp.nstr(log(M(k, n, mpf(p0))), 17))
for (k, n, al) in [(3, 40, '0.05'), (0, 100, '0.05'), (12, 200, '0.05'), (50, 1000, '0.05')]:
    lo, hi = bounds(k, n, al)
    print('bounds', k, n, al, mp.nstr(lo, 15), mp.nstr(hi, 15))
