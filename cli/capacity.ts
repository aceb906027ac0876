// `conecta-load capacity`: `fit` fits the USL to a CSV; `run` measures a load ladder and sizes the stack.

import { readFileSync } from 'node:fs';
import { parseUslCsv } from '../lib/capacity/csv.js';
import { formatCapacitySummary, formatUslFit, uslFitJson } from '../lib/capacity/format.js';
import { fitUsl } from '../lib/capacity/usl.js';
import { runCapacity } from '../lib/capacity/ladder/run.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { parseDurationS } from '../lib/run/duration.js';
import { runInstanceSweep } from '../lib/capacity/sweep.js';
import { startSandbox } from '../lib/sandbox/index.js';
import type { Register } from '../lib/register.js';

/** The bundled stack the instance sweep restarts: the embedded sandbox, production limits on. */
const startBundledStack = (instances: number, port: number) => startSandbox({ port, instances });

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ConectaError(`${file}: ${reason}`, ExitCode.BAD_INPUT);
  }
}

function positiveList(flag: string) {
  return (v: string): number[] => {
    const out = v.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new ConectaError(`${flag} takes whole numbers of users separated by commas, got "${v}"`, ExitCode.USAGE);
    }
    return out;
  };
}

function positive(flag: string, integer = false) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new ConectaError(`${flag} must be a positive ${integer ? 'whole ' : ''}number, got "${v}"`, ExitCode.USAGE);
    return n;
  };
}

function collectEnv(v: string, acc: Record<string, string>): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ConectaError(`--env takes NAME=value, got "${v}"`, ExitCode.USAGE);
  return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
}

export const registerCapacity: Register = (program, io) => {
  const capacity = program.command('capacity').description('measure a load ladder, fit scalability models, size the stack');

  capacity
    .command('fit')
    .description('fit the Universal Scalability Law to a concurrency,throughput CSV')
    .requiredOption('--csv <file>', 'CSV with concurrency and throughput columns (header optional)')
    .option('--json', 'print a JSON object (sigma, kappa, lambda, peakConcurrency, maxThroughput, rSquared)')
    .action((o: { csv: string; json?: boolean }) => {
      const fit = fitUsl(parseUslCsv(readText(o.csv), o.csv));
      io.stdout(o.json ? JSON.stringify(uslFitJson(fit), null, 2) + '\n' : formatUslFit(fit));
    });

  capacity
    .command('run')
    .description('run a load ladder (profiles load-<N>), collect server resources, fit models, write capacity.json')
    .requiredOption('--target <url>', 'base URL of the stack')
    .option('--levels <list>', 'users per level, e.g. 500,1000,2000', positiveList('--levels'))
    .option('--scale <f>', 'multiply users by f (0.05: 500 users → 25 VUs)', positive('--scale'), 1)
    .option('--scenario <name>', 'scenario (mix, morador, porteiro, sindico)', 'mix')
    .option('--collect <spec...>', 'scrape:URL, prometheus:URL, process:PID[,PID…] (default scrape:<target>/metrics)')
    .option('--collect-config <file>', 'collectors config (PromQL per resource, scrape rules)')
    .option('--out <dir>', 'ladder directory; run again with the same --out to resume')
    .option('--thresholds <file>', 'targets and the capacity table to verify', 'thresholds.json')
    .option('--duration <d>', 'steady window per level (30s, 2m, …)', '60s')
    .option('--cool-down <d>', 'pause between levels', '5s')
    .option('--users <list>', 'user counts to size for (default 500,1000,2000,5000)', positiveList('--users'))
    .option('--instances <list>', 'API instances behind the target (default: counted from its /metrics); a list (1,2,3) ' +
      'starts the bundled stack on the target\'s port at each count and measures the ladder there', positiveList('--instances'))
    .option('--extra-levels <n>', 'keep doubling the load while targets hold, at most n more levels (≤ 6)', positive('--extra-levels', true))
    .option('--local-ips <ranges>', 'k6 --local-ips (default for loopback targets: as many addresses as the limits need)')
    .option('--per-level', 'one k6 run per level instead of one staircase run stepping through the levels')
    .option('--rate-limit <n>', 'the target\'s requests/min per address (default: what it reports, else 150)', positive('--rate-limit', true))
    .option('--login-limit <n>', 'the target\'s logins per 5 min per address (default: what it reports, else 5)', positive('--login-limit', true))
    .option('--segments <n>', 'run each level as n local k6 runners (execution segments), merged', Number)
    .option('-e, --env <NAME=value>', 'variable for the script (THINK_MIN_S, MIX, …); repeatable', collectEnv, {})
    .option('--json', 'print capacity.json to stdout instead of the summary')
    .action(async (o: {
      target: string; levels?: number[]; scale: number; scenario: string; collect?: string[]; collectConfig?: string; out?: string;
      thresholds: string; duration: string; coolDown: string; users?: number[]; instances?: number[]; extraLevels?: number;
      localIps?: string; env: Record<string, string>; json?: boolean; perLevel?: boolean; rateLimit?: number; loginLimit?: number; segments?: number;
    }) => {
      const limits = o.rateLimit || o.loginLimit ? { perMinute: o.rateLimit ?? 150, loginsPer5Min: o.loginLimit ?? 5 } : undefined;
      const run = {
        target: o.target, levels: o.levels, scale: o.scale, scenario: o.scenario, collect: o.collect, collectConfigFile: o.collectConfig,
        outDir: o.out, thresholdsFile: o.thresholds, steadyS: parseDurationS(o.duration), coolDownS: parseDurationS(o.coolDown),
        sizingUsers: o.users, instances: o.instances?.[0], extraLevels: o.extraLevels, localIps: o.localIps, env: o.env,
        ...(o.perLevel || o.segments !== undefined ? { mode: 'per-level' as const } : {}), limits,
        ...(o.segments !== undefined ? { segments: o.segments } : {}),
      } as const;
      if (o.instances && o.instances.length > 1) {
        // The collectors follow the restarted stack: default scrape of its /metrics.
        const { dir, scaling } = await runInstanceSweep(o.instances, { ...run, collect: o.collect }, startBundledStack, io);
        io.stdout(o.json ? JSON.stringify(scaling, null, 2) + '\n' : `${scaling.conclusion}\ninstances: ${dir}/instances.json\n`);
        return;
      }
      const { dir, result } = await runCapacity(run, io);
      io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : formatCapacitySummary(result) + `capacity: ${dir}/capacity.json\n`);
    });
};
