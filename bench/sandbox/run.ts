// Sandbox capacity bench, on both stacks (embedded: Node balancer + SQLite; full: nginx, PostgreSQL primary +
// replica, Redis + sentinel, Prometheus): starts each with 1, 2 and 3 instances (--no-limits) and drives real k6
// at rising concurrency (no think time) over an authenticated read mix; prints req/s, p95 and CPU per point and
// where throughput stops growing, and the time from `up` to healthy with a fresh and a reused data dir.
// Run after `npx tsc -p tsconfig.json`:
//   node dist/node/bench/sandbox/run.js [--stack both|embedded|full] [--instances 1,2,3] [--vus 4,16,64]
//     [--duration 10] [--port 18170] [--full-port 18600] [--seed-scale 1]

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFullState } from '../../lib/sandbox/full/index.js';
import { startSandbox, type RunningSandbox } from '../../lib/sandbox/index.js';
import { parseProcStat, processTree } from '../../lib/collect/process.js';
import { K6_MIX_SCRIPT } from './k6-mix.js';
import { formatTable, type BenchPoint } from './table.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    vus: { type: 'string', default: '4,16,64' },
    duration: { type: 'string', default: '10' },
    port: { type: 'string', default: '18170' },
    'full-port': { type: 'string', default: '18600' },
    stack: { type: 'string', default: 'both' },
    'seed-scale': { type: 'string', default: '1' },
  },
});
const list = (s: string) => s.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const k6 = process.env.K6_BIN || join(homedir(), '.cache', 'conecta-load', 'k6-v2.2.0', 'k6');
if (!existsSync(k6)) throw new Error(`k6 not found at ${k6} (set K6_BIN)`);
const durationS = Math.min(60, Math.max(2, Number(values.duration)));
const port = Number(values.port);

type Stack = 'embedded' | 'full';
const stacks: Stack[] = values.stack === 'both' ? ['embedded', 'full'] : [values.stack as Stack];

/** CPU seconds of every process of the full stack (postgres backends, nginx and API workers included). */
function fullCpuSeconds(port: number): number {
  const pids = (readFullState(port)?.components ?? []).flatMap((c) => processTree(c.pid));
  let ticks = 0;
  for (const pid of new Set(pids)) {
    try {
      ticks += parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuTicks;
    } catch {
      /* exited meanwhile */
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

async function cpuSeconds(stack: Stack, url: string, port: number): Promise<number> {
  if (stack === 'full') return fullCpuSeconds(port);
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^process_cpu_seconds_total\{instance="[^"]+"\} ([\d.e+-]+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
}

/** One bounded k6 run; resolves its end-of-test summary. */
function runK6(script: string, url: string, vus: number, summaryOut: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const child = spawn(k6, ['run', '--quiet', '--no-usage-report', '--vus', String(vus), '--duration', `${durationS}s`, script], {
      env: { ...process.env, TARGET: url, SUMMARY_OUT: summaryOut },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), (durationS + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      if (code !== 0 || !existsSync(summaryOut)) return reject(new Error(`k6 exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      resolve(JSON.parse(readFileSync(summaryOut, 'utf8')));
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'sandbox-bench-'));
chmodSync(work, 0o755); // the full stack's service user (under root) must reach the data dirs inside
const script = join(work, 'mix.js');
writeFileSync(script, K6_MIX_SCRIPT);
const points: BenchPoint[] = [];
const startups: string[] = [];
const start = (stack: Stack, instances: number, dataDir?: string): Promise<RunningSandbox> =>
  startSandbox({ stack, port: stack === 'full' ? Number(values['full-port']) : port, instances, noLimits: true, seedScale: Number(values['seed-scale']), dataDir, poolSize: 20 });
try {
  for (const stack of stacks) {
    // Time to healthy: a fresh data dir (seed built), then the same dir again (seed reused).
    const dataDir = join(work, `data-${stack}`);
    for (const kind of ['fresh', 'reused']) {
      const t0 = performance.now();
      const sb = await start(stack, 3, dataDir);
      startups.push(`${stack}: up → healthy with 3 instances, ${kind} data dir: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      process.stderr.write(startups.at(-1)! + '\n');
      await sb.stop();
    }
    for (const instances of list(values.instances!)) {
      const sb = await start(stack, instances, dataDir);
      try {
        for (const vus of list(values.vus!)) {
          const out = join(work, `summary-${stack}-${instances}-${vus}.json`);
          const c0 = await cpuSeconds(stack, sb.url, sb.port);
          const t0 = performance.now();
          const s = await runK6(script, sb.url, vus, out);
          const wallS = (performance.now() - t0) / 1000;
          const c1 = await cpuSeconds(stack, sb.url, sb.port);
          const p: BenchPoint = {
            stack, instances, vus,
            rps: s.metrics.http_reqs.values.rate,
            p95Ms: s.metrics.http_req_duration.values['p(95)'],
            errorRate: s.metrics.http_req_failed?.values.rate ?? 0,
            cpuCores: (c1 - c0) / wallS,
          };
          points.push(p);
          process.stderr.write(`${stack} instances=${instances} vus=${vus}: ${p.rps.toFixed(0)} req/s, p95 ${p.p95Ms.toFixed(1)} ms\n`);
        }
      } finally {
        await sb.stop();
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const stack of stacks) {
  process.stdout.write(`\n${stack} stack:\n` + formatTable(points.filter((p) => p.stack === stack)) + '\n');
}
process.stdout.write('\n' + startups.join('\n') + '\n');
// k6 and the sandbox share this machine; other load on it shows as CPU the sandbox could not get.
const [l1] = loadavg();
process.stdout.write(`host: ${availableParallelism()} cores, load average ${l1!.toFixed(2)} at the end` +
  (l1! > availableParallelism() ? ' (busy: figures understate the sandbox)\n' : '\n'));
