// What the run report adds for a run with a fault plan: on the timeline charts a rule and a label at each event
// and a shaded band over each outage; beside them one sentence per event. Pure (result → specs and text).

import type { LayerSpec, UnitSpec } from 'vega-lite/build/src/spec/index.js';
import type { RunResult } from '../result/schema.js';
import { outageSpans } from '../resilience/analyze.js';
import { describeEvent, eventName, formatResilience } from '../resilience/describe.js';

export const EVENT_COLOR = '#7c3aed';
export const OUTAGE_COLOR = '#fecaca';

const round = (x: number) => Number(x.toFixed(3));

/** Layers over a timeline chart whose x is seconds since the first timeline second, divided by `div`. */
export function eventLayers(r: RunResult, div: number): Array<LayerSpec<string> | UnitSpec<string>> {
  const res = r.resilience;
  const t0 = r.timeline[0]?.t;
  if (!res || t0 === undefined) return [];
  const x = (tS: number) => round((tS - t0) / div);
  const outages = outageSpans(r.timeline, res.settings).map((o) => ({ x: x(o.fromT), x2: x(o.toT + 1) }));
  const events = res.events
    .filter((e) => e.startedAtMs !== null)
    // Short labels, staggered in three rows, so events a few seconds apart stay readable.
    .map((e) => ({ x: x(e.startedAtMs! / 1000), y: ((e.index - 1) % 3) * 11, label: `#${e.index} ${e.kind === 'exec' ? 'exec' : e.action}` }));
  const layers: Array<LayerSpec<string> | UnitSpec<string>> = [];
  if (outages.length) {
    layers.push({
      data: { values: outages },
      mark: { type: 'rect', color: OUTAGE_COLOR, opacity: 0.6 },
      encoding: { x: { field: 'x', type: 'quantitative' }, x2: { field: 'x2' } },
    });
  }
  if (events.length) {
    layers.push({
      data: { values: events },
      layer: [
        { mark: { type: 'rule', color: EVENT_COLOR, strokeDash: [2, 2] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, angle: 0, color: EVENT_COLOR, fontSize: 9 },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: null }, text: { field: 'label' } },
        },
      ],
    });
  }
  return layers;
}

/** The caption sentence the timeline charts add when they carry events. */
export function eventCaption(r: RunResult): string {
  if (!r.resilience?.events.some((e) => e.startedAtMs !== null)) return '';
  return 'Purple rules: the fault plan\'s events; red bands: outage seconds (success below ' +
    `${Math.round(r.resilience.settings.outageBelow * 1000) / 10} %). `;
}

export interface ResilienceView {
  summary: string;
  events: Array<{ name: string; sentence: string; outcome: string; detail: string }>;
}

export function resilienceView(r: RunResult): ResilienceView | null {
  const res = r.resilience;
  if (!res) return null;
  return {
    summary: formatResilience(res).split('\n')[0]!,
    events: res.events.map((e) => ({ name: eventName(e), sentence: describeEvent(e), outcome: e.outcome, detail: e.detail })),
  };
}
