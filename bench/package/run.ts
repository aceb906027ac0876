// Package bench: the README's quickstart "your own script", followed as a new user would. A clean clone of this
// checkout is packed (`npm pack`; prepack builds), the tarball installed into an empty folder outside it, and from
// there a k6 script that is not the project's runs through `run --script --gate --k6-thresholds` against a sandbox
// started from the installed package, then `report`. Prints figures, never pass/fail: the tarball's size, the
// installed size (`du -sh node_modules`), `npm install`'s time, the time from `npm install` to the first verdict,
// and the verdict and report lines the user sees. Run after `npx tsc -p tsconfig.json`, under the load lock:
//   flock /tmp/conecta-e2e.lock node dist/node/bench/package/run.js [--port 18250] [--keep]
// The clone's own dependencies (for prepack's tsc and esbuild) are linked from this checkout's node_modules, as
// `npm ci` would install them; the user's folder gets its own from npm (its cache first).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../lib/package-files.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '18250' }, keep: { type: 'boolean', default: false } } });
const port = Number(values.port);

/** The foreign script the user brings: a few endpoints, a custom Trend and Counter, thresholds of its own. */
const SCRIPT = `import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';

const base = __ENV.TARGET;
const docsTime = new Trend('docs_time', true);
const healthy = new Counter('healthy_answers');

export const options = {
  vus: 5,
  duration: '15s',
  thresholds: { http_req_failed: ['rate<0.01'], docs_time: ['p(95)<800'], healthy_answers: ['count>50'] },
};

export default function () {
  const h = http.get(base + '/health', { tags: { name: 'health' } });
  if (check(h, { 'health 200': (r) => r.status === 200 })) healthy.add(1);
  const d = http.get(base + '/api/v1/docs', { tags: { name: 'docs' } });
  docsTime.add(d.timings.duration);
  sleep(0.2);
}
`;

interface Outcome { code: number | null; stdout: string; stderr: string; s: number }

/** The environment a user's shell has: none of npm's per-script variables, which point into the checkout. */
const userEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|NODE_PATH$|NODE_OPTIONS$)/i.test(k)));

/** One command, bounded in time (a hang ends the bench instead of holding the lock). */
function sh(cmd: string, args: string[], cwd: string, timeoutMs = 900_000): Promise<Outcome> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd, env: userEnv(), stdio: 'pipe', timeout: timeoutMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr, s: (performance.now() - t0) / 1000 })));
}

function must(step: string, o: Outcome, ok: readonly number[] = [0]): Outcome {
  if (!ok.includes(o.code ?? -1)) throw new Error(`${step} exited ${o.code}: ${(o.stderr || o.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  return o;
}

const tmp = mkdtempSync(join(tmpdir(), 'conecta-bench-package-'));
const clone = join(tmp, 'clone');
const home = join(tmp, 'my-load-tests');
let up = false;
try {
  must('git clone', await sh('git', ['clone', '--quiet', packageRoot(), clone], tmp));
  symlinkSync(join(packageRoot(), 'node_modules'), join(clone, 'node_modules'));
  const pack = must('npm pack', await sh('npm', ['pack', '--json', '--pack-destination', tmp], clone));
  const packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number; entryCount: number }[])[0]!;

  mkdirSync(home);
  writeFileSync(join(home, 'package.json'), JSON.stringify({ name: 'my-load-tests', private: true }));
  writeFileSync(join(home, 'checkout.js'), SCRIPT);
  const npx = (args: string[], ok?: readonly number[]) => sh('npx', ['--no-install', 'conecta-load', ...args], home).then((o) => must(args.slice(0, 2).join(' '), o, ok));

  // From here on, what the README's quickstart says, timed from `npm install` on.
  const t0 = performance.now();
  const install = must('npm install', await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed.filename)], home, 1_800_000));
  writeFileSync(join(home, 'thresholds.json'), readFileSync(join(home, 'node_modules', 'conecta-load', 'thresholds.json')));
  await npx(['sandbox', 'up', '--port', String(port), '--instances', '1', '--seed-scale', '0.02', '--data-dir', join(tmp, 'sandbox')]);
  up = true;
  const run = await npx(['run', '--script', 'checkout.js', '--target', `http://127.0.0.1:${port}`, '--gate', '--k6-thresholds', '--out', 'results/first'], [0, 1, 3]);
  const firstVerdictS = (performance.now() - t0) / 1000;
  const report = await npx(['report', 'results/first']);

  const du = (await sh('du', ['-sh', join(home, 'node_modules')], home)).stdout.split('\t')[0];
  const own = (await sh('du', ['-sh', join(home, 'node_modules', 'conecta-load')], home)).stdout.split('\t')[0];
  const line = (o: Outcome, re: RegExp) => (o.stdout + o.stderr).split('\n').find((l) => re.test(l)) ?? '(none)';
  console.log(`tarball: ${packed.filename} ${(statSync(join(tmp, packed.filename)).size / 1024).toFixed(0)} KiB (${packed.entryCount} files, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked)`);
  console.log(`installed: du -sh node_modules ${du} (conecta-load itself ${own})`);
  console.log(`npm install of the tarball: ${install.s.toFixed(0)} s`);
  console.log(`npm install → first verdict: ${firstVerdictS.toFixed(0)} s (install, sandbox up, a 15 s run --script --gate)`);
  console.log(`verdict: ${line(run, /^gate: /)}`);
  console.log(`report: ${line(report, /report: /)}`);
  if (values.keep) console.log(`kept: ${home}`);
} finally {
  if (up) await sh('npx', ['--no-install', 'conecta-load', 'sandbox', 'down', '--port', String(port)], home, 120_000);
  if (!values.keep && existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
}
