// The thresholds a k6 script declares, as k6 itself reads them (`k6 inspect`): k6's JSON output carries a metric's
// own thresholds but not its submetrics' (`http_req_duration{scenario:a}`), so the gate asks k6 for the full set.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ConectaError, ExitCode } from '../exit-codes.js';

const run = promisify(execFile);

/** metric (or submetric) name → threshold expressions as written. */
export type DeclaredThresholds = Record<string, string[]>;

/** Reads `thresholds` from k6's `inspect` JSON; entries are strings or `{threshold, abortOnFail, …}` objects. */
export function thresholdsOfInspect(json: unknown): DeclaredThresholds {
  const t = (json as { thresholds?: unknown } | null)?.thresholds;
  const out: DeclaredThresholds = {};
  if (typeof t !== 'object' || t === null) return out;
  for (const [name, list] of Object.entries(t as Record<string, unknown>)) {
    const items = Array.isArray(list) ? list : [list];
    out[name] = items.flatMap((x) =>
      typeof x === 'string' ? [x] : typeof (x as { threshold?: unknown })?.threshold === 'string' ? [(x as { threshold: string }).threshold] : [],
    );
  }
  return out;
}

/** Runs `k6 inspect <script>` with the script's environment; a script k6 cannot load is a usage error. */
export async function inspectThresholds(k6: string, script: string, env: Record<string, string | undefined>): Promise<DeclaredThresholds> {
  try {
    const { stdout } = await run(k6, ['inspect', script], { env: env as NodeJS.ProcessEnv, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
    return thresholdsOfInspect(JSON.parse(stdout));
  } catch (e) {
    const msg = ((e as { stderr?: string }).stderr || (e as Error).message).split('\n').find((l) => l.trim()) ?? 'failed';
    throw new ConectaError(`k6 inspect ${script}: ${msg.slice(0, 300)}`, ExitCode.USAGE);
  }
}
