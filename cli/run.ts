// `conecta-load run`: one load run with the real k6 (and, with --gate, its verdict in the same step).

import { Option } from 'commander';
import { resolve } from 'node:path';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { loadThresholds } from '../lib/thresholds/index.js';
import { parseDurationS } from '../lib/run/duration.js';
import { runLoad } from '../lib/run/run.js';
import { formatSummary } from '../lib/ingest/summary.js';
import { runGateCommand } from './gate.js';
import type { Register } from './main.js';

export const DEFAULT_TARGET = 'http://127.0.0.1:8100';

function parseScale(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConectaError(`--scale must be a positive number, got "${v}"`, ExitCode.USAGE);
  return n;
}

function collectEnv(v: string, acc: Record<string, string>): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ConectaError(`--env takes NAME=value, got "${v}"`, ExitCode.USAGE);
  return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
}

/** A per-address limit flag: a positive whole number. */
function limitFlag(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new ConectaError(`${flag} must be a positive whole number, got "${v}"`, ExitCode.USAGE);
    return n;
  };
}

export const registerRun: Register = (program, io, setExit) => {
  program
    .command('run')
    .description('run a scenario with a profile against a target using the real k6, and ingest the result')
    .option('--scenario <name>', 'mix, morador, porteiro or sindico', 'mix')
    .option('--profile <name>', 'smoke, load-500, load-1000, load-2000, load-<N>, stress, spike, soak (add -open for the open model)', 'smoke')
    .option('--target <url>', 'base URL of the stack', DEFAULT_TARGET)
    .option('--scale <f>', 'multiply users and rates by f', parseScale, 1)
    .option('--duration <d>', 'steady-state duration (30s, 5m, …), overriding the profile')
    .option('--out <dir>', 'run directory (default results/<timestamp>-<scenario>-<profile>)')
    .option('--thresholds <file>', 'SLO file', 'thresholds.json')
    .option('--local-ips <ranges>', 'k6 --local-ips (default for loopback targets: as many addresses as the limits need)')
    .option('--rate-limit <n>', 'the target\'s requests/min per address (default: what it reports, else 150)', limitFlag('--rate-limit'))
    .option('--login-limit <n>', 'the target\'s logins per 5 min per address (default: what it reports, else 5)', limitFlag('--login-limit'))
    .option('-e, --env <NAME=value>', 'variable for the script (THINK_MIN_S, MIX, USERS_FILE, …); repeatable', collectEnv, {})
    .option('--gate', 'judge the run against the thresholds; exit as `gate` does')
    .addOption(new Option('--baseline <dir|last-pass>', 'with --gate: compare with a baseline run'))
    .option('--junit <file>', 'with --gate: write JUnit XML')
    .option('--markdown <file>', 'with --gate: write a Markdown summary')
    .option('--json <file>', 'with --gate: write the verdict as JSON')
    .action(async (o: {
      scenario: string; profile: string; target: string; scale: number; duration?: string; out?: string;
      thresholds: string; localIps?: string; env: Record<string, string>; gate?: boolean; baseline?: string;
      junit?: string; markdown?: string; json?: string; rateLimit?: number; loginLimit?: number;
    }) => {
      // Parsed once, before any load: a bad file fails here (exit 2), and the gate judges with the same targets.
      const thresholds = loadThresholds(resolve(io.cwd, o.thresholds));
      const { dir, result } = await runLoad({
        scenario: o.scenario,
        profile: o.profile,
        target: o.target,
        scale: o.scale,
        steadyS: o.duration !== undefined ? parseDurationS(o.duration) : undefined,
        outDir: o.out,
        thresholds,
        localIps: o.localIps,
        limits: o.rateLimit || o.loginLimit ? { perMinute: o.rateLimit ?? 150, loginsPer5Min: o.loginLimit ?? 5 } : undefined,
        env: o.env,
      }, io);
      io.stdout(formatSummary(result) + '\n');
      io.stdout(`result: ${dir}/result.json\n`);
      if (o.gate) {
        setExit(await runGateCommand([dir], {
          loadedThresholds: thresholds, baseline: o.baseline, junit: o.junit, markdown: o.markdown, json: o.json,
        }, io));
      }
    });
};
