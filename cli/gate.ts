// `conecta-load gate`: judge one or more run directories against thresholds.json (and optionally a baseline).
// Flags only; the judging and its outputs are lib/gate/command.ts.

import { runGateCommand, runGatePlan } from '../lib/gate/command.js';
import type { Register } from '../lib/register.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { DEFAULT_HISTORY_FILE } from '../lib/history/store.js';
import { DEFAULT_THRESHOLDS_FILE } from '../lib/thresholds/load.js';

export const registerGate: Register = (program, io, setExit) => {
  program
    .command('gate')
    .description('judge run results against thresholds.json with 95 % confidence; exit 0 pass, 1 fail, 2 config error, 3 inconclusive')
    .argument('<run-dir...>', 'run directories (or result.json files); several are merged into one sample; or `plan` (with --profile): how long the profile must run to decide each criterion')
    .option('--thresholds <file>', 'targets file', DEFAULT_THRESHOLDS_FILE)
    .option('--baseline <dir|last-pass|auto>', 'compare with a run directory, the last passing run of this scenario and profile, or (auto) the passing runs since the last change point, pooled')
    .option('--profile <name>', "profile whose targets apply (default: the run's)")
    .option('--junit <file>', 'write JUnit XML (one testcase per criterion and endpoint)')
    .option('--markdown <file>', 'write the verdict as Markdown (appended to $GITHUB_STEP_SUMMARY automatically when set)')
    .option('--json <file>', 'write the verdict as JSON (conecta-load/verdict@1)')
    .option('--history <file>', 'run-history index', DEFAULT_HISTORY_FILE)
    .option('--no-record', 'do not add this run to the history')
    .option('--k6-thresholds', "also judge the thresholds declared in the k6 script, as k6 does (source \"k6\")")
    .option('--sequential', "replay the run's per-second timeline through the sequential gate: each criterion's anytime-valid decision and the second it was reached")
    .option('--scale <f>', '`gate plan`: the scale the profile will run at', Number)
    .option('--from <run-dir>', "`gate plan`: the baseline run whose shares and rates are expected (default: the history's last passing run)")
    .action(async (dirs: string[], o: { thresholds: string; baseline?: string; profile?: string; junit?: string; markdown?: string; json?: string; history: string; record: boolean; k6Thresholds?: boolean; sequential?: boolean; scale?: number; from?: string }) => {
      if (dirs.length === 1 && dirs[0] === 'plan') {
        if (!o.profile) throw new ConectaError('gate plan: give --profile <name>', ExitCode.USAGE);
        setExit(runGatePlan({ profile: o.profile, thresholds: o.thresholds, history: o.history, ...(o.scale !== undefined ? { scale: o.scale } : {}), ...(o.from !== undefined ? { from: o.from } : {}) }, io));
        return;
      }
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
            ...(o.sequential ? { sequential: true } : {}),
          },
          io,
        ),
      );
    });
};
