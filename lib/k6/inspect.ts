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
    return thresholdsOfInspect(await inspectScript(k6, script, env));
  } catch (e) {
    throw new ConectaError(`k6 inspect ${script}: ${k6Message(e)}`, ExitCode.USAGE);
  }
}

/** k6's own reading of a script: its options, and with `executionRequirements` its `maxVUs` and `totalDuration`.
 *  Rejects when k6 cannot load the script (`k6Message` gives k6's line). */
export async function inspectScript(k6: string, script: string, env: Record<string, string | undefined>, executionRequirements = false): Promise<unknown> {
  const { stdout } = await run(k6, ['inspect', ...(executionRequirements ? ['--execution-requirements'] : []), script], {
    env: env as NodeJS.ProcessEnv, maxBuffer: 16 * 1024 * 1024, timeout: 60_000,
  });
  return JSON.parse(stdout) as unknown;
}

/** The line that says why k6 refused a script: its error's `msg` when it logged one, else its first line. */
export function k6Message(e: unknown): string {
  const text = (e as { stderr?: string }).stderr || (e as Error).message;
  const line = text.split('\n').find((l) => /level=(error|fatal)/.test(l)) ?? text.split('\n').find((l) => l.trim()) ?? 'failed';
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replace(/\\n\s*/g, ' ').replace(/\\t/g, ' ').replace(/\\"/g, '"') ?? line;
  return msg.slice(0, 300);
}
