import { describe, expect, it } from 'vitest';
import { buildRunView } from '../../../lib/report/run-view.js';
import { renderReport, reportMarkdown } from '../../../lib/report/render.js';
import { makeRunResult } from './fixtures.js';

/** Every row of every Markdown table has as many cells as its header. */
function tableShapes(md: string): { header: number; row: number; line: string }[] {
  const bad: { header: number; row: number; line: string }[] = [];
  const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  const lines = md.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!/^\|(\s*:?-+:?\s*\|)+$/.test(lines[i]!)) continue;
    const header = cells(lines[i - 1]!);
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
      if (cells(lines[j]!) !== header) bad.push({ header, row: cells(lines[j]!), line: lines[j]! });
    }
  }
  return bad;
}

describe('run report rendering', () => {
  const r = makeRunResult({ durationS: 60, maxVus: 20, rateLimitedShare: 0.02, seed: 11 });

  it('writes Markdown with the verdict first, well-formed tables and charts linked by relative path', () => {
    const view = buildRunView(r);
    const files = new Map(view.charts.map((c) => [c.id, `report-${c.id}.svg`]));
    const md = reportMarkdown(view, files);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Load test: conecta-mix · load-500');
    expect(lines.findIndex((l) => l.startsWith('> **NOT JUDGED**'))).toBe(4);
    expect(md).toContain('![Latency percentiles over time](report-latency-over-time.svg)');
    expect(md).toContain('![Responses by status](report-status-codes.svg)');
    expect(md).toContain('| endpoint | requests | req/s | errors | error rate | 429 | P50 | P95 | P99 |');
    expect(md).toContain('| 429 | Too Many Requests (rate limit) |');
    expect(tableShapes(md)).toEqual([]);
    expect(md).not.toMatch(/\n{3,}/);
  });

  it("shows Prometheus's reading beside the run's, in HTML and Markdown", async () => {
    const withProm = {
      ...r, prometheus: {
        schema: 'conecta-load/prometheus-readback@1' as const, url: 'http://127.0.0.1:9090', testid: 'run-1', at: '2026-12-02T17:40:01Z',
        requests: r.overall.requests, p95: r.overall.latencyMs.p95 * 2, p99: r.overall.latencyMs.p99, errorRate: r.overall.errorRate, nativeSchema: 3, bucketFactor: 1.0905,
      },
    };
    const view = buildRunView(withProm);
    const out = await renderReport(view, 'report');
    const rows = [...out.html.matchAll(/<tr( class="flagged")?><td>(P95|P99|requests|error rate)<\/td>/g)].map((m) => [m[2], m[1] !== undefined]);
    expect(rows).toEqual([['P95', true], ['P99', false], ['requests', false], ['error rate', false]]);
    expect(out.html).toContain('a relative error up to 9.05 %');
    const md = reportMarkdown(view, new Map());
    expect(md).toContain('| P95 |');
    expect(md).toMatch(/\| P95 \| [^|]+ \| [^|]+ \| ×2\.000 \| no: a finding \|/);
    expect(tableShapes(md)).toEqual([]);
  });

  it('escapes pipes in Markdown table cells', () => {
    const odd = { ...r, endpoints: { 'GET /a|b': r.overall } };
    const md = reportMarkdown(buildRunView(odd), new Map());
    expect(md).toContain('| `GET /a\\|b` |');
    expect(tableShapes(md)).toEqual([]);
  });

  it('writes one self-contained HTML page: inline CSS and SVG, nothing fetched, everything escaped', async () => {
    const hostile = { ...r, meta: { ...r.meta, scenario: '<script>alert(1)</script>' } };
    const out = await renderReport(buildRunView(hostile), 'report');
    expect(out.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(out.html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(http/i);
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.html.match(/<svg /g)).toHaveLength(4);
    expect(out.html).toContain('.verdict {');
    expect(out.chartFiles.map((c) => c.file)).toEqual([
      'report-latency-over-time.svg', 'report-throughput-over-time.svg', 'report-latency-distribution.svg', 'report-status-codes.svg',
    ]);
    // SVG element ids are unique across the page (vega numbers them from 1 in every chart).
    const ids = [...out.html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays under 2 MB for a 1-hour run, within 2× the size of a 1-minute report', async () => {
    const hour = await renderReport(buildRunView(makeRunResult({ durationS: 3600, maxVus: 40, seed: 2 })), 'report');
    const minute = await renderReport(buildRunView(makeRunResult({ durationS: 60, maxVus: 40, seed: 2 })), 'report');
    expect(hour.html.length).toBeLessThan(2 * 1024 * 1024);
    expect(hour.html.length).toBeLessThan(2 * minute.html.length);
  });
});
