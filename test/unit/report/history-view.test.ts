// The history section/report: one chart per key figure with the change points marked, drawn by vega to SVG, and
// the change table; too short a history gives none.
import { describe, expect, it } from 'vitest';
import { buildHistoryView } from '../../../lib/report/history-view.js';
import { renderReport } from '../../../lib/report/render.js';
import { historyEntry, wobble } from '../history/fixtures.js';

const runs = Array.from({ length: 20 }, (_, k) => historyEntry(k + 1, (k + 1 >= 12 ? 140 : 100) * wobble(k)));
const h = { schema: 'conecta-load/history@1' as const, runs };

describe('history view', () => {
  it('charts P95, P99, error rate and throughput; marks the change point at run 12 and the current run', () => {
    const v = buildHistoryView(h, 'mix', 'smoke', '/runs/run-15')!;
    expect(v.chartIds).toEqual(['history-p95', 'history-p99', 'history-errorRate', 'history-throughput']);
    const p95 = JSON.stringify(v.charts[0]!.spec);
    expect(p95).toContain('"run":12,"label":"+40 %"');
    expect(p95).toContain('"shape":"diamond"');
    expect(v.charts[0]!.caption).toMatch(/change points \(1\)/);
    expect(v.changes.map((c) => `${c.run} ${c.series} ${c.change}`)).toEqual(['#12 run-12 overall p99 +40.0 %', '#12 run-12 overall p95 +40.0 %']);
  });

  it('renders a history report: HTML with the four SVG charts inline, Markdown linking them, the change table', async () => {
    const r = await renderReport(buildHistoryView(h, 'mix', 'smoke')!, 'history');
    expect(r.chartFiles.map((c) => c.file)).toEqual(['history-history-p95.svg', 'history-history-p99.svg', 'history-history-errorRate.svg', 'history-history-throughput.svg']);
    expect(r.html.match(/<svg/g)).toHaveLength(4);
    expect(r.html).toContain('<table id="history-changes">');
    expect(r.markdown).toContain('![P95 over the judged runs](history-history-p95.svg)');
    expect(r.markdown).toMatch(/\| #12 run-12 \| .* \| `overall p95` \| .* \| \+40\.0 % \|/);
  });

  it('needs 3 judged runs of the scenario and profile', () => {
    expect(buildHistoryView({ ...h, runs: runs.slice(0, 2) }, 'mix', 'smoke')).toBeNull();
    expect(buildHistoryView(h, 'other', 'smoke')).toBeNull();
  });
});
