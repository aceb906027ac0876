// End to end: `conecta-load report` writes run and capacity reports from generated results, and real headless Chromium
// (Debian's /usr/bin/chromium via playwright-core) opens it offline: every chart drawn with data, no console
// errors, no network request; a full-page screenshot is saved under test-output/ for a person to look at.

import { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerReport } from '../../cli/report.js';
import { memoryIo } from '../../lib/io.js';
import { writeCapacity } from '../../lib/capacity/store.js';
import { writeRunResult } from '../../lib/result/store.js';
import { makeCapacityResult, makeWhyCapacityResult } from '../unit/report/capacity-fixtures.js';
import { makeRunResult } from '../unit/report/fixtures.js';
import { browserForFile } from './chromium.js';

const OUT = resolve('test-output/e2e-report');

const browser = browserForFile(OUT);

/** Runs `conecta-load report <args>` through the real command registration, with a real filesystem. */
async function report(args: string[]): Promise<string> {
  const io = memoryIo({ cwd: process.cwd() });
  const program = new Command('conecta-load').exitOverride();
  registerReport(program, io, () => undefined);
  await program.parseAsync(['node', 'conecta-load', 'report', ...args]);
  return io.out.join('');
}

interface ChartCheck {
  id: string;
  width: number;
  /** Mark groups vega drew (role-mark) with at least one non-empty shape. */
  marksWithData: number;
  /** Path commands in the busiest mark: a line of 300 points has ~300. */
  maxSegments: number;
  /** Most drawn shapes in one mark group: one per bar of a bar chart. */
  maxShapes: number;
}

/** Every image the Markdown links to was written beside it. */
function expectImagesBeside(md: string, dir: string): void {
  for (const m of md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) expect(existsSync(join(dir, m[1]!))).toBe(true);
}

/** The page loaded offline without console errors, and shows these charts in order, each wide and drawn with data. */
function expectChartsDrawn(seen: Awaited<ReturnType<typeof openReport>>, ids: string[], minMarksWithData: number): void {
  expect(seen.consoleErrors).toEqual([]);
  expect(seen.requests).toEqual([]);
  expect(seen.charts.map((c) => c.id)).toEqual(ids);
  for (const c of seen.charts) {
    expect(c.width, c.id).toBeGreaterThan(400);
    expect(c.marksWithData, c.id).toBeGreaterThanOrEqual(minMarksWithData);
  }
}

/** Opens a report file offline and inspects every chart. */
async function openReport(file: string, screenshot: string) {
  const page = await browser().newPage({ viewport: { width: 1100, height: 900 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto('file://' + file, { waitUntil: 'load' });
  const charts: ChartCheck[] = await page.$$eval('figure.chart', (figs) =>
    figs.map((f) => {
      const svg = f.querySelector('svg');
      const marks = svg ? Array.from(svg.querySelectorAll('g[class*="role-mark"]')) : [];
      let marksWithData = 0;
      let maxSegments = 0;
      let maxShapes = 0;
      for (const g of marks) {
        const shapes = Array.from(g.querySelectorAll('path, rect, line, text'));
        const drawn = shapes.filter((s) => {
          const d = s.getAttribute('d');
          if (d !== null) return d.length > 4;
          return s.tagName !== 'text' || (s.textContent ?? '').trim() !== '';
        });
        if (drawn.length > 0) marksWithData++;
        maxShapes = Math.max(maxShapes, drawn.length);
        for (const s of shapes) maxSegments = Math.max(maxSegments, (s.getAttribute('d') ?? '').split(/[LCHVQ]/).length - 1);
      }
      return { id: f.id, width: svg ? svg.getBoundingClientRect().width : 0, marksWithData, maxSegments, maxShapes };
    }),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
  const [verdictIndex, answerIndex] = await page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('main > *'));
    return [all.findIndex((e) => e.id === 'verdict'), all.findIndex((e) => e.id === 'answer')];
  });
  await page.close();
  return { charts, consoleErrors, requests, verdictIndex, answerIndex };
}

describe('report in a real browser', () => {
  it('renders a 1-hour run report offline with every chart drawn from data', async () => {
    const dir = join(OUT, 'run-1h');
    writeRunResult(dir, makeRunResult({
      durationS: 3600, maxVus: 80, capacityRps: 55, errorRateStart: 0.0005, errorRateEnd: 0.02,
      rateLimitedShare: 0.004, droppedIterations: 40, seed: 17,
    }));
    const printed = await report([dir]);
    expect(printed).toContain(`run report: ${join(dir, 'report.html')}`);
    const html = join(dir, 'report.html');
    expect(statSync(html).size).toBeLessThan(2 * 1024 * 1024);
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    // The simulated stack tops out at 55 req/s while VUs ramp to 80, and its errors climb: both must be said.
    expect(md).toContain('Throughput flat while users grew');
    expect(md).toContain('Error rate rose during the run');
    expectImagesBeside(md, dir);

    const shot = resolve('test-output/report-run.png');
    const seen = await openReport(html, shot);
    expect(seen.verdictIndex).toBe(2); // h1, subtitle, then the verdict
    expectChartsDrawn(seen, [
      'chart-latency-over-time', 'chart-throughput-over-time', 'chart-latency-distribution', 'chart-status-codes',
    ], 1);
    // The timelines are downsampled to 300 points, not 3600, and not fewer.
    const latency = seen.charts.find((c) => c.id === 'chart-latency-over-time')!;
    expect(latency.maxSegments).toBeGreaterThanOrEqual(299);
    expect(latency.maxSegments).toBeLessThan(3600);
    // One bar per latency bin and per status code.
    expect(seen.charts.find((c) => c.id === 'chart-latency-distribution')!.maxShapes).toBeGreaterThanOrEqual(10);
    expect(seen.charts.find((c) => c.id === 'chart-status-codes')!.maxShapes).toBe(4);
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });

  it('renders a capacity report offline: answer first, USL curve, latency vs users, resource bands', async () => {
    const dir = join(OUT, 'capacity');
    writeCapacity(dir, makeCapacityResult({ dir: (u) => `level-${u}` }));
    // One level's run is at hand: its own insights (rate limiting, dropped iterations) join the report.
    writeRunResult(join(dir, 'level-3000'), makeRunResult({ durationS: 60, maxVus: 150, rateLimitedShare: 0.02, droppedIterations: 30, seed: 5 }));
    const printed = await report([dir, '--out', join(dir, 'out', 'capacity.html')]);
    expect(printed).toContain('capacity report: ' + join(dir, 'out', 'capacity.html'));
    expect(printed).toContain('Asserted table: ');
    const md = readFileSync(join(dir, 'out', 'capacity.md'), 'utf8');
    expect(md).toContain('At 3,000 users (150 VUs): Rate limiting was hit');
    expectImagesBeside(md, join(dir, 'out'));

    const shot = resolve('test-output/report-capacity.png');
    const seen = await openReport(join(dir, 'out', 'capacity.html'), shot);
    expect(seen.answerIndex).toBe(2);
    expectChartsDrawn(seen, [
      'chart-throughput-vs-users', 'chart-latency-vs-users', 'chart-resource-ram-vs-users', 'chart-resource-cpu-vs-throughput',
    ], 2);
    // USL: a 120-segment curve (split in two parts) plus five measured points.
    const usl = seen.charts.find((c) => c.id === 'chart-throughput-vs-users')!;
    expect(usl.maxSegments).toBeGreaterThanOrEqual(40);
    expect(usl.maxShapes).toBeGreaterThanOrEqual(5);
  });

  it('renders why it broke: one stacked bar per level with a segment per part, and MVA beside the measured levels', async () => {
    const dir = join(OUT, 'capacity-why');
    writeCapacity(dir, makeWhyCapacityResult());
    await report([dir, '--out', join(dir, 'out', 'capacity.html')]);
    const md = readFileSync(join(dir, 'out', 'capacity.md'), 'utf8');
    expect(md).toContain('## Why it broke');
    expectImagesBeside(md, join(dir, 'out'));

    const seen = await openReport(join(dir, 'out', 'capacity.html'), resolve('test-output/report-capacity-why.png'));
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.requests).toEqual([]);
    const ids = seen.charts.map((c) => c.id);
    const at = ids.indexOf('chart-decomposition');
    expect(ids.slice(at, at + 3)).toEqual(['chart-decomposition', 'chart-mva-throughput', 'chart-mva-response-time']);
    const page = await browser().newPage();
    await page.goto('file://' + join(dir, 'out', 'capacity.html'), { waitUntil: 'load' });
    const bars = await page.$$eval('figure#chart-decomposition svg path[aria-roledescription="bar"]', (ps) =>
      ps.map((p) => /level: ([^;]+); .*part: ([^;]+);/.exec(p.getAttribute('aria-label') ?? '')?.slice(1) ?? []));
    const mvaLines = await page.$$eval('figure#chart-mva-throughput svg g.mark-line.role-mark path', (ps) => ps.length);
    const mvaPoints = await page.$$eval('figure#chart-mva-throughput svg g.mark-symbol.role-mark path', (ps) => ps.length);
    await page.close();
    // Two levels × six parts (generator, proxy, api, db, cache, unexplained), in that order within each level.
    expect(bars).toHaveLength(12);
    expect([...new Set(bars.map((b) => b[0]))]).toEqual(['10 VUs', '30 VUs']);
    expect(bars.filter((b) => b[0] === '30 VUs').map((b) => b[1])).toEqual(['generator', 'proxy', 'api', 'db', 'cache', 'unexplained']);
    // Four MVA curves (one line each) and the two measured levels as points.
    expect([mvaLines, mvaPoints]).toEqual([4, 2]);
  });
});
