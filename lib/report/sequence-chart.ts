// The run report's chart of the sequential gate: each gating criterion's confidence sequence (the band its share
// lies in, second by second) narrowing over the run against its target's share, with the second it was decided
// marked. One vega-lite spec, a row per criterion; data from the verdict's `sequential.series`. Pure.

import type { TopLevelSpec } from 'vega-lite';
import type { SequenceSeries } from '../gate/schema.js';
import type { ChartDef } from './render-chart.js';

export const SEQUENCE_CHART_ID = 'confidence-sequence';
/** The band is drawn up to this many times the target's share: above it, only "far above" matters. */
const CLIP = 4;
/** Points per criterion: one a second for a 10-minute run, every few seconds beyond. */
const MAX_POINTS = 600;

const label = (s: SequenceSeries) => `${s.group} ${s.metric}: ${s.decision === 'undecided' ? 'undecided' : `${s.decision.toUpperCase()} at ${s.decidedAtS} s`}`;

export function sequenceChart(series: readonly SequenceSeries[]): ChartDef | undefined {
  const drawn = series.filter((s) => s.points.length > 0);
  if (drawn.length === 0) return undefined;
  const values = drawn.flatMap((s) => {
    const step = Math.max(1, Math.ceil(s.points.length / MAX_POINTS));
    const top = CLIP * s.share;
    return s.points
      .filter((_, i) => i % step === 0 || i === s.points.length - 1)
      .map(([t, lower, upper]) => ({
        criterion: label(s), t, lower: Math.min(lower, top), upper: Math.min(upper, top), share: s.share, top,
        decided: s.decidedAtS, decision: s.decision,
      }));
  });
  const spec: TopLevelSpec = {
    data: { values },
    facet: { row: { field: 'criterion', type: 'nominal', title: null, header: { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontSize: 12 } } },
    spec: {
      width: 760,
      height: 140,
      layer: [
        {
          mark: { type: 'area', opacity: 0.35, color: '#2563eb' },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'seconds since the first sample' },
            y: { field: 'lower', type: 'quantitative', title: 'share of requests', axis: { format: '.2~%' } },
            y2: { field: 'upper' },
          },
        },
        { mark: { type: 'rule', color: '#dc2626', strokeDash: [4, 3] }, encoding: { y: { field: 'share', aggregate: 'max', type: 'quantitative' } } },
        {
          transform: [{ filter: 'datum.decided != null' }],
          mark: { type: 'rule', color: '#111827', strokeWidth: 1.5 },
          encoding: { x: { field: 'decided', aggregate: 'max', type: 'quantitative' }, color: { field: 'decision', type: 'nominal', scale: { domain: ['pass', 'fail'], range: ['#16a34a', '#dc2626'] }, legend: null } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
  return {
    id: SEQUENCE_CHART_ID,
    title: 'Sequential gate: each gating criterion\'s confidence sequence against its target',
    caption:
      `The blue band holds the criterion's share of slow or failed requests with 95 % confidence at every second at once; ` +
      `the dashed red line is the share its target allows (5 % for a P95). The band below the line is a PASS, above it a FAIL; ` +
      `the solid line marks the second it was decided. Shares above ${CLIP} × the target are drawn at the top.`,
    spec,
  };
}
