// Loads thresholds.json: validates it against the schema, then parses every criterion into typed objectives, so a
// bad file fails before any run starts (k6's parse-once idea), with one line naming file, key and reason.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { regularFile } from '../input-files.js';
import { LIMITS } from '../input-limits.js';
import { validateOrThrow } from '../validate.js';
import { parseCriterion, type Criterion } from './criteria.js';
import { globToRegExp, isGlob } from './glob.js';
import { parseK6Expression, type K6Expression } from './k6-expression.js';
import {
  METRIC_KEYS, THRESHOLDS_SCHEMA, ThresholdsFile, type CapacitySection, type MetricKey, type ObjectiveSpec, type TargetsSpec,
} from './schema.js';

export const DEFAULT_THRESHOLDS_FILE = 'thresholds.json';

/**
 * The thresholds file a command uses: `file` (default ./thresholds.json) resolved against the command's working
 * directory, the injected one (`io.cwd`), never the process's.
 */
export function thresholdsPath(cwd: string, file: string = DEFAULT_THRESHOLDS_FILE): string {
  return resolve(cwd, file);
}
export const DEFAULT_MIN_SAMPLES = 100;

/** One target on one metric: pass criteria (all must hold) and an optional looser warn tier. */
export interface Objective {
  readonly metric: MetricKey;
  readonly pass: readonly Criterion[];
  readonly warn?: readonly Criterion[];
}

/** Targets by metric; null removes a target inherited from a wider scope. */
export type ObjectiveSet = Partial<Record<MetricKey, Objective | null>>;

export interface EndpointRule {
  readonly glob: string;
  readonly regex: RegExp;
  readonly minSamples?: number;
  readonly targets: ObjectiveSet;
  /** Its endpoints' sequential decisions gate the run (thresholds.json `"gating": true`). */
  readonly gating?: boolean;
}

export interface ProfileRule {
  readonly glob: string;
  readonly regex: RegExp;
  readonly minSamples?: number;
  readonly targets: ObjectiveSet;
  readonly endpoints: readonly EndpointRule[];
}

export interface BaselineRule {
  readonly alpha: number;
  /** A fraction: 0.1 for "10%". */
  readonly maxLatencyShift: number;
  readonly errorRate: boolean;
  readonly correction: 'bonferroni' | 'none';
}

/** thresholds.json, validated and parsed: what the gate and the k6 translation work from. */
export interface Thresholds {
  readonly file: string;
  /** SHA-256 (hex) of the file's bytes (of its JSON text when parsed from data): which targets judged a run. */
  readonly sha256: string;
  readonly minSamples: number;
  /** Statuses counted as errors besides k6's failed requests. */
  readonly errorsAlsoCount: readonly string[];
  readonly judgeEndpoints: boolean;
  readonly targets: ObjectiveSet;
  readonly endpoints: readonly EndpointRule[];
  readonly profiles: readonly ProfileRule[];
  readonly baseline: BaselineRule;
  readonly capacity?: CapacitySection;
  /** k6 expressions on any metric or submetric (the `k6` section), parsed. */
  readonly k6?: Readonly<Record<string, readonly K6Expression[]>>;
  /** Availability target (a fraction) and outage rules of runs with a fault plan; absent: the document's 99.9 %. */
  readonly availability?: { readonly target: number; readonly outageBelow?: number; readonly recoverHoldS?: number };
}

export { globToRegExp, isGlob };

function fail(file: string, key: string, reason: string): never {
  throw new ConectaError(`${file}: ${key}: ${reason}`, ExitCode.USAGE);
}

function criteriaOf(spec: string | string[], metric: MetricKey, file: string, key: string): Criterion[] {
  return (Array.isArray(spec) ? spec : [spec]).map((text, i) => {
    const c = parseCriterion(text, metric);
    if (typeof c === 'string') fail(file, Array.isArray(spec) ? `${key}.${i}` : key, c);
    return c;
  });
}

function objectiveOf(spec: ObjectiveSpec, metric: MetricKey, file: string, key: string): Objective | null {
  if (spec === false) return null;
  if (typeof spec === 'string' || Array.isArray(spec)) {
    return { metric, pass: criteriaOf(spec, metric, file, key) };
  }
  const o: Objective = {
    metric,
    pass: criteriaOf(spec.pass, metric, file, `${key}.pass`),
    ...(spec.warn !== undefined ? { warn: criteriaOf(spec.warn, metric, file, `${key}.warn`) } : {}),
  };
  return o;
}

function objectivesOf(spec: Partial<TargetsSpec>, file: string, key: string): ObjectiveSet {
  const out: ObjectiveSet = {};
  for (const metric of METRIC_KEYS) {
    const s = spec[metric];
    if (s !== undefined) out[metric] = objectiveOf(s, metric, file, `${key}.${metric}`);
  }
  return out;
}

function endpointRulesOf(spec: ThresholdsFile['endpoints'], file: string, key: string): EndpointRule[] {
  return Object.entries(spec ?? {}).map(([glob, o]) => {
    const { minSamples, gating, ...targets } = o;
    return {
      glob,
      regex: globToRegExp(glob),
      targets: objectivesOf(targets, file, `${key}.${glob}`),
      ...(minSamples !== undefined ? { minSamples } : {}),
      ...(gating !== undefined ? { gating } : {}),
    };
  });
}

// toPrecision: 99.9 / 100 is 0.9990000000000001 in binary; the target should read as written.
const percent = (text: string) => Number((Number(/(\d+(?:\.\d+)?)%$/.exec(text)![1]) / 100).toPrecision(12));

function availabilityOf(f: ThresholdsFile): NonNullable<Thresholds['availability']> {
  const r = f.resilience;
  return {
    target: f.availability ? percent(f.availability) : 0.999,
    ...(r?.outageBelow ? { outageBelow: percent(r.outageBelow) } : {}),
    ...(r?.recoverHoldS ? { recoverHoldS: r.recoverHoldS } : {}),
  };
}

/** Parses already-read JSON (validated here); `file` names it in errors. */
/**
 * thresholds.json once took k6's abortOnFail/delayAbortEval, when its targets were also handed to k6; the gate is now
 * their one judge, and stopping a run on a decided verdict is `run --gate --until-decided`. Said in one line rather
 * than as the validator's generic union error. Walked without recursion: the file may be nested deep.
 */
function refuseK6Aborts(data: unknown, file: string): void {
  const stack: [unknown, string][] = [[data, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    for (const [k, child] of Object.entries(v)) {
      const key = at ? `${at}.${k}` : k;
      if (k === 'abortOnFail' || k === 'delayAbortEval') {
        fail(file, key, 'is k6\'s option, not a gate target\'s: the gate judges thresholds.json (stop a run once decided with `run --gate --until-decided`; k6 thresholds belong in the script)');
      }
      stack.push([child, key]);
    }
  }
}

export function parseThresholds(data: unknown, file: string, sha256 = sha256Of(JSON.stringify(data))): Thresholds {
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (typeof data === 'object' && data !== null && schema !== THRESHOLDS_SCHEMA) {
    fail(file, 'schema', `is ${JSON.stringify(schema)}, expected "${THRESHOLDS_SCHEMA}"`);
  }
  refuseK6Aborts(data, file);
  const f = validateOrThrow(ThresholdsFile, data, file, ExitCode.USAGE);
  const shift = f.baseline?.maxLatencyShift;
  return {
    file,
    sha256,
    minSamples: f.minSamples ?? DEFAULT_MIN_SAMPLES,
    errorsAlsoCount: f.errors?.alsoCount ?? [],
    judgeEndpoints: f.judgeEndpoints ?? true,
    targets: objectivesOf(f.targets, file, 'targets'),
    endpoints: endpointRulesOf(f.endpoints, file, 'endpoints'),
    profiles: Object.entries(f.profiles ?? {}).map(([glob, p]) => ({
      glob,
      regex: globToRegExp(glob),
      targets: objectivesOf(p.targets ?? {}, file, `profiles.${glob}.targets`),
      endpoints: endpointRulesOf(p.endpoints, file, `profiles.${glob}.endpoints`),
      ...(p.minSamples !== undefined ? { minSamples: p.minSamples } : {}),
    })),
    baseline: {
      alpha: f.baseline?.alpha ?? 0.05,
      maxLatencyShift: shift === undefined ? 0.1 : Number(shift.slice(0, -1)) / 100,
      errorRate: f.baseline?.errorRate ?? true,
      correction: f.baseline?.correction ?? 'bonferroni',
    },
    ...(f.capacity ? { capacity: f.capacity } : {}),
    ...(f.k6 ? { k6: k6SectionOf(f.k6, file) } : {}),
    ...(f.availability || f.resilience ? { availability: availabilityOf(f) } : {}),
  };
}

function k6SectionOf(spec: Record<string, string | string[]>, file: string): Record<string, K6Expression[]> {
  const out: Record<string, K6Expression[]> = {};
  for (const [metric, list] of Object.entries(spec)) {
    out[metric] = (Array.isArray(list) ? list : [list]).map((text, i) => {
      const e = parseK6Expression(text);
      if (typeof e === 'string') fail(file, Array.isArray(list) ? `k6.${metric}.${i}` : `k6.${metric}`, e);
      return e;
    });
  }
  return out;
}

/** Reads, validates and parses a thresholds file (its path from `thresholdsPath`); errors exit 2 with one line. */
export function loadThresholds(file: string): Thresholds {
  const path = resolve(file);
  // Bounded and regular: /dev/zero would be read until memory runs out, a FIFO with no writer would block the open.
  regularFile(path, LIMITS.maxThresholdsBytes, ExitCode.USAGE);
  const bytes = readFileSync(path);
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ConectaError(`${path}: not valid JSON (${(e as Error).message})`, ExitCode.USAGE);
  }
  return parseThresholds(data, file, sha256Of(bytes));
}

/**
 * The thresholds of a command that judges only when asked (`run`): with `required` (`--gate`), or a file named
 * explicitly, the file must be there (loadThresholds' errors stand); otherwise ./thresholds.json is read when it is
 * there (a fault plan's availability target comes from it) and its absence is no error — a user's own script with
 * only its own k6 thresholds needs none.
 */
export function thresholdsIfAny(cwd: string, file: string | undefined, required: boolean): Thresholds | undefined {
  const path = thresholdsPath(cwd, file);
  if (!required && file === undefined && !existsSync(path)) return undefined;
  return loadThresholds(path);
}

function sha256Of(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
