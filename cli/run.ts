// `conecta-load run`: one load run with the real k6 (and, with --gate, its verdict in the same step).

import { DEFAULT_SCENARIO } from '../lib/run/plan.js';
import { Option } from 'commander';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { DEFAULT_THRESHOLDS_FILE, thresholdsIfAny } from '../lib/thresholds/index.js';
import { parseDurationS } from '../lib/run/duration.js';
import { RESULTS_DIR } from '../lib/run/run-dir.js';
import { runLoad } from '../lib/run/run.js';
import { runSegments } from '../lib/run/segments.js';
import { chooseRemoteWrite } from '../lib/run/remote-write.js';
import { formatReadBack } from '../lib/prometheus-rw/format.js';
import { bundledPrometheusUrl } from '../lib/sandbox/full/collectors.js';
import { chaosForRun } from '../lib/chaos/hooks.js';
import { DEFAULT_GAP_S } from '../lib/chaos/plan.js';
import { TARGET_KIND_NAMES, type TargetKind } from '../lib/chaos/prepare.js';
import { formatSummary } from '../lib/ingest/summary.js';
import { formatResilience } from '../lib/resilience/describe.js';
import { runGateCommand } from '../lib/gate/command.js';
import type { Register } from '../lib/register.js';
import { OWN_OPTIONS, planRun } from '../lib/run/plan.js';
import { loadScriptForRun, type ScriptSource } from '../lib/run/script.js';
import { withUsersFile } from '../lib/run/users-file.js';
import { readCaCert } from '../lib/run/ca-cert.js';
import { createLiveGate, rampEndS, SEQUENTIAL_ALPHA, UNTIL_DECIDED_MAX_S, unjudgeableCriteria, untilDecidedObserver, validateSequentialOptions } from '../lib/gate/sequential/index.js';
import type { Thresholds } from '../lib/thresholds/load.js';
import { DEFAULT_PORT } from '../lib/sandbox/index.js';
import { openLive, type LiveSession } from '../lib/live/session.js';
import { writeReport } from '../lib/report/write.js';
import { observers } from '../lib/run/observer.js';
import { collectEnv, LIMIT_FLAGS_HELP, limitsFromFlags, positive, positiveInt, tcpPort } from './flags.js';

/** The bundled sandbox on its default port: what a run without --target loads. */
export const DEFAULT_TARGET = `http://127.0.0.1:${DEFAULT_PORT}`;

export const registerRun: Register = (program, io, setExit) => {
  program
    .command('run')
    .description('run a scenario with a profile against a target using the real k6, and ingest the result')
    .option('--scenario <name>', 'mix, morador, porteiro or sindico', DEFAULT_SCENARIO)
    .option('--script <file>', "your own k6 script (.js, or .ts: type-checked and bundled) instead of --scenario; its own options stand unless --profile is given")
    .option('--profile <name>', 'smoke, load-500, load-1000, load-2000, load-<N>, stress, spike, soak (add -open for the open model); default smoke, or with --script its own options')
    .option('--target <url>', 'base URL of the stack', DEFAULT_TARGET)
    .option('--scale <f>', 'multiply users and rates by f', positive('--scale'), 1)
    .option('--duration <d>', 'steady-state duration (30s, 5m, …), overriding the profile')
    .option('--out <dir>', `run directory (default ${RESULTS_DIR}/<timestamp>-<scenario>-<profile>)`)
    .option('--thresholds <file>', `SLO file (default ./${DEFAULT_THRESHOLDS_FILE}; needed only with --gate)`)
    .option('--local-ips <ranges>', 'k6 --local-ips (default for loopback targets: as many addresses as the limits need)')
    .option('--rate-limit <n>', LIMIT_FLAGS_HELP.rate, positiveInt('--rate-limit'))
    .option('--login-limit <n>', LIMIT_FLAGS_HELP.login, positiveInt('--login-limit'))
    .option('-e, --env <NAME=value>', 'variable for the script (THINK_MIN_S, MIX, USERS_FILE, …); repeatable', collectEnv, {})
    .option('--users-file <file>', 'JSON list of {"email","password","role"} logins for a stack that is not the sandbox: checked, then given to the script as USERS_FILE (README: "Logins")')
    .option('--ca-cert <file>', "PEM file of the CA that signed the stack's TLS certificate: trusted by k6 (SSL_CERT_FILE) beside the system's roots; verification stays on")
    .option('--segments <n>', 'split the test over n local k6 processes (execution segments), then merge their results', positiveInt('--segments'))
    .option('--chaos <action@time,…>', 'fault plan: rolling-restart, restart:api-N, kill:api-N, promote-replica, failover:redis, scale:N, exec:<argv> at a time after k6 starts (e.g. restart:api-2@61s); repeatable', (v: string, acc: string[]) => [...acc, v], [])
    .option('--plan <file>', 'JSON file with a "chaos" section: [{"at":"61s","action":"restart:api-2"}, {"at":"90s","action":"exec","argv":[…]}]')
    .option('--gap <d>', `time between the instances of a rolling-restart (default ${DEFAULT_GAP_S}s)`)
    .addOption(new Option('--chaos-target <kind>', 'what the plan acts on (auto: the embedded sandbox if the target is one)').choices([...TARGET_KIND_NAMES]).default('auto'))
    .option('--gate', 'judge the run against the thresholds; exit as `gate` does')
    .addOption(new Option('--baseline <dir|last-pass|auto>', 'with --gate: compare with a baseline run (auto: the stable segment of the history)'))
    .option('--junit <file>', 'with --gate: write JUnit XML')
    .option('--markdown <file>', 'with --gate: write a Markdown summary')
    .option('--json <file>', 'with --gate: write the verdict as JSON')
    .option('--k6-thresholds', "with --gate: also judge the k6 script's own thresholds")
    .option('--until-decided', `with --gate: judge every second after the ramp (the sequential gate) and stop k6 once every gating criterion is decided (a FAIL at once)`)
    .option('--max-duration <d>', `with --until-decided: the longest steady phase (default ${UNTIL_DECIDED_MAX_S / 60}m, or the profile's plateau if longer)`)
    .option('--min-duration <d>', 'with --until-decided: no PASS stops the run before this much steady time')
    .option('--prometheus-rw <url>', "send k6's metrics to this Prometheus by remote write as the run goes (default: the bundled full stack's, when it is the target)")
    .option('--no-prometheus-rw', 'no remote write, not even to the bundled full stack\'s Prometheus')
    .option('--k6-dashboard', "also k6's own web dashboard, on a free loopback port (printed); off otherwise")
    .option('--live [port]', 'serve a live view of the run on 127.0.0.1 (default a free port; the address is printed) until it ends', (v: string) => (v === '0' ? 0 : tcpPort('--live')(v)))
    .action(async (flags: {
      scenario: string; profile?: string; target: string; scale: number; duration?: string; out?: string;
      thresholds?: string; localIps?: string; env: Record<string, string>; gate?: boolean; baseline?: string;
      junit?: string; markdown?: string; json?: string; segments?: number; k6Thresholds?: boolean;
      chaos: string[]; plan?: string; gap?: string; chaosTarget: TargetKind; rateLimit?: number; loginLimit?: number;
      untilDecided?: boolean; maxDuration?: string; minDuration?: string; prometheusRw?: string | false; script?: string;
      usersFile?: string; caCert?: string; live?: number | true; k6Dashboard?: boolean;
    }) => {
      // Parsed once, before any load: a bad file fails here (exit 2), and the gate judges with the same targets.
      // Without --gate none is needed: a script with only its own k6 thresholds runs from an empty folder.
      const thresholds = thresholdsIfAny(io.cwd, flags.thresholds, flags.gate === true || flags.untilDecided === true);
      // The users file is checked before any load (exit 7) and reaches the script, and k6's reading of it, as USERS_FILE.
      const env = withUsersFile(flags.env, flags.usersFile, io.cwd);
      // So is the CA file (exit 7): k6 would otherwise only say x509 on every request.
      const caCert = flags.caCert !== undefined ? readCaCert(flags.caCert, io.cwd) : undefined;
      // A user's script is bundled and read by k6 once, here: one that does not compile or that k6 rejects exits 6.
      const script = flags.script !== undefined ? await loadScriptForRun(flags.script, flags.target, env, io) : undefined;
      const o = { ...flags, env, profile: flags.profile ?? (script ? OWN_OPTIONS : 'smoke'), script };
      const until = thresholds ? untilDecidedSetup(o, thresholds) : undefined;
      const remoteWrite = chooseRemoteWrite(o.prometheusRw, bundledPrometheusUrl(o.target));
      const steadyS = until?.steadyS ?? (o.duration !== undefined ? parseDurationS(o.duration) : undefined);
      // The run's plan, resolved once here for what acts before k6 starts (the fault plan's timing, the live gate's
      // ramp) — with the script's own tuning, as k6 will run it; runLoad resolves the same options to the same plan.
      const plan = planRun({ ...o, steadyS });
      let live: LiveSession | undefined;
      // The whole fault plan is checked here, before any load: a bad one exits 2 and k6 never starts.
      const hooks = await chaosForRun({
        flags: o.chaos, planFile: o.plan, gapS: o.gap !== undefined ? parseDurationS(o.gap) : undefined, targetKind: o.chaosTarget,
        target: o.target, plan, profile: o.profile, onEvent: (r) => live?.onFault(r),
      }, thresholds, io);
      if (hooks && o.segments !== undefined) throw new ConectaError('--chaos/--plan and --segments do not go together: one fault plan acts on one run', ExitCode.USAGE);
      // Every option checked: the live view starts before the load and stops with the run, whatever happens.
      if (o.live !== undefined) {
        const title = `${o.script?.name ?? o.scenario}/${o.profile} → ${o.target}${o.segments ? ` (${o.segments} runners)` : ''}`;
        live = await openLive({ port: o.live === true ? 0 : o.live, title, ...(until ? { gate: until.gate } : {}), ...(remoteWrite ? { remoteWrite } : {}) }, io);
      }
      try {
        const run = o.segments !== undefined ? (x: Parameters<typeof runLoad>[0]) => runSegments({ ...x, segments: o.segments! }, io) : runLoad;
        const { dir, result } = await run({
          ...(script ? { script } : {}),
          scenario: o.scenario,
          profile: o.profile,
          target: o.target,
          scale: o.scale,
          steadyS,
          outDir: o.out,
          localIps: o.localIps,
          limits: await limitsFromFlags(o, o.target),
          env: o.env,
          hooks,
          ...(remoteWrite ? { remoteWrite } : {}),
          ...(caCert ? { caCert } : {}),
          ...(until ? { steadyIsMax: true } : {}),
          ...(o.k6Dashboard ? { k6Dashboard: true } : {}),
          // The gate sees each second before the live view, which shows the gate's sequences after it.
          ...(until || live ? { observer: observers(until?.observer, live?.observer) } : {}),
        }, io);
        io.stdout(formatSummary(result) + '\n');
        for (const line of formatReadBack(result)) io.stdout(line + '\n');
        if (result.resilience) io.stdout(formatResilience(result.resilience) + '\n');
        io.stdout(`result: ${dir}/result.json\n`);
        const stopped = until?.observer.stopped();
        if (stopped) io.stdout(`run stopped early: the gate decided ${stopped.reason === 'failed' ? 'FAIL' : 'PASS'} at ${stopped.atS} s (the ramp ended at ${until!.rampS} s)\n`);
        // --gate made thresholds required above, so they are here whenever the gate is asked for.
        if (o.gate && thresholds) {
          setExit(await runGateCommand([dir], {
            loadedThresholds: thresholds, baseline: o.baseline, junit: o.junit, markdown: o.markdown, json: o.json,
            ...(o.k6Thresholds ? { k6Thresholds: true } : {}),
            ...(until ? { refine: until.gate.refine } : {}),
          }, io));
        }
        if (live) {
          // Whoever watched the run live is sent to its report at the end, so it is written now rather than by hand.
          const report = await writeReport(dir, {}, io);
          io.stdout(`report: ${report.htmlFile}\n`);
          await live.end(dir, result, o.gate === true, report.htmlFile);
        }
      } finally {
        await live?.close();
      }
    });
};

/** `--until-decided`'s options checked before any load (one line, exit 2), the ramp's end from the run's plan, and
 *  the live gate with its observer. Undefined without the flag. */
function untilDecidedSetup(o: {
  gate?: boolean; untilDecided?: boolean; maxDuration?: string; minDuration?: string; duration?: string;
  scenario: string; profile: string; target: string; scale: number; env: Record<string, string>; script?: ScriptSource;
}, thresholds: Thresholds) {
  const maxS = o.maxDuration !== undefined ? parseDurationS(o.maxDuration) : undefined;
  const minS = o.minDuration !== undefined ? parseDurationS(o.minDuration) : undefined;
  if (!o.untilDecided && (maxS !== undefined || minS !== undefined)) {
    throw new ConectaError('--max-duration and --min-duration go with --until-decided', ExitCode.USAGE);
  }
  validateSequentialOptions({ gate: o.gate, untilDecided: o.untilDecided, minS, maxS }, o.untilDecided ? unjudgeableCriteria(thresholds, o.profile) : []);
  if (!o.untilDecided) return undefined;
  if (o.duration !== undefined) throw new ConectaError('--duration and --until-decided do not go together: give --max-duration', ExitCode.USAGE);
  // The profile as k6 will run it: the ramp is every stage before the first plateau; the plateau's own length
  // stands when it is longer than the default bound.
  const { profile } = planRun(o);
  const rampS = rampEndS(profile);
  const plateauS = profile.stages.filter((s) => s.steady).reduce((n, s) => n + s.durationS, 0);
  const steadyS = maxS ?? Math.max(UNTIL_DECIDED_MAX_S, plateauS);
  if (minS !== undefined && minS > steadyS) throw new ConectaError(`--min-duration (${minS} s) is longer than the steady phase (${steadyS} s)`, ExitCode.USAGE);
  const gate = createLiveGate(thresholds, o.profile, [], { alpha: SEQUENTIAL_ALPHA, fromS: rampS, minS: rampS + (minS ?? 0) });
  return { steadyS, rampS, gate, observer: untilDecidedObserver(gate, { rampS }) };
}
