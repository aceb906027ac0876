// What `gate` and `run --gate` do: judge one or more run directories against thresholds.json (and optionally a
// baseline) into <run-dir>/verdict.json, print the table, write JUnit / Markdown / JSON, speak GitHub Actions,
// record the run in the history. Errors are thrown as ConectaError; cli/main.ts turns them into exit codes.

import { appendFileSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { renderAnnotations } from './render-annotations.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import { judgeRuns } from './verdict-file.js';
import { autoBaseline, stepRows, withSteps, type AutoBaseline } from './baseline-auto.js';
import { judgeSequentially, SEQUENTIAL_ALPHA } from './sequential/judge.js';
import { renderPlan, renderSequential } from './sequential/render.js';
import { planSequential } from './sequential/plan.js';
import { assertJudgeable, unjudgeableCriteria } from './sequential/criteria.js';
import { peakUsers, resolveProfile } from '../../scenarios/profiles.js';
import { addEntry, entryOf, lastPass, pruneHistory } from '../history/index.js';
import { DEFAULT_HISTORY_FILE, DEFAULT_HISTORY_KEEP, readHistory, updateHistory } from '../history/store.js';
import type { Io } from '../io.js';
import { readRunResult } from '../result/store.js';
import type { RunResult } from '../result/schema.js';
import type { Verdict } from './schema.js';
import { loadThresholds, thresholdsPath, type Thresholds } from '../thresholds/load.js';

export interface GateOptions {
  /** thresholds.json path (default ./thresholds.json), relative to io.cwd. */
  readonly thresholds?: string;
  /** Already loaded thresholds (`run --gate` loads them before running); wins over `thresholds`. */
  readonly loadedThresholds?: Thresholds;
  /** A run directory, "last-pass" (the last passing run of this scenario and profile in the history), or "auto"
   *  (the passing runs since the last change point, pooled). */
  readonly baseline?: string;
  readonly junit?: string;
  readonly markdown?: string;
  readonly json?: string;
  /** Profile whose targets apply (default: the run's). */
  readonly profile?: string;
  /** History index file (default results/history.json); false: do not record this run. */
  readonly history?: string | false;
  /** Also judge the k6 script's own thresholds (recorded in result.json). */
  readonly k6Thresholds?: boolean;
  /** Replay the run's per-second timeline through the sequential gate: each criterion's anytime-valid decision
   *  and the second it was reached; the verdict rests on the gating criteria's decisions. */
  readonly sequential?: boolean;
  /** What a live sequential gate decided while the run went on (`run --until-decided`: `LiveGate.refine`), put
   *  into the verdict before judgeRuns writes it. One run only. */
  readonly refine?: (v: Verdict, result: RunResult) => Verdict;
}

/** Judges `runDirs` and reports; returns the verdict's exit code (0 pass/warn, 1 fail, 3 inconclusive). */
export async function runGateCommand(runDirs: readonly string[], opts: GateOptions, io: Io): Promise<number> {
  if (runDirs.length === 0) throw new ConectaError('gate: give at least one run directory', ExitCode.USAGE);
  const at = (p: string) => resolve(io.cwd, p);
  const thresholds = opts.loadedThresholds ?? loadThresholds(thresholdsPath(io.cwd, opts.thresholds));
  const dirs = runDirs.map(at);
  const results: RunResult[] = dirs.map((d) => readRunResult(d));
  const historyFile = opts.history === false ? undefined : at(opts.history ?? DEFAULT_HISTORY_FILE);
  const profile = opts.profile ?? results[0]!.meta.profile;
  // Before any other work: a criterion the sequence cannot judge, or several runs (one timeline each), is a usage error.
  const sequential = opts.sequential
    ? judgeSequentially(results, thresholds, profile, SEQUENTIAL_ALPHA)
    : opts.refine ? (v: Verdict) => opts.refine!(v, results[0]!) : undefined;

  let baseline: RunResult[] | undefined;
  let baselineDir: string | undefined;
  let auto: AutoBaseline | undefined;
  if (opts.baseline === 'auto') {
    auto = historyFile ? autoBaseline(readHistory(historyFile), results[0]!.meta.scenario, profile, dirs, (d) => existsSync(d)) : undefined;
    if (auto) baseline = auto.pooled.flatMap((e) => e.dirs.map((d) => readRunResult(d)));
    baselineDir = auto?.pooled[0]!.dirs[0];
    if (!auto) io.stderr(`gate: no passing run of ${results[0]!.meta.scenario}/${profile} in the history yet; judging without a baseline\n`);
  } else if (opts.baseline === 'last-pass') {
    const h = historyFile ? readHistory(historyFile) : undefined;
    const found = h && lastPass(h, results[0]!.meta.scenario, profile, dirs, (d) => existsSync(d));
    if (found) {
      baseline = found.dirs.map((d) => readRunResult(d));
      baselineDir = found.dirs[0];
    } else {
      io.stderr(`gate: no passing run of ${results[0]!.meta.scenario}/${profile} in the history yet; judging without a baseline\n`);
    }
  } else if (opts.baseline !== undefined) {
    baselineDir = at(opts.baseline);
    baseline = [readRunResult(baselineDir)];
  }

  // A result.json given instead of its directory: the verdict goes beside it.
  const runDirsOf = dirs.map((d) => (statSync(d).isDirectory() ? d : dirname(d)));
  const verdict = judgeRuns(runDirsOf, results, thresholds, {
    profile,
    judgedAt: new Date(io.now()).toISOString(),
    ...(baseline ? { baseline } : {}),
    ...(opts.k6Thresholds ? { k6Thresholds: true } : {}),
  }, (judged) => {
    const v = sequential ? sequential(judged) : judged;
    return auto ? withSteps(v, auto, stepRows(auto, entryOf(dirs, results, v))) : v;
  });

  io.stdout(renderText(verdict));
  if (verdict.sequential) io.stdout('\n' + renderSequential(verdict));
  if (opts.junit) writeFileAtomic(at(opts.junit), renderJunit(verdict));
  if (opts.markdown) writeFileAtomic(at(opts.markdown), renderMarkdown(verdict));
  if (opts.json) writeFileAtomic(at(opts.json), JSON.stringify(verdict, null, 2) + '\n');
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, renderMarkdown(verdict) + '\n');
  if (io.env.GITHUB_ACTIONS === 'true') io.stdout(renderAnnotations(verdict));
  if (historyFile) {
    // The verdict is already judged, printed and kept in verdict.json: a history that cannot be written (full or
    // read-only disk) costs a warning, not the verdict's exit code — CI must still see FAIL as 1, not as an I/O error.
    try {
      await updateHistory(historyFile, (h) => pruneHistory(addEntry(h, entryOf(dirs, results, verdict, baselineDir)), DEFAULT_HISTORY_KEEP));
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      io.stderr(`gate: the verdict stands, but this run is not in the history ${historyFile}: ${why}\n`);
    }
  }
  return verdict.exitCode;
}

export interface GatePlanOptions {
  readonly profile: string;
  readonly scale?: number;
  /** A baseline run directory; default: the history's last passing run of `scenario` and the profile. */
  readonly from?: string;
  readonly scenario?: string;
  readonly thresholds?: string;
  readonly history?: string;
}

/** `gate plan`: how long the profile must run for the sequential gate to decide each criterion. Returns 0. */
export function runGatePlan(o: GatePlanOptions, io: Io): number {
  const at = (p: string) => resolve(io.cwd, p);
  const thresholds = loadThresholds(thresholdsPath(io.cwd, o.thresholds));
  assertJudgeable(unjudgeableCriteria(thresholds, o.profile));
  let profile;
  try {
    profile = resolveProfile(o.profile, { scale: o.scale ?? 1 });
  } catch (e) {
    throw new ConectaError(`gate plan: ${(e as Error).message}`, ExitCode.USAGE);
  }
  let from = o.from === undefined ? undefined : at(o.from);
  if (!from) {
    const h = readHistory(at(o.history ?? DEFAULT_HISTORY_FILE));
    const found = lastPass(h, o.scenario ?? 'mix', o.profile, [], (d) => existsSync(d)) ?? h.runs.filter((e) => e.verdict === 'pass' && existsSync(e.dirs[0]!)).at(-1);
    if (!found) throw new ConectaError('gate plan: no baseline run: give --from <run-dir>, or record a passing run in the history first', ExitCode.USAGE);
    from = found.dirs[0]!;
  }
  const baseline = readRunResult(from);
  const users = peakUsers(profile);
  const steadyS = profile.stages.filter((s) => s.steady).reduce((n, s) => n + s.durationS, 0);
  io.stdout(renderPlan(planSequential(baseline, thresholds, o.profile, users, SEQUENTIAL_ALPHA), { profile: o.profile, scale: o.scale ?? 1, users, steadyS, baseline: from }));
  return 0;
}
