// `conecta-load analyze`: ingest any k6 JSON output (plain or gzip, from any script) into a run result.

import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingestK6Output } from '../lib/ingest/ingest.js';
import { seriesLine, seriesScenario } from '../lib/ingest/series-name.js';
import { formatSummary } from '../lib/ingest/summary.js';
import { RESULT_FILE, writeRunResult } from '../lib/result/store.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { inspectThresholds } from '../lib/k6/inspect.js';
import { ensureK6 } from '../lib/k6/install.js';
import type { Register } from '../lib/register.js';

function parseExitCode(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new ConectaError(`--k6-exit-code must be 0–255, got "${v}"`, ExitCode.USAGE);
  return n;
}

/** Both paths name one file (the same path, a symlink or a hard link to it). */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

export const registerAnalyze: Register = (program, io) => {
  program
    .command('analyze')
    .description('ingest a k6 JSON output file (k6 run --out json=FILE, plain or .gz) into <dir>/result.json')
    .argument('<file>', 'k6 JSON output, plain or gzip (detected by content)')
    .requiredOption('--out <dir>', 'directory to write result.json into')
    .option('--scenario <name>', "the history series to record it under (default: the --script's name, else the k6 scenario tags of its requests)")
    .option('--profile <name>', 'profile name to record', 'unknown')
    .option('--target <url>', 'base URL the load went to (default: the origin of the first request URL)')
    .option('--script <file>', "the k6 script that wrote the output: its submetric thresholds are read with `k6 inspect` (k6's output lacks them)")
    .option('--k6-exit-code <n>', "k6's exit code for that run, recorded in meta (99: k6 found a threshold crossed)", parseExitCode)
    .action(async (file: string, o: { out: string; scenario?: string; profile: string; target?: string; script?: string; k6ExitCode?: number }) => {
      const input = resolve(io.cwd, file);
      const out = resolve(io.cwd, o.out);
      if (sameFile(input, join(out, RESULT_FILE))) {
        throw new ConectaError(`${file} is ${join(o.out, RESULT_FILE)}: analyze would overwrite the k6 output it reads`, ExitCode.USAGE, 'give another --out');
      }
      const k6Thresholds = o.script ? await inspectThresholds((await ensureK6(io)).path, resolve(io.cwd, o.script), io.env) : undefined;
      // Ctrl-C or SIGTERM stops the reading; what was read is kept as an incomplete result (exit 130).
      const interrupt = new AbortController();
      const off = io.onInterrupt(() => interrupt.abort());
      const { whole: result } = await ingestK6Output(input, {
        source: 'analyze',
        profile: o.profile,
        ...(o.target !== undefined ? { target: o.target } : {}),
        ...(o.k6ExitCode !== undefined ? { k6ExitCode: o.k6ExitCode } : {}),
      }, { ...(k6Thresholds ? { k6Thresholds } : {}), signal: interrupt.signal }).catch((e: unknown) => {
        if (interrupt.signal.aborted) throw new ConectaError(`interrupted before any sample of ${file} was read: nothing written`, ExitCode.INTERRUPTED);
        throw e;
      }).finally(off);
      const series = seriesScenario({ given: o.scenario, script: o.script, tags: Object.keys(result.scenarios ?? {}), source: file, flag: '--scenario' });
      result.meta.scenario = series.scenario;
      const written = writeRunResult(out, result);
      io.stdout(formatSummary(result) + '\n');
      io.stdout(seriesLine(series, result.meta.profile) + '\n');
      io.stdout(`result: ${written}\n`);
      if (interrupt.signal.aborted) {
        throw new ConectaError(`interrupted: the ${result.overall.requests} requests read so far are kept in ${written} (complete: false)`, ExitCode.INTERRUPTED);
      }
    });
};
