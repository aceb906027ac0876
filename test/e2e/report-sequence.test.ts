// End to end: a run judged by `gate --sequential`, its report rendered by `conecta-load report`, opened offline in
// real headless Chromium (Debian's /usr/bin/chromium via playwright-core): the confidence-sequence chart is there,
// one row per gating criterion, each band drawn from data against its target, the decision's second marked.

import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerReport } from '../../cli/report.js';
import { runGateCommand } from '../../lib/gate/command.js';
import { memoryIo } from '../../lib/io.js';
import { writeRunResult } from '../../lib/result/store.js';
import { steadyRun } from '../unit/gate/sequential/timeline-result.js';
import { browserForFile } from './chromium.js';

const OUT = resolve('test-output/e2e-report-sequence');
const browser = browserForFile(OUT);

describe('the sequential gate in the run report', () => {
  it('draws each gating criterion\'s confidence sequence narrowing against its target, with the decision marked', async () => {
    const dir = join(OUT, 'run');
    writeRunResult(dir, steadyRun({ rampS: 5, steadyS: 120, rps: 200, latencyMs: (i) => (i % 25 === 0 ? 600 : 5 + (i % 10)) }));
    const io = memoryIo({ cwd: OUT, now: () => Date.parse('2026-01-02T00:00:00Z') });
    const thresholds = resolve('thresholds.json');
    // 4 % of requests at 600 ms: P99 < 500 ms fails (share 4 % > 1 %), P95 < 300 ms holds (4 % < 5 %) and no error is
    // below 0.1 % (8 368 requests are in by then), all three at the first second the overdispersion is measured at two
    // batch lengths: 60 s of steady load after the ramp.
    expect(await runGateCommand([dir], { thresholds, sequential: true, history: false }, io)).toBe(1);
    const program = new Command('conecta-load').exitOverride();
    registerReport(program, io, () => undefined);
    await program.parseAsync(['node', 'conecta-load', 'report', dir]);

    const page = await browser().newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('file://' + join(dir, 'report.html'), { waitUntil: 'load' });
    const chart = await page.$eval('#chart-confidence-sequence', (f) => {
      const svg = f.querySelector('svg')!;
      const texts = Array.from(svg.querySelectorAll('text')).map((t) => (t.textContent ?? '').trim());
      const areas = Array.from(svg.querySelectorAll('g[class*="role-mark"] path')).filter((p) => (p.getAttribute('aria-roledescription') ?? '') === 'area' || /area/.test(p.parentElement?.getAttribute('class') ?? ''));
      const rules = Array.from(svg.querySelectorAll('g[class*="role-mark"] line'));
      return { width: svg.getBoundingClientRect().width, texts, areaPaths: areas.map((p) => (p.getAttribute('d') ?? '').length), rules: rules.length };
    });
    await page.screenshot({ path: resolve('test-output/report-sequence.png'), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
    expect(chart.width).toBeGreaterThan(400);
    // One row per gating criterion of thresholds.json, labelled with its decision and second.
    const rows = chart.texts.filter((t) => t.startsWith('overall '));
    expect(rows).toEqual(['overall errorRate: PASS at 64 s', 'overall p95: PASS at 64 s', 'overall p99: FAIL at 64 s']);
    // Each band is a drawn area, and target lines plus decision marks are rules: 3 targets, 3 decisions.
    expect(chart.areaPaths).toHaveLength(3);
    for (const d of chart.areaPaths) expect(d).toBeGreaterThan(100);
    expect(chart.rules).toBe(6);
  }, 60_000);
});
