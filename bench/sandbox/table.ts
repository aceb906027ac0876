// Pure helpers of the sandbox bench: where throughput stops growing, and the printed table.

export interface BenchPoint {
  instances: number;
  vus: number;
  rps: number;
  p95Ms: number;
  errorRate: number;
  /** CPU cores the sandbox used (all its processes), from process_cpu_seconds_total over the run. */
  cpuCores: number;
}

/**
 * The first concurrency whose throughput is within `gain` (10 %) of the previous level's: beyond it, more
 * clients only queue. Undefined when throughput still grows at the highest level measured.
 */
export function saturationVus(points: readonly BenchPoint[], gain = 0.1): number | undefined {
  const sorted = [...points].sort((a, b) => a.vus - b.vus);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.rps < sorted[i - 1]!.rps * (1 + gain)) return sorted[i - 1]!.vus;
  }
  return undefined;
}

export function formatTable(points: readonly BenchPoint[]): string {
  const rows = [['instances', 'VUs', 'req/s', 'p95 ms', 'errors', 'CPU cores']];
  for (const p of points) {
    rows.push([String(p.instances), String(p.vus), p.rps.toFixed(0), p.p95Ms.toFixed(1), `${(p.errorRate * 100).toFixed(2)} %`, p.cpuCores.toFixed(2)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => '| ' + r.map((v, c) => v.padStart(widths[c]!)).join(' | ') + ' |';
  const out = [line(rows[0]!), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.slice(1).map(line)];
  const byInstances = new Map<number, BenchPoint[]>();
  for (const p of points) byInstances.set(p.instances, [...(byInstances.get(p.instances) ?? []), p]);
  out.push('');
  for (const [n, ps] of byInstances) {
    const s = saturationVus(ps);
    const best = ps.reduce((a, b) => (b.rps > a.rps ? b : a));
    out.push(`${n} instance(s): peak ${best.rps.toFixed(0)} req/s at ${best.vus} VUs; ` +
      (s === undefined ? 'still growing at the highest concurrency measured' : `saturated from ${s} VUs (next level adds < 10 % throughput)`));
  }
  return out.join('\n');
}
