# Runs Apache Otava's detector (apache-otava on PyPI; NOT a dependency of conecta-load) on the series of a JSON file
# {name: [values]} and prints {name: [0-based change-point indices]}, with the same settings as conecta-load's
# detector: window 50, max p-value 0.001, min magnitude 0.
# Usage: python bench/changepoints/otava_compare.py series.json > otava.json   (in a venv with `pip install apache-otava`)
import json
import sys
import time

from otava.analysis import compute_change_points

series = json.load(open(sys.argv[1]))
out = {}
for name, values in series.items():
    cps, _weak = compute_change_points(list(values), window_len=50, max_pvalue=0.001, min_magnitude=0.0)
    out[name] = [int(c.index) for c in cps]
if 'long-1000' in series:
    ts = []
    for _ in range(7):
        t0 = time.perf_counter()
        compute_change_points(list(series['long-1000']), window_len=50, max_pvalue=0.001, min_magnitude=0.0)
        ts.append(time.perf_counter() - t0)
    print(f"otava: 1000-run series, median of 7: {sorted(ts)[3] * 1000:.1f} ms", file=sys.stderr)
json.dump(out, sys.stdout)
