// Generator bench: what the `mix` bundle costs k6 against a minimal hand-written script sending the same request
// sequence (bench/generator/minimal-k6.ts): CPU per request and RSS per VU, with k6's JSON output, with no output,
// and with remote write into a real Prometheus (the live view's cost). Figures and ratios only, never pass/fail.
//
// Single runs did not repeat (the same pair gave 1.08× one day and 1.37× another), so runs are taken in rounds:
// each round runs every configuration once, in an order that alternates between rounds, and each comparison's ratio
// is formed inside a round; the summary is the median ratio over rounds with its min–max (pairs.ts). Points are
// appended to a JSON-lines file, so rounds can be run one at a time (each under its own lock) and summarised later.
// Measured by /usr/bin/time around k6 (user+sys seconds, max RSS). Run after `npx tsc`:
//   node dist/node/bench/generator/run.js [--vus 2000] [--rounds 5] [--steady 20] [--outputs json,none,rw] [--points FILE] [--report-only]
// At 2000 VUs a run takes about 2 minutes, a round of all five 10: `--outputs json` runs one pair a round.

import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { k6Options } from '../../scenarios/k6-options.js';
import type { ClosedScenario } from '../../scenarios/k6-types.js';
import { bundlePath, packageRoot } from '../../lib/bundle/bundle.js';
import { freePort } from '../../lib/free-port.js';
import { findK6 } from '../../lib/k6/locate.js';
import { webDashboardEnv } from '../../lib/run/k6-process.js';
import { remoteWriteK6 } from '../../lib/run/remote-write.js';
import { loopbackRanges, planAddresses } from '../../lib/run/source-ips.js';
import { startSandbox } from '../../lib/sandbox/index.js';
import { startPrometheus } from '../../sandbox/full/monitoring.js';
import { MINIMAL_K6_SCRIPT } from './minimal-k6.js';
import { absolutes, compare, roundOrder, type Config, type MedianInterval, type Output, type Point, type Spread } from './pairs.js';

const { values } = parseArgs({
  options: {
    vus: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    steady: { type: 'string', default: '20' },
    port: { type: 'string', default: '18180' },
    ramp: { type: 'string', default: '100' },
    outputs: { type: 'string', default: 'json,none,rw' },
    points: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
  },
});
const steadyS = Math.min(120, Math.max(5, Number(values.steady)));
const ramp = Number(values.ramp);
const pointsFile = values.points ?? join(mkdtempSync(join(tmpdir(), 'generator-points-')), 'points.jsonl');

const readPoints = (): Point[] =>
  existsSync(pointsFile) ? readFileSync(pointsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Point) : [];

/** One bounded k6 run under /usr/bin/time; the request count from k6's own summary export. */
function runOnce(k6: string, mixScript: string, work: string, round: number, c: Config, vus: number, target: string, prom: string): Promise<Point> {
  const tag = `${c.script}-${vus}-${c.output}-${round}`;
  const outFile = join(work, `${tag}.json.gz`);
  const summary = join(work, `${tag}.summary.json`);
  const timeFile = join(work, `${tag}.time`);
  const profile = `load-${vus}`;
  const stages = (k6Options(profile, { steadyS, rampUpVusPerS: ramp }).scenarios[profile] as ClosedScenario).stages;
  const file = c.script === 'mix' ? mixScript : join(work, 'minimal.js');
  const rw = c.output === 'rw' ? remoteWriteK6({ url: prom }, tag) : { args: [], env: {} };
  const args = ['-f', '%U %S %M', '-o', timeFile, k6, 'run', '--quiet', '--no-color', '--summary-export', summary,
    '--local-ips', loopbackRanges(planAddresses(vus, null, 3).addresses),
    ...(c.output === 'json' ? ['--out', `json=${outFile}`] : []), ...rw.args, file];
  const env = { ...process.env, ...rw.env, ...webDashboardEnv(undefined), TARGET: target, PROFILE: profile, STEADY_S: String(steadyS),
    RAMP_VUS_PER_S: String(ramp), STAGES: JSON.stringify(stages) };
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (ch: Buffer) => (err = (err + ch.toString()).slice(-2000)));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      if (code !== 0 || !existsSync(summary)) return reject(new Error(`${tag}: k6 exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      const [u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number }> }).metrics;
      const outputBytes = c.output === 'json' && existsSync(outFile) ? statSync(outFile).size : 0;
      rmSync(outFile, { force: true });
      resolve({ round, script: c.script, output: c.output, vus, requests: metrics.http_reqs?.count ?? 0, cpuS: u! + s!, maxRssBytes: m! * 1024, outputBytes });
    });
  });
}

async function measure(): Promise<void> {
  const found = await findK6(process.env);
  if (!found) throw new Error('k6 not found (run `make install`, or set K6_BIN)');
  const mixScript = bundlePath(packageRoot(), 'mix');
  if (!existsSync(mixScript)) throw new Error(`${mixScript} missing: run \`conecta-load build\` first`);
  const work = mkdtempSync(join(tmpdir(), 'generator-bench-'));
  // The bundled stack's Prometheus runs as its service user, which must reach its folder in here.
  chmodSync(work, 0o755);
  writeFileSync(join(work, 'minimal.js'), MINIMAL_K6_SCRIPT);
  const first = readPoints().reduce((m, p) => Math.max(m, p.round + 1), 0);
  const sb = await startSandbox({ port: Number(values.port), instances: 3, noLimits: true, seedScale: 0.2 });
  // The full stack's own Prometheus (remote write and native histograms on), scraping nothing: only k6 writes to it.
  const prom = await startPrometheus(join(work, 'prometheus'), await freePort(), []);
  try {
    // A fresh sandbox answers its first run's ramp about 3× slower (its Node instances' JIT and SQLite's page cache
    // still cold: 340 against 110 ms a request, 2026-12-04), so that run sends fewer requests and its CPU per request
    // reads higher whichever script it is. One run first, not measured, at the first VU count.
    const vusList = values.vus!.split(',').map(Number);
    await runOnce(found.path, mixScript, work, -1, { script: 'minimal', output: 'none' }, vusList[0]!, sb.url, prom.url);
    process.stderr.write(`warm-up: the minimal script at ${vusList[0]} VUs, not measured\n`);
    for (let round = first; round < first + Number(values.rounds); round++) {
      for (const vus of vusList) {
        for (const c of roundOrder(round, values.outputs!.split(',') as Output[])) {
          const p = await runOnce(found.path, mixScript, work, round, c, vus, sb.url, prom.url);
          appendFileSync(pointsFile, JSON.stringify(p) + '\n');
          process.stderr.write(`round ${round} ${c.script.padEnd(7)} ${String(vus).padStart(5)} VUs output ${c.output.padEnd(4)}: ${p.requests} requests, ` +
            `${p.cpuS.toFixed(1)} CPU s, max RSS ${(p.maxRssBytes / 2 ** 20).toFixed(0)} MB (load ${loadavg()[0]!.toFixed(1)})\n`);
        }
      }
    }
  } finally {
    await prom.stop();
    await sb.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (!values['report-only']) await measure();

const fmt = (s: Spread | undefined, digits = 2) => (s ? `${s.median.toFixed(digits)}× (${s.min.toFixed(digits)}–${s.max.toFixed(digits)}, ${s.n} rounds)` : '—');
const points = readPoints();
const lines = [`Generator cost (${pointsFile}; ${steadyS} s steady, ramp ${ramp} VU/s): medians over rounds, min–max in brackets`,
  '  VUs  script   output  CPU µs/req            RSS KB/VU'];
for (const a of absolutes(points)) {
  lines.push(`  ${String(a.vus).padStart(4)}  ${a.config.script.padEnd(8)} ${a.config.output.padEnd(6)} ` +
    `${`${a.cpuUs.median.toFixed(0)} (${a.cpuUs.min.toFixed(0)}–${a.cpuUs.max.toFixed(0)})`.padEnd(21)} ` +
    `${a.rssKb.median.toFixed(0)} (${a.rssKb.min.toFixed(0)}–${a.rssKb.max.toFixed(0)})`);
}
const within = (i: MedianInterval | undefined) => (i ? `${i.lo.toFixed(2)}–${i.hi.toFixed(2)} at ${(i.coverage * 100).toFixed(2)} %` : '—');
for (const c of compare(points)) {
  lines.push(`  ${String(c.vus).padStart(4)}  ${c.label}: CPU per request ${fmt(c.cpu)}, RSS per VU ${fmt(c.rss)}`);
  lines.push(`        the median's distribution-free interval: CPU ${within(c.cpuInterval)}, RSS ${within(c.rssInterval)}`);
}
process.stdout.write(lines.join('\n') + '\n');
