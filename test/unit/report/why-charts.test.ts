// The capacity report's "why it broke" charts, from a ladder with a real run's figures: one stacked bar per level
// (one segment per measured part), MVA's curves beside the measured points; nothing drawn without the data.
import { describe, expect, it } from 'vitest';
import { PARTS } from '../../../lib/capacity/decompose.js';
import { renderChartSvg } from '../../../lib/report/render-chart.js';
import { decompositionChart, whyCharts } from '../../../lib/report/why-charts.js';
import { makeCapacityResult, makeWhyCapacityResult } from './capacity-fixtures.js';

describe('why-it-broke charts', () => {
  const c = makeWhyCapacityResult();

  it('stacks each level’s parts in one bar, in the parts’ order, and draws MVA for throughput and response time', () => {
    const charts = whyCharts(c);
    expect(charts.map((x) => x.id)).toEqual(['decomposition', 'mva-throughput', 'mva-response-time']);
    const values = (decompositionChart(c)!.spec as { data: { values: { level: string; part: string; ms: number }[] } }).data.values;
    expect(values).toHaveLength(12);
    expect([...new Set(values.map((v) => v.level))]).toEqual(['10 VUs', '30 VUs']);
    expect(values.filter((v) => v.level === '30 VUs').map((v) => [v.part, v.ms])).toEqual([
      ['generator', 0.19], ['proxy', 0.21], ['api', 0], ['db', 706.57], ['cache', 0.03], ['unexplained', 1.8],
    ]);
    expect(values.map((v) => v.part).slice(0, 6)).toEqual([...PARTS]);
    expect(c.mva!.curves.map((k) => k.name)).toEqual(['measured topology', '2× API instances', '2× API CPU', '2× DB CPU']);
  });

  it('renders one bar segment per level and part', async () => {
    const svg = await renderChartSvg(decompositionChart(c)!);
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(12);
  });

  it('draws none of them for a ladder without decompositions or MVA', () => {
    expect(whyCharts(makeCapacityResult())).toEqual([]);
  });
});
