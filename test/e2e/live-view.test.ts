// End to end: `run --live` with the real k6 against the real embedded sandbox, watched in headless Chromium (Debian's,
// through playwright-core). The page's per-second figures change while the run goes on, the sequential gate's
// sequences are fed on it, a restarted instance shows as a fault event, a screenshot is taken mid-run, the end links to the run's
// report and record, and the server is gone once the run has ended. Needs `make build` and k6.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../lib/sandbox/control.js';
import { browserForFile } from './chromium.js';

const BIN = resolve(import.meta.dirname, '../../bin/conecta-load.js');
const out = mkdtempSync(join(tmpdir(), 'conecta-live-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const browser = browserForFile(join(out, 'browser'));
const VIEWPORT = { width: 1000, height: 760 };
writeFileSync(join(out, 'thresholds.json'), JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<5%' } }));

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number; bytes: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length };
}

describe('run --live (real k6, real sandbox, headless Chromium)', () => {
  it('updates the page every second while the run goes on, with the gate sequences and a fault event, then links to the report; the server stops with the run', async () => {
    const sandbox = await startSandbox({ port: 18630, instances: 2, dataDir: join(out, 'sandbox'), seedScale: 0.1 });
    try {
      const dir = join(out, 'run');
      // Judged every second (no PASS before 60 s of steady load, so 20 s ends undecided), an instance restarted at 8 s.
      const child = spawn(process.execPath, [BIN, 'run', '--live', '--target', sandbox.url, '--gate', '--until-decided', '--max-duration', '20s',
        '--chaos', 'restart:api-2@8s', '--out', dir, '-e', 'THINK_MIN_S=0.2', '-e', 'THINK_MAX_S=0.5'], { cwd: out, stdio: 'pipe' });
      let stderr = '';
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      // The one line that names the page, printed before any load.
      const url = await new Promise<string>((res, rej) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /^live view: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stderr);
          if (m) res(m[1]!);
        });
        void exited.then(() => rej(new Error(`the run ended before naming its live view: ${stderr}`)));
      });
      child.stdout.resume();

      const page = await browser().newPage({ viewport: VIEWPORT });
      await page.goto(url);
      const second = page.locator('[data-figure="second"] .value');
      const rps = page.locator('[data-figure="rps"] .value');
      // Two different closed seconds, each with its throughput: the page is pushed them as the ingest closes them.
      await second.waitFor({ timeout: 45_000 });
      const first = [await second.textContent(), await rps.textContent()];
      await page.waitForFunction((prev) => document.querySelector('[data-figure="second"] .value')?.textContent !== prev, first[0], { timeout: 20_000 });
      const next = [await second.textContent(), await rps.textContent()];
      expect(first[0]).toMatch(/^\d+ s$/);
      expect(next[0]).toMatch(/^\d+ s$/);
      expect(Number.parseInt(next[0]!, 10)).toBeGreaterThan(Number.parseInt(first[0]!, 10));
      expect(Number(first[1])).toBeGreaterThan(0);
      // The run's three charts, then one per gate criterion once its sequence has started.
      const charts = await page.locator('[data-chart]').evaluateAll((xs) => xs.map((x) => (x as HTMLElement).dataset.chart!));
      expect(charts.slice(0, 3)).toEqual(['throughput', 'latency', 'vus']);
      for (const c of charts.slice(3)) expect(c).toMatch(/^gate-/);
      expect(await page.locator('body').getAttribute('data-status')).toBe('running');

      const shot = join(out, 'live-mid-run.png');
      await page.screenshot({ path: shot });
      const size = pngSize(shot);
      expect([size.width, size.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
      expect(size.bytes).toBeGreaterThan(10_000);
      // A copy for a person to look at, beside the reports' screenshots.
      mkdirSync(resolve('test-output'), { recursive: true });
      copyFileSync(shot, resolve('test-output/live-mid-run.png'));

      // The gate's error-rate sequence, read twice some seconds apart: fed live, its requests grow. Its bounds move
      // only once a 60-s batch is complete (the dependence the gate allows for), which a 20-s run never reaches:
      // the narrowing itself is test/unit/live/view.test.ts's, with exact values.
      const errorRow = page.locator('#gate li', { hasText: / errorRate / });
      await errorRow.waitFor({ timeout: 30_000 });
      const width = (t: string | null) => {
        const m = /— ([\d.]+) %–([\d.]+) % of ([\d,]+) requests/.exec(t ?? '');
        expect(m, t ?? '').not.toBeNull();
        return { width: Number(m![2]) - Number(m![1]), requests: Number(m![3]!.replace(/,/g, '')) };
      };
      const early = width(await errorRow.textContent());
      await page.waitForFunction((n) => {
        const li = [...document.querySelectorAll('#gate li')].find((x) => x.textContent!.includes(' errorRate '));
        const m = /of ([\d,]+) requests/.exec(li?.textContent ?? '');
        return m !== null && Number(m[1]!.replace(/,/g, '')) > n * 2;
      }, early.requests, { timeout: 30_000 });
      const later = width(await errorRow.textContent());
      expect(later.requests).toBeGreaterThan(early.requests * 2);
      expect(later.width).toBeLessThanOrEqual(early.width);
      expect(await errorRow.textContent()).toMatch(/ errorRate .*: undecided — /);
      // The restart, listed as it ends.
      const fault = page.locator('#faults li', { hasText: 'restart:api-2' });
      await fault.waitFor({ timeout: 45_000 });
      expect(await fault.textContent()).toMatch(/^#1 restart:api-2 at [\d.]+ s, [\d.]+ s: ok — /);

      // The end: a link to the report, written by the run, and to result.json.
      const link = page.locator('[data-link="report.html"]');
      await link.waitFor({ timeout: 60_000 });
      expect(await link.getAttribute('href')).toBe(`file://${join(dir, 'report.html')}`);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<html');
      expect(await page.locator('[data-link="result.json"]').getAttribute('href')).toBe(`file://${join(dir, 'result.json')}`);
      expect(await page.locator('#end-summary').textContent()).toMatch(/^complete: [\d,]+ requests, P95 [\d.]+ ms, P99 [\d.]+ ms, errors [\d.]+ %; verdict [A-Z]+$/);
      expect(await page.locator('body').getAttribute('data-status')).toBe('ended');
      await page.close();

      // Undecided at 20 s: inconclusive (exit 3), the verdict written.
      expect(await exited, stderr).toBe(3);
      expect(existsSync(join(dir, 'result.json'))).toBe(true);
      // Stopped with the run: nothing listens on the page's port any more.
      await expect(fetch(url)).rejects.toThrow();
      console.log(`live view: seconds ${first[0]} (${first[1]} req/s) then ${next[0]} (${next[1]} req/s); gate error-rate sequence fed ${early.requests} then ${later.requests} requests; screenshot ${size.width}×${size.height}, ${size.bytes} bytes`);
    } finally {
      await sandbox.stop();
    }
  }, 120_000);
});
