// `conecta-load capacity`: `fit` fits the USL to a CSV; `run` measures a load ladder and sizes the stack.

import { assertLadderable, DEFAULT_SCENARIO } from '../lib/run/plan.js';
import { loadScriptForRun } from '../lib/run/script.js';
import { withUsersFile } from '../lib/run/users-file.js';
import { readFileSync } from 'node:fs';
import { parseUslCsv } from '../lib/capacity/csv.js';
import { formatCapacitySummary, formatUslFit, uslFitJson } from '../lib/capacity/format.js';
import { fitUsl } from '../lib/capacity/usl.js';
import { DEFAULT_SIZING_USERS } from '../lib/capacity/analyze.js';
import { DEFAULT_COOL_DOWN_S, DEFAULT_LEVELS, DEFAULT_SEARCH_BUDGET_S, MAX_EXTRA_LEVELS, runCapacity } from '../lib/capacity/ladder/run.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { parseDurationS } from '../lib/run/duration.js';
import { runInstanceSweep, sweepStarter } from '../lib/capacity/sweep.js';
import { formatScaling } from '../lib/capacity/scaling.js';
import { SCALE_READY_TIMEOUT_S } from '../lib/capacity/scale-command.js';
import type { Register } from '../lib/register.js';
import type { Command } from 'commander';
import { UNTIL_DECIDED_MAX_S, validateSequentialOptions } from '../lib/gate/sequential/index.js';
import { DEFAULT_THRESHOLDS_FILE } from '../lib/thresholds/load.js';
import { collectEnv, LIMIT_FLAGS_HELP, limitsFromFlags, positive, positiveInt, positiveIntList, size } from './flags.js';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ConectaError(`${file}: ${reason}`, ExitCode.BAD_INPUT);
  }
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
    .option('--levels <list>', `users per level (default ${DEFAULT_LEVELS.join(',')})`, positiveIntList('--levels'))
    .option('--scale <f>', 'multiply users by f (0.05: 500 users → 25 VUs)', positive('--scale'), 1)
    .option('--scenario <name>', 'scenario (mix, morador, porteiro, sindico)', DEFAULT_SCENARIO)
    .option('--script <file>', 'your own k6 script instead of --scenario: its default export runs; each level sets the VUs of k6\'s default scenario (README: "your own script")')
    .option('--collect <spec...>', 'scrape:URL, prometheus:URL, process:PID[,PID…] (default scrape:<target>/metrics)')
    .option('--collect-config <file>', 'collectors config (PromQL per resource, scrape rules)')
    .option('--out <dir>', 'ladder directory; run again with the same --out to resume')
    .option('--thresholds <file>', 'targets and the capacity table to verify', DEFAULT_THRESHOLDS_FILE)
    .option('--duration <d>', 'steady window per level (30s, 2m, …)', '60s')
    .option('--cool-down <d>', `pause between levels (default ${DEFAULT_COOL_DOWN_S}s)`)
    .option('--users <list>', `user counts to size for (default ${DEFAULT_SIZING_USERS.join(',')})`, positiveIntList('--users'))
    .option('--instances <list>', 'API instances behind the target (default: counted from its /metrics); a list (1,2,3) ' +
      'starts the bundled stack on the target\'s port at each count and measures the ladder there', positiveIntList('--instances'))
    .option('--search', 'after the doubling finds a broken level, search between the last held and the first broken until the capacity is known to ±10 %')
    .option('--search-budget <d>', `load time the levels after the requested ones may take together, with --search (default ${DEFAULT_SEARCH_BUDGET_S}s)`)
    .option('--stack <kind>', 'with an --instances list: the bundled stack to restart at each count, embedded (default) or full')
    .option('--api-cpu <cores>', 'with --stack full and an --instances list: CPU quota of each API instance (the instance size)', positive('--api-cpu'))
    .option('--api-mem <size>', 'with --stack full and an --instances list: memory limit of each API instance (e.g. 512M)', size('--api-mem'))
    .option('--scale-command <cmd>', 'with an --instances list: resize your own stack by this shell command, {n} the count (e.g. \'kubectl scale deploy/api --replicas={n}\')')
    .option('--ready-url <url>', `with --scale-command: awaited until it answers 2xx after each resize (default <target>/health)`)
    .option('--ready-timeout <seconds>', `with --scale-command: how long to await it (default ${SCALE_READY_TIMEOUT_S})`, positive('--ready-timeout'))
    .option('--extra-levels <n>', `keep doubling the load while targets hold, at most n more levels (≤ ${MAX_EXTRA_LEVELS})`, positiveInt('--extra-levels'))
    .option('--local-ips <ranges>', 'k6 --local-ips (default for loopback targets: as many addresses as the limits need)')
    .option('--per-level', 'one k6 run per level instead of one staircase run stepping through the levels')
    .option('--rate-limit <n>', LIMIT_FLAGS_HELP.rate, positiveInt('--rate-limit'))
    .option('--login-limit <n>', LIMIT_FLAGS_HELP.login, positiveInt('--login-limit'))
    .option('--segments <n>', 'run each level as n local k6 runners (execution segments), merged', positiveInt('--segments'))
    .option('--until-decided', 'with --per-level: stop each level\'s run once the sequential gate has decided it (a FAIL at once); ' +
      'each level records why it ended')
    .option('--max-duration <d>', `with --until-decided: the longest steady phase of each level (default ${UNTIL_DECIDED_MAX_S / 60}m)`)
    .option('-e, --env <NAME=value>', 'variable for the script (THINK_MIN_S, MIX, …); repeatable', collectEnv, {})
    .option('--users-file <file>', 'JSON list of {"email","password","role"} logins for a stack that is not the sandbox (USERS_FILE)')
    .option('--json', 'print capacity.json to stdout instead of the summary')
    .action(async (o: {
      target: string; levels?: number[]; scale: number; scenario: string; collect?: string[]; collectConfig?: string; out?: string;
      thresholds: string; duration: string; coolDown?: string; users?: number[]; instances?: number[]; extraLevels?: number;
      search?: boolean; searchBudget?: string; stack?: string; apiCpu?: number; apiMem?: number; scaleCommand?: string; readyUrl?: string; readyTimeout?: number;
      localIps?: string; env: Record<string, string>; json?: boolean; perLevel?: boolean; rateLimit?: number; loginLimit?: number; segments?: number;
      script?: string; untilDecided?: boolean; maxDuration?: string; usersFile?: string;
    }, cmd: Command) => {
      if (o.maxDuration !== undefined && !o.untilDecided) throw new ConectaError('--max-duration goes with --until-decided', ExitCode.USAGE);
      if (o.untilDecided && cmd.getOptionValueSource('duration') === 'cli') {
        throw new ConectaError('--duration and --until-decided do not go together: give --max-duration', ExitCode.USAGE);
      }
      // Run until decided, a level's plateau lasts until its gate decides, at most this long.
      const maxS = o.maxDuration !== undefined ? parseDurationS(o.maxDuration) : undefined;
      validateSequentialOptions({ maxS }, []);
      // Checked before any load (exit 7); every level's k6 gets it as USERS_FILE.
      const env = withUsersFile(o.env, o.usersFile, io.cwd);
      // A user's script is read once, after the flags' own checks and before any load: one k6 rejects exits 6, one
      // without the ladder's contract 2.
      const script = o.script !== undefined ? await loadScriptForRun(o.script, o.target, env, io) : undefined;
      if (script) assertLadderable(script);
      const steadyS = o.untilDecided ? maxS ?? UNTIL_DECIDED_MAX_S : parseDurationS(o.duration);
      const limits = await limitsFromFlags(o, o.target);
      const run = {
        target: o.target, levels: o.levels, scale: o.scale, scenario: o.scenario, collect: o.collect, collectConfigFile: o.collectConfig,
        outDir: o.out, thresholdsFile: o.thresholds, steadyS, coolDownS: o.coolDown !== undefined ? parseDurationS(o.coolDown) : undefined,
        sizingUsers: o.users, instances: o.instances?.[0], extraLevels: o.extraLevels, localIps: o.localIps, env,
        ...(o.search ? { search: true, ...(o.searchBudget !== undefined ? { searchBudgetS: parseDurationS(o.searchBudget) } : {}) } : {}),
        ...(o.perLevel || o.segments !== undefined ? { mode: 'per-level' as const } : {}), limits,
        ...(o.segments !== undefined ? { segments: o.segments } : {}),
        ...(script ? { script } : {}),
        ...(o.untilDecided ? { untilDecided: true } : {}),
      } as const;
      const sweep = o.stack !== undefined || o.apiCpu !== undefined || o.apiMem !== undefined || o.scaleCommand !== undefined || o.readyUrl !== undefined || o.readyTimeout !== undefined;
      if (sweep && !(o.instances && o.instances.length > 1)) {
        throw new ConectaError('--stack, --api-cpu, --api-mem, --scale-command and --ready-url resize the stack between counts: give --instances a list (e.g. 1,2,3)', ExitCode.USAGE);
      }
      if (o.instances && o.instances.length > 1) {
        const s = sweepStarter(o, o.instances, o.target, { say: (l) => io.stderr(`  ${l}\n`) });
        // The collectors follow the restarted stack: its own default (the full stack's Prometheus, else its /metrics).
        const { dir, scaling } = await runInstanceSweep({ counts: o.instances, run: { ...run, collect: o.collect }, ...s }, io);
        io.stdout(o.json ? JSON.stringify(scaling, null, 2) + '\n' : formatScaling(scaling) + `instances: ${dir}/instances.json\n`);
        return;
      }
      const { dir, result } = await runCapacity(run, io);
      io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : formatCapacitySummary(result) + `capacity: ${dir}/capacity.json\n`);
    });
};
