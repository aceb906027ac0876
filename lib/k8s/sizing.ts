// What one k6 runner needs in CPU and memory for its share of VUs, from k6 v2.2.0 measured running the `mix` bundle
// (closed model, think time 1–5 s, raw JSON output gzipped) against the sandbox; README "Beyond one machine".

/**
 * k6's peak resident memory, a fixed part plus a part per VU: measured 105, 221 and 468 MiB at 100, 300 and 600 VUs
 * (least squares 19.6 + 0.735/VU); this is the line above all three points.
 */
export const K6_RSS_BASE_MIB = 30;
export const K6_RSS_PER_VU_MIB = 0.75;
/** k6's CPU per request (user + system, its JSON output included): measured 1.15, 0.82 and 0.75 ms; the highest, rounded up. */
export const K6_CPU_MS_PER_REQUEST = 1.2;
/** Requests per second one VU of `mix` makes at steady state with the default think time (measured 0.330–0.336). */
export const MIX_REQUESTS_PER_VU_S = 0.33;
/** Headroom over the measured figures: a runner at its limit measures itself, not the target. */
export const HEADROOM = 2;

export interface RunnerSize {
  cpu: string;
  memory: string;
  /** The figures behind them, for the README and the summary. */
  expectedRssMiB: number;
  expectedCores: number;
}

/** Requests and limits for a runner of `vus` VUs: memory rounded up to 256 MiB, CPU to half a core (at least 1). */
export function runnerSize(vus: number): RunnerSize {
  const expectedRssMiB = K6_RSS_BASE_MIB + K6_RSS_PER_VU_MIB * vus;
  const expectedCores = (vus * MIX_REQUESTS_PER_VU_S * K6_CPU_MS_PER_REQUEST) / 1000;
  const memMiB = Math.ceil((expectedRssMiB * HEADROOM) / 256) * 256;
  const cores = Math.max(1, Math.ceil(expectedCores * HEADROOM * 2) / 2);
  return { cpu: String(cores), memory: `${memMiB}Mi`, expectedRssMiB, expectedCores };
}
