// A user's own k6 script as a run's source: bundled (lib/bundle/script.ts), then read by k6 itself (`k6 inspect
// --execution-requirements`, with the run's environment) for its options, peak VUs and length — what the run's plan
// (lib/run/plan.ts) needs before any load. A script k6 rejects gets one line naming the file and k6's message, exit 6.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScript, scriptRejected, type ScriptBundle } from '../bundle/script.js';
import type { Io } from '../io.js';
import { inspectScript, k6Message } from '../k6/inspect.js';
import { ensureK6 } from '../k6/install.js';
import { parseDurationS } from './duration.js';

/** k6's reading of the script's options (`k6 inspect --execution-requirements`), the fields a plan reads. */
export interface ScriptOptions {
  vus?: number;
  durationS?: number;
  stages?: { durationS: number; target: number }[];
  /** Scenario name → its executor and exec function (the default scenario included when the script declares none). */
  scenarios: Record<string, { executor: string; exec?: string }>;
  thresholds: Record<string, string[]>;
  maxVUs: number;
  /** The longest the test can take, graceful stops included. */
  totalDurationS: number;
}

export interface ScriptSource extends ScriptBundle {
  options: ScriptOptions;
}

/** Bundles `path` and asks k6 how it reads it with `env` (TARGET and the user's -e variables). */
export async function loadScript(path: string, cwd: string, k6: string, env: Record<string, string | undefined>): Promise<ScriptSource> {
  const bundle = await bundleScript(path, cwd);
  const dir = mkdtempSync(join(tmpdir(), 'conecta-script-'));
  const file = join(dir, `${bundle.name}.js`);
  try {
    writeFileSync(file, bundle.code);
    let json: unknown;
    try {
      json = await inspectScript(k6, file, env, true);
    } catch (e) {
      // k6 names the bundle it read; the user knows the script.
      throw scriptRejected(bundle.file, k6Message(e).split(`file://${file}`).join(bundle.file).split(file).join(bundle.file));
    }
    return { ...bundle, options: scriptOptions(json) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Raw = Record<string, unknown> | null | undefined;
const durationOf = (v: unknown): number | undefined => (typeof v === 'string' && v !== '' ? parseDurationS(v) : undefined);

/** The fields of k6's inspect JSON a plan reads (pure). */
export function scriptOptions(json: unknown): ScriptOptions {
  const o = (json ?? {}) as Record<string, unknown>;
  const scenarios: ScriptOptions['scenarios'] = {};
  for (const [name, s] of Object.entries((o.scenarios ?? {}) as Record<string, Raw>)) {
    scenarios[name] = { executor: String(s?.executor ?? ''), ...(typeof s?.exec === 'string' ? { exec: s.exec } : {}) };
  }
  const thresholds: ScriptOptions['thresholds'] = {};
  for (const [name, list] of Object.entries((o.thresholds ?? {}) as Record<string, unknown>)) {
    const items = Array.isArray(list) ? list : [list];
    thresholds[name] = items.flatMap((x) => (typeof x === 'string' ? [x] : typeof (x as Raw)?.threshold === 'string' ? [String((x as Raw)!.threshold)] : []));
  }
  const stages = Array.isArray(o.stages)
    ? (o.stages as Raw[]).map((s) => ({ durationS: durationOf(s?.duration) ?? 0, target: Number(s?.target ?? 0) }))
    : undefined;
  const durationS = durationOf(o.duration);
  return {
    ...(typeof o.vus === 'number' ? { vus: o.vus } : {}),
    ...(durationS !== undefined ? { durationS } : {}),
    ...(stages ? { stages } : {}),
    scenarios,
    thresholds,
    maxVUs: typeof o.maxVUs === 'number' ? o.maxVUs : 1,
    totalDurationS: durationOf(o.totalDuration) ?? 0,
  };
}

/** `loadScript` for a run against `target`: k6 provisioned first, the script read with the environment the run
 *  will give it (TARGET, the user's -e variables). */
export async function loadScriptForRun(path: string, target: string, env: Record<string, string>, io: Io): Promise<ScriptSource> {
  const k6 = await ensureK6(io);
  return loadScript(path, io.cwd, k6.path, { ...io.env, TARGET: target, ...env });
}
