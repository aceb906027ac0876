// The toolkit as a user gets it: `npm pack` of this clone, installed into an empty folder outside it (the clone's
// node_modules out of reach), then `npx conecta-load doctor`, `sandbox up`, a short `run --gate`, `gate` and `report`
// from there, against an embedded sandbox started from the installed package; then the README's quickstart for your
// own script, its k6 script taken from the README itself, through `run --script --gate --k6-thresholds`. Prints the
// installed size, the time from `npm install` to the first verdict and the quickstart's verdict and report lines.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortBlock } from '../../lib/free-port.js';

const CLONE = resolve(import.meta.dirname, '../..');
/** The quickstart's own k6 script, as the README gives it (the heredoc a new user pastes). */
const QUICKSTART_SCRIPT = /cat > checkout\.js <<'JS'[^\n]*\n([\s\S]*?)\nJS\n/.exec(readFileSync(join(CLONE, 'README.md'), 'utf8'))?.[1];

interface Outcome { code: number | null; stdout: string; stderr: string }

/** The environment a user's shell has: none of npm's per-script variables, which point into the clone. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|NODE_PATH$|NODE_OPTIONS$)/i.test(k)));
}

/** One command, bounded in time: a hang fails the test instead of holding the suite. */
function sh(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Outcome> {
  const child = spawn(cmd, args, { cwd, env: userEnv(), stdio: 'pipe', timeout: timeoutMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr })));
}

const tmp = mkdtempSync(join(tmpdir(), 'conecta-package-'));
const home = join(tmp, 'project');
const cli = (args: string[], timeoutMs = 180_000) => sh('npx', ['--no-install', 'conecta-load', ...args], home, timeoutMs);
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let installS = 0;
let port = 0;

beforeAll(async () => {
  // prepack builds dist/ and the scenario bundles, as for a publish.
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', tmp], CLONE, 600_000);
  expect(pack.code, pack.stderr).toBe(0);
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as (typeof packed)[])[0]!;
  // The user's project: a folder of its own, nowhere under the clone.
  mkdirSync(home);
  writeFileSync(join(home, 'package.json'), JSON.stringify({ name: 'adopter', private: true }));
  const t0 = performance.now();
  // From npm's cache where it has the packages (the clone's `npm ci` filled it), else from the registry.
  const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed.filename)], home, 1_200_000);
  installS = (performance.now() - t0) / 1000;
  expect(install.code, install.stderr).toBe(0);
  port = await freePortBlock(2);
}, 1_800_000);

afterAll(async () => {
  if (port) await cli(['sandbox', 'down', '--port', String(port)], 60_000);
  rmSync(tmp, { recursive: true, force: true });
}, 120_000);

describe('conecta-load installed from its tarball', () => {
  it('ships what a user needs and nothing of the clone: compiled code, bundles, templates, schemas', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['bin/conecta-load.js', 'dist/node/cli/main.js', 'dist/node/sandbox/main.js', 'dist/scenarios/mix.js', 'reports/style.css', 'schemas/run-result.schema.json', 'thresholds.json']) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((p) => /^(lib|cli|scenarios|sandbox|test|bench|scripts|examples)\/|^dist\/node\/bench\/|\.ts$|\.js\.map$/.test(p) && !p.startsWith('dist/scenarios/'))).toEqual([]);
    expect(existsSync(join(home, 'node_modules', 'conecta-load', 'dist', 'scenarios', 'mix.js'))).toBe(true);
  });

  it('doctor finds k6 in the user cache and starts a sandbox from the installed package', async () => {
    const d = await cli(['doctor']);
    expect(d.stdout).toMatch(/^ok {4}k6 +v\d+\.\d+\.\d+ /m);
    expect(d.stdout).toMatch(/^ok {4}sandbox +started and stopped/m);
    expect(d.code, d.stdout + d.stderr).toBe(0);
  });

  it('sandbox up, run --gate, gate and report work from the install, reaching nothing in the clone', async () => {
    const t0 = performance.now();
    writeFileSync(join(home, 'thresholds.json'), readFileSync(join(home, 'node_modules', 'conecta-load', 'thresholds.json')));
    const up = await cli(['sandbox', 'up', '--port', String(port), '--instances', '1', '--seed-scale', '0.02', '--data-dir', join(tmp, 'sandbox')]);
    expect(up.code, up.stderr).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    expect(up.stdout).toContain(url);

    const run = await cli(['run', '--target', url, '--profile', 'smoke', '--duration', '5s', '--out', 'results/first', '--gate'], 300_000);
    const firstVerdictS = installS + (performance.now() - t0) / 1000;
    // A 5 s smoke is too short to prove the targets: pass, fail or inconclusive, but a verdict.
    expect([0, 1, 3], run.stderr).toContain(run.code);
    const verdict = JSON.parse(readFileSync(join(home, 'results', 'first', 'verdict.json'), 'utf8')) as { verdict: string };
    expect(['pass', 'warn', 'fail', 'inconclusive']).toContain(verdict.verdict);
    const output = run.stdout + run.stderr;
    expect(output).not.toContain(CLONE);

    const gate = await cli(['gate', 'results/first']);
    expect(gate.code).toBe(run.code);
    const report = await cli(['report', 'results/first']);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(home, 'results', 'first', 'report.html'), 'utf8')).toContain('<html');

    // One du per folder: du counts a file once, so the package would read 0 after the folder holding it.
    const kib = async (dir: string) => Number((await sh('du', ['-sk', dir], home, 60_000)).stdout.split('\t')[0]);
    const all = await kib(join(home, 'node_modules'));
    const own = await kib(join(home, 'node_modules', 'conecta-load'));
    console.log(`package: tarball ${(packed.size / 1024).toFixed(0)} KiB, unpacked ${(packed.unpackedSize / 1024).toFixed(0)} KiB; ` +
      `installed: conecta-load ${(own / 1024).toFixed(1)} MiB, with its dependencies ${(all / 1024).toFixed(0)} MiB; ` +
      `npm install ${installS.toFixed(0)} s, first verdict (${verdict.verdict}) ${firstVerdictS.toFixed(0)} s after npm install began (sandbox up and a 5 s smoke run --gate; doctor not counted)`);
  });
  it('follows the README quickstart: a foreign k6 script through run --script --gate --k6-thresholds, then report', async () => {
    expect(QUICKSTART_SCRIPT, 'README.md: the quickstart\'s `cat > checkout.js <<\'JS\'` block').toBeDefined();
    writeFileSync(join(home, 'checkout.js'), QUICKSTART_SCRIPT! + '\n');
    const url = `http://127.0.0.1:${port}`;
    const run = await cli(['run', '--script', 'checkout.js', '--target', url, '--gate', '--k6-thresholds', '--out', 'results/quickstart'], 300_000);
    const output = run.stdout + run.stderr;
    expect(output).not.toContain(CLONE);
    expect(run.stdout).toMatch(/^gate: PASS \(exit 0\) · checkout \/ own/m);
    expect(run.code, run.stderr).toBe(0);
    const verdict = JSON.parse(readFileSync(join(home, 'results', 'quickstart', 'verdict.json'), 'utf8')) as { criteria: { group: string; metric: string; status: string }[] };
    expect(verdict.criteria.filter((c) => c.group === 'k6').map((c) => [c.metric, c.status]).sort()).toEqual([
      ['docs_time', 'pass'], ['healthy_answers', 'pass'], ['http_req_failed', 'pass'],
    ]);
    const report = await cli(['report', 'results/quickstart']);
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(join(home, 'results', 'quickstart', 'report.html'))).toBe(true);
    const line = (o: Outcome, re: RegExp) => (o.stdout + o.stderr).split('\n').find((l) => re.test(l));
    console.log(`quickstart: ${line(run, /^gate: /)}; ${line(report, /report: /)}`);
  });
});
