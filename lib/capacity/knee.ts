// Knee of a curve by the Kneedle method (Satopää et al., 2011), offline form: where latency starts to climb
// steeply as load grows. Both axes are normalised to [0, 1]; for a convex increasing curve the difference curve
// is x̂ − ŷ; its first local maximum is a knee once the curve afterwards falls below max − S·mean(Δx̂).

export interface KneeOptions {
  /** Kneedle's sensitivity S: higher is more conservative (paper: 1). */
  sensitivity?: number;
  /** Curve shape: latency vs load is convex (default); throughput vs load is concave. */
  curve?: 'convex' | 'concave';
}

/** The x at the knee, or null when no point passes the threshold (too straight, too few points, flat). */
export function kneedle(xs: readonly number[], ys: readonly number[], opts: KneeOptions = {}): number | null {
  const s = opts.sensitivity ?? 1;
  const curve = opts.curve ?? 'convex';
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const x = order.map((i) => xs[i]!);
  const y = order.map((i) => ys[i]!);
  const n = x.length;
  if (n < 3) return null;
  const norm = (v: number[]) => {
    const lo = Math.min(...v), hi = Math.max(...v);
    return hi > lo ? v.map((u) => (u - lo) / (hi - lo)) : null;
  };
  const xn = norm(x), yn = norm(y);
  if (!xn || !yn) return null;
  const diff = xn.map((v, i) => (curve === 'convex' ? v - yn[i]! : yn[i]! - v));
  const meanStep = (xn[n - 1]! - xn[0]!) / (n - 1);
  let threshold: number | null = null;
  let candidate = -1;
  for (let i = 1; i < n - 1; i++) {
    if (diff[i]! >= diff[i - 1]! && diff[i]! >= diff[i + 1]!) {
      candidate = i;
      threshold = diff[i]! - s * meanStep;
    }
    if (threshold !== null && diff[i + 1]! < threshold) return diff[candidate]! > 0 ? x[candidate]! : null;
  }
  return null;
}
