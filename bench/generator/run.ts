// Generator bench: what the `mix` bundle costs k6 against a minimal hand-written script sending the same request
// sequence (bench/generator/minimal-k6.ts), at 500 and 2000 VUs: CPU per request and RSS per VU, with the raw
// JSON output on and off (the difference is what writing the output costs; the rest is script work). Figures and
// ratios only. Measured by /usr/bin/time around k6 (user+sys seconds, max RSS). Run after `npx tsc`:
//   node dist/node/bench/generator/run.js [--vus 500,2000] [--steady 20] [--port 18180]

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { k6Options } from '../../scenarios/k6-options.js';
import type { ClosedScenario } from '../../scenarios/k6-types.js';
import { bundlePath, packageRoot } from '../../lib/bundle/bundle.js';
import { findK6 } from '../../lib/k6/locate.js';
import { loopbackRanges, planAddresses } from '../../lib/run/source-ips.js';
import { startSandbox } from '../../lib/sandbox/index.js';
import { MINIMAL_K6_SCRIPT } from './minimal-k6.js';

const { values } = parseArgs({
  options: {
    vus: { type: 'string', default: '500,2000' },
    steady: { type: 'string', default: '20' },
    port: { type: 'string', default: '18180' },
    ramp: { type: 'string', default: '100' },
  },
});
const found = await findK6(process.env);
if (!found) throw new Error('k6 not found (run `make install`, or set K6_BIN)');
const k6: string = found.path;
const mixScript = bundlePath(packageRoot(), 'mix');
if (!existsSync(mixScript)) throw new Error(`${mixScript} missing: run \`conecta-load build\` first`);
const steadyS = Math.min(120, Math.max(5, Number(values.steady)));
const ramp = Number(values.ramp);

interface Point {
  script: 'mix' | 'minimal';
  output: boolean;
  vus: number;
  requests: number;
  cpuS: number;
  maxRssBytes: number;
  outputBytes: number;
}

/** One bounded k6 run under /usr/bin/time; the request count from k6's own summary export. */
function runOnce(work: string, script: 'mix' | 'minimal', output: boolean, vus: number, target: string): Promise<Point> {
  const tag = `${script}-${vus}-${output ? 'json' : 'none'}`;
  const outFile = join(work, `${tag}.json.gz`);
  const summary = join(work, `${tag}.summary.json`);
  const timeFile = join(work, `${tag}.time`);
  const profile = `load-${vus}`;
  const stages = (k6Options(profile, { steadyS, rampUpVusPerS: ramp }).scenarios[profile] as ClosedScenario).stages;
  const file = script === 'mix' ? mixScript : join(work, 'minimal.js');
  const args = ['-f', '%U %S %M', '-o', timeFile, k6, 'run', '--quiet', '--no-color', '--summary-export', summary,
    '--local-ips', loopbackRanges(planAddresses(vus, null, 3).addresses), ...(output ? ['--out', `json=${outFile}`] : []), file];
  const env = { ...process.env, TARGET: target, PROFILE: profile, STEADY_S: String(steadyS), RAMP_VUS_PER_S: String(ramp), STAGES: JSON.stringify(stages) };
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      if (code !== 0 || !existsSync(summary)) return reject(new Error(`${tag}: k6 exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      const [u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number }> }).metrics;
      const outputBytes = output && existsSync(outFile) ? statSync(outFile).size : 0;
      if (output) rmSync(outFile, { force: true });
      resolve({ script, output, vus, requests: metrics.http_reqs?.count ?? 0, cpuS: u! + s!, maxRssBytes: m! * 1024, outputBytes });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'generator-bench-'));
writeFileSync(join(work, 'minimal.js'), MINIMAL_K6_SCRIPT);
const points: Point[] = [];
const sb = await startSandbox({ port: Number(values.port), instances: 3, noLimits: true, seedScale: 0.2 });
try {
  for (const vus of values.vus!.split(',').map(Number)) {
    for (const script of ['mix', 'minimal'] as const) {
      for (const output of [true, false]) {
        const p = await runOnce(work, script, output, vus, sb.url);
        points.push(p);
        process.stderr.write(`${script.padEnd(7)} ${String(vus).padStart(5)} VUs output ${output ? 'json' : 'none'}: ${p.requests} requests, ` +
          `${p.cpuS.toFixed(1)} CPU s, max RSS ${(p.maxRssBytes / 2 ** 20).toFixed(0)} MB (load ${loadavg()[0]!.toFixed(1)})\n`);
      }
    }
  }
} finally {
  await sb.stop();
  rmSync(work, { recursive: true, force: true });
}

const us = (p: Point) => (p.cpuS / Math.max(1, p.requests)) * 1e6;
const kb = (p: Point) => p.maxRssBytes / p.vus / 1024;
const find = (script: string, output: boolean, vus: number) => points.find((p) => p.script === script && p.output === output && p.vus === vus)!;
const lines = [`Generator cost: mix bundle vs a minimal hand-written script (same requests, same output; ${steadyS} s steady, ramp ${ramp} VU/s)`,
  '  VUs  script    CPU µs/req  RSS KB/VU  of which output (CPU µs/req)   output MB'];
for (const vus of [...new Set(points.map((p) => p.vus))]) {
  for (const script of ['mix', 'minimal'] as const) {
    const on = find(script, true, vus), off = find(script, false, vus);
    lines.push(`  ${String(vus).padStart(4)}  ${script.padEnd(8)} ${us(on).toFixed(0).padStart(11)} ${kb(on).toFixed(0).padStart(10)}` +
      ` ${`${(us(on) - us(off)).toFixed(0)} (script ${us(off).toFixed(0)})`.padStart(30)} ${(on.outputBytes / 2 ** 20).toFixed(1).padStart(11)}`);
  }
  const m = find('mix', true, vus), n = find('minimal', true, vus);
  lines.push(`        mix / minimal: CPU per request ${(us(m) / us(n)).toFixed(2)}×, RSS per VU ${(kb(m) / kb(n)).toFixed(2)}× (target ≤ 1.2×)`);
}
process.stdout.write(lines.join('\n') + '\n');
