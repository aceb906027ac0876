// `conecta-load gate`: judge one or more run directories against thresholds.json (and optionally a baseline),
// print the table, write JUnit / Markdown / JSON, speak GitHub Actions. runGateCommand is also what `run --gate`
// and the capacity ladder call, so every caller gets the same exit codes.

import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-file.js';
import { ConectaError, ExitCode, formatError } from '../lib/exit-codes.js';
import { judge } from '../lib/gate/judge.js';
import { renderAnnotations } from '../lib/gate/render-annotations.js';
import { renderJunit } from '../lib/gate/render-junit.js';
import { renderMarkdown } from '../lib/gate/render-markdown.js';
import { renderText } from '../lib/gate/render-text.js';
import { addEntry, entryOf, lastPass } from '../lib/history/index.js';
import { DEFAULT_HISTORY_FILE, readHistory, writeHistory } from '../lib/history/store.js';
import type { Io } from '../lib/io.js';
import { readRunResult } from '../lib/result/store.js';
import type { RunResult } from '../lib/result/schema.js';
import { DEFAULT_THRESHOLDS_FILE, loadThresholds, type Thresholds } from '../lib/thresholds/load.js';
import type { Register } from './main.js';

export interface GateOptions {
  /** thresholds.json path (default ./thresholds.json), relative to io.cwd. */
  readonly thresholds?: string;
  /** Already loaded thresholds (`run --gate` loads them before running); wins over `thresholds`. */
  readonly loadedThresholds?: Thresholds;
  /** A run directory, or "last-pass": the last passing run of the same scenario and profile in the history. */
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
}

/** Judges `runDirs` and reports; returns the exit code (0 pass/warn, 1 fail, 2 usage/config, 3 inconclusive, …). */
export async function runGateCommand(runDirs: readonly string[], opts: GateOptions, io: Io): Promise<number> {
  try {
    if (runDirs.length === 0) throw new ConectaError('gate: give at least one run directory', ExitCode.USAGE);
    const at = (p: string) => resolve(io.cwd, p);
    const thresholds = opts.loadedThresholds ?? loadThresholds(at(opts.thresholds ?? DEFAULT_THRESHOLDS_FILE));
    const dirs = runDirs.map(at);
    const results: RunResult[] = dirs.map((d) => readRunResult(d));
    const historyFile = opts.history === false ? undefined : at(opts.history ?? DEFAULT_HISTORY_FILE);
    const profile = opts.profile ?? results[0]!.meta.profile;

    let baseline: RunResult[] | undefined;
    let baselineDir: string | undefined;
    if (opts.baseline === 'last-pass') {
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

    const verdict = judge(results, thresholds, {
      profile,
      judgedAt: new Date(io.now()).toISOString(),
      ...(baseline ? { baseline } : {}),
      ...(opts.k6Thresholds ? { k6Thresholds: true } : {}),
    });

    io.stdout(renderText(verdict));
    if (opts.junit) writeFileAtomic(at(opts.junit), renderJunit(verdict));
    if (opts.markdown) writeFileAtomic(at(opts.markdown), renderMarkdown(verdict));
    if (opts.json) writeFileAtomic(at(opts.json), JSON.stringify(verdict, null, 2) + '\n');
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(summary, renderMarkdown(verdict) + '\n');
    if (io.env.GITHUB_ACTIONS === 'true') io.stdout(renderAnnotations(verdict));
    if (historyFile) writeHistory(historyFile, addEntry(readHistory(historyFile), entryOf(dirs, results, verdict, baselineDir)));
    return verdict.exitCode;
  } catch (e) {
    if (!(e instanceof ConectaError)) throw e;
    io.stderr(`conecta-load: ${formatError(e)}\n`);
    return e.code;
  }
}

export const registerGate: Register = (program, io, setExit) => {
  program
    .command('gate')
    .description('judge run results against thresholds.json with 95 % confidence; exit 0 pass, 1 fail, 2 config error, 3 inconclusive')
    .argument('<run-dir...>', 'run directories (or result.json files); several are merged into one sample')
    .option('--thresholds <file>', 'targets file', DEFAULT_THRESHOLDS_FILE)
    .option('--baseline <dir|last-pass>', 'compare with a run directory, or the last passing run of this scenario and profile')
    .option('--profile <name>', "profile whose targets apply (default: the run's)")
    .option('--junit <file>', 'write JUnit XML (one testcase per criterion and endpoint)')
    .option('--markdown <file>', 'write the verdict as Markdown (appended to $GITHUB_STEP_SUMMARY automatically when set)')
    .option('--json <file>', 'write the verdict as JSON (conecta-load/verdict@1)')
    .option('--history <file>', 'run-history index', DEFAULT_HISTORY_FILE)
    .option('--no-record', 'do not add this run to the history')
    .option('--k6-thresholds', "also judge the thresholds declared in the k6 script, as k6 does (source \"k6\")")
    .action(async (dirs: string[], o: { thresholds: string; baseline?: string; profile?: string; junit?: string; markdown?: string; json?: string; history: string; record: boolean; k6Thresholds?: boolean }) => {
      setExit(
        await runGateCommand(
          dirs,
          {
            thresholds: o.thresholds,
            history: o.record ? o.history : false,
            ...(o.baseline !== undefined ? { baseline: o.baseline } : {}),
            ...(o.profile !== undefined ? { profile: o.profile } : {}),
            ...(o.junit !== undefined ? { junit: o.junit } : {}),
            ...(o.markdown !== undefined ? { markdown: o.markdown } : {}),
            ...(o.json !== undefined ? { json: o.json } : {}),
            ...(o.k6Thresholds ? { k6Thresholds: true } : {}),
          },
          io,
        ),
      );
    });
};
