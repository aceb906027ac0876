// Pure helpers of the sandbox bench: where throughput stops growing, and the printed table.

export interface BenchPoint {
  /** Which sandbox stack (embedded Node balancer + SQLite, or the full nginx/PostgreSQL/Redis one). */
  stack?: 'embedded' | 'full';
  instances: number;
  vus: number;
  rps: number;
  p95Ms: number;
  errorRate: number;
  /** CPU cores the sandbox used (all its processes), from process_cpu_seconds_total over the run. */
  cpuCores: number;
}

/**
 * The saturation point: the lowest concurrency that already reaches `share` (90 %) of the peak throughput.
 * Beyond it more clients mostly queue (p95 grows, req/s does not). Peak-relative, so one noisy level on a
 * shared machine does not end the search early. Undefined when the peak is at the highest level measured
 * and the level below is under the share: throughput was still growing.
 */
export function saturationVus(points: readonly BenchPoint[], share = 0.9): number | undefined {
  const sorted = [...points].sort((a, b) => a.vus - b.vus);
  if (sorted.length === 0) return undefined;
  const peak = Math.max(...sorted.map((p) => p.rps));
  const first = sorted.find((p) => p.rps >= share * peak)!;
  return first === sorted.at(-1) && sorted.length > 1 ? undefined : first.vus;
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
      (s === undefined ? 'still growing at the highest concurrency measured' : `saturated from ${s} VUs (reaches 90 % of peak req/s)`));
  }
  return out.join('\n');
}
