// The capacity report's view-model: the answer first (max users today, saturation, sizing, the asserted table
// confirmed/refuted), then levels, models and caveats, every figure formatted. Pure.

import { describeBudget } from '../result/budget.js';
import type { CapacityResult, CellVerdict, Estimate, Level } from '../capacity/schema.js';
import type { RunResult } from '../result/schema.js';
import { capacityCharts, coef } from './capacity-charts.js';
import { capacityInsights } from './capacity-insights.js';
import { fmtBytes, fmtInt, fmtMs, fmtPct, sig } from './format.js';
import type { Insight } from './insights.js';
import type { ChartDef } from './render-chart.js';
import type { Row } from './run-view.js';

export interface SizingRowView {
  users: string;
  throughput: string;
  instances: string;
  dbConnections: string;
  ram: string;
  extrapolated: boolean;
  notes: string;
}

export interface AssertionRowView {
  users: string;
  resource: string;
  asserted: string;
  measured: string;
  verdict: CellVerdict['verdict'];
  reason: string;
}

export interface LevelRowView {
  users: string;
  vus: string;
  throughput: string;
  p50: string;
  p95: string;
  p99: string;
  errorRate: string;
  gate: string;
  /** The gate's verdict, for colour: pass, warn, fail, inconclusive, not-judged. */
  gateStatus: string;
  within: boolean;
  /** Within targets but P95 or P99 within 10 % of its target, or the gate's warn tier. */
  marginal: boolean;
}

export interface CapacityView {
  kind: 'capacity';
  title: string;
  subtitle: string;
  /** ok: some level held the targets, so there is a number to give. */
  answer: { ok: boolean; headline: string; detail: string; facts: Row[] };
  sizing: SizingRowView[];
  assertions: AssertionRowView[];
  assertionCounts: string;
  levels: LevelRowView[];
  model: Row[];
  insights: Insight[];
  caveats: string[];
  meta: Row[];
  charts: ChartDef[];
  /** Ids of the resource-model charts, in order (the template lists them under one heading). */
  resourceChartIds: string[];
}

/** "25 (23–27)"; one number when the interval is a point. */
export function fmtEstimate(e: Estimate, f: (x: number) => string = (x) => fmtInt(x)): string {
  const [v, lo, hi] = [f(e.value), f(e.low), f(e.high)];
  return lo === hi && lo === v ? v : `${v} (${lo}–${hi})`;
}

const RESOURCE_LABEL: Record<CellVerdict['resource'], string> = {
  apiInstances: 'API instances', dbConnections: 'DB connections', ramGb: 'RAM (GB)',
};

/** Within 10 % of a target counts as marginal: one more noisy run could fall either side. */
export const MARGINAL_BAND = 0.1;

export function isMarginal(l: Level, c: CapacityResult): boolean {
  if (l.verdict.run.verdict === 'warn') return true;
  if (!l.verdict.steady.withinTargets) return false;
  return l.latencyMs.p95 >= (1 - MARGINAL_BAND) * c.targets.p95Ms || l.latencyMs.p99 >= (1 - MARGINAL_BAND) * c.targets.p99Ms;
}

function answerOf(c: CapacityResult): CapacityView['answer'] {
  const m = c.maxUsers;
  const inst = `${m.instances} API instance${m.instances === 1 ? '' : 's'}`;
  const headline = m.users
    ? `Today, with ${inst}, the stack holds about ${fmtInt(m.users.value)} concurrent users (VUs) within the targets` +
      `${m.users.low !== m.users.high ? ` (between ${fmtInt(m.users.low)} and ${fmtInt(m.users.high)})` : ''}.`
    : `Today, with ${inst}, no measured level held the targets.`;
  const s = c.saturation;
  const facts: Row[] = [
    { label: 'limited by', value: m.limitedBy },
    { label: 'targets first broken at', value: s.firstBreachVus === null ? 'no level broke them' : `${fmtInt(s.firstBreachVus)} VUs` },
    { label: 'latency knee (P95 vs load)', value: s.kneeVus === null ? 'none seen' : `${fmtInt(s.kneeVus)} VUs` },
    {
      label: 'throughput peak (USL)',
      value: s.uslPeakVus === null
        ? 'none: throughput still rising in the model'
        : `${fmtInt(s.uslPeakVus)} VUs${c.usl.maxThroughput !== null ? `, ${sig(c.usl.maxThroughput)} requests/s` : ''}`,
    },
    {
      label: 'one instance within targets',
      value: c.perInstance.throughputAtTargetRps === null ? c.perInstance.basis : `${sig(c.perInstance.throughputAtTargetRps)} requests/s (${c.perInstance.basis})`,
    },
    { label: 'DB connections', value: c.dbConnections.note },
    ...(c.limitsFirst ? [{ label: 'bandwidth or CPU', value: c.limitsFirst.line }] : []),
  ];
  return { ok: m.users !== null, headline, detail: `Saturation: ${s.note}.`, facts };
}

function sizingRow(r: CapacityResult['sizing'][number]): SizingRowView {
  return {
    users: fmtInt(r.users),
    throughput: fmtEstimate(r.throughputRps, (x) => `${sig(x)}/s`),
    instances: fmtEstimate(r.instances),
    dbConnections: r.dbConnections ? fmtEstimate(r.dbConnections) : 'not measured',
    ram: r.ramBytes ? fmtEstimate(r.ramBytes, fmtBytes) : 'not measured',
    extrapolated: r.extrapolated,
    notes: [...(r.bandwidth ? [bandwidthNote(r.bandwidth)] : []), ...r.notes].join('; '),
  };
}

/** A sizing row's bytes: bandwidth each way and the store's growth per day. */
export function bandwidthNote(b: NonNullable<CapacityResult['sizing'][number]['bandwidth']>): string {
  return `bandwidth ${(b.inBytesPerS / 1e6).toFixed(2)} MB/s in, ${(b.outBytesPerS / 1e6).toFixed(2)} MB/s out; store grows ${(b.storageBytesPerDay / 1e9).toFixed(1)} GB/day`;
}

function assertionRow(a: CellVerdict): AssertionRowView {
  const f = a.resource === 'ramGb' ? (x: number) => sig(x) : (x: number) => fmtInt(Math.round(x));
  return {
    users: fmtInt(a.users),
    resource: RESOURCE_LABEL[a.resource],
    asserted: a.resource === 'ramGb' ? `${sig(a.asserted)} GB` : fmtInt(a.asserted),
    measured: a.measured ? fmtEstimate(a.measured, f) + (a.resource === 'ramGb' ? ' GB' : '') + (a.measured.extrapolated ? ' *' : '') : '—',
    verdict: a.verdict,
    reason: a.reason,
  };
}

function levelRow(l: Level, c: CapacityResult): LevelRowView {
  return {
    users: fmtInt(l.users),
    vus: fmtInt(l.vus),
    throughput: `${sig(l.throughputRps)}/s`,
    p50: fmtMs(l.latencyMs.p50),
    p95: fmtMs(l.latencyMs.p95),
    p99: fmtMs(l.latencyMs.p99),
    errorRate: fmtPct(l.errorRate),
    gate: l.verdict.run.verdict + (l.verdict.run.failed.length ? `: ${l.verdict.run.failed.join(', ')}` : '') + (l.complete ? '' : ' (incomplete)'),
    gateStatus: l.verdict.run.verdict === 'warn' ? 'marginal' : l.verdict.run.verdict,
    within: l.verdict.steady.withinTargets,
    marginal: isMarginal(l, c),
  };
}

/** The planner's caveats, plus what the report itself sees: marginal levels and missing models. */
export function caveatsOf(c: CapacityResult): string[] {
  const out = [...c.caveats];
  for (const l of c.levels) {
    if (l.verdict.run.verdict === 'warn') out.push(`At ${fmtInt(l.vus)} VUs the gate only met its warn tier: a marginal level.`);
    else if (isMarginal(l, c)) {
      out.push(
        `At ${fmtInt(l.vus)} VUs P95 ${fmtMs(l.latencyMs.p95)} / P99 ${fmtMs(l.latencyMs.p99)} held the targets ` +
          `(${c.targets.p95Ms} / ${c.targets.p99Ms} ms) by less than ${MARGINAL_BAND * 100} %: a marginal level, one noisy run could break it.`,
      );
    }
  }
  for (const m of c.linearModels) if (m.status === 'missing') out.push(`No ${m.name} model: ${m.reason}.`);
  if (c.usl.model !== 'usl' && c.usl.model !== 'none' && !c.usl.note) out.push(`The USL fell back to ${c.usl.model}${c.usl.note ? `: ${c.usl.note}` : ''}.`);
  return [...new Set(out)];
}

function modelRows(c: CapacityResult): Row[] {
  const u = c.usl;
  const rows: Row[] = [
    { label: 'USL model', value: `${u.model} (R² ${u.rSquared.toFixed(3)}, ${u.points} levels)${u.note ? ` — ${u.note}` : ''}` },
    { label: 'λ (one user alone)', value: `${coef(u.lambda)} requests/s` },
    { label: 'σ (contention)', value: coef(u.sigma) },
    { label: 'κ (coherency)', value: coef(u.kappa) },
  ];
  for (const p of c.predictions) {
    rows.push({
      label: `predicted at ${fmtInt(p.vus)} VUs${p.extrapolated ? ' *' : ''}`,
      value: `${sig(p.throughputRps)} requests/s${p.responseTimeMs !== null ? `, mean response ${fmtMs(p.responseTimeMs)}` : ''}`,
    });
  }
  return rows;
}

export function buildCapacityView(c: CapacityResult, runs: ReadonlyMap<number, RunResult> = new Map()): CapacityView {
  const charts = capacityCharts(c);
  const counts = (v: CellVerdict['verdict']) => c.assertions.filter((a) => a.verdict === v).length;
  return {
    kind: 'capacity',
    title: `Capacity: ${c.meta.scenario} on ${c.meta.target || 'unknown target'}`,
    subtitle: `${c.levels.length} levels (${c.levels.map((l) => fmtInt(l.users)).join(', ')} users at scale ${c.meta.scale}) · ` +
      `${c.meta.currentInstances} API instances · ${c.meta.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`,
    answer: answerOf(c),
    sizing: c.sizing.map(sizingRow),
    assertions: [...c.assertions].sort((a, b) => a.users - b.users).map(assertionRow),
    assertionCounts: c.assertions.length
      ? `${counts('confirmed')} confirmed, ${counts('refuted')} refuted, ${counts('not-measurable')} not measurable`
      : 'no capacity table was asserted',
    levels: [...c.levels].sort((a, b) => a.vus - b.vus).map((l) => levelRow(l, c)),
    model: modelRows(c),
    insights: capacityInsights(c, runs),
    caveats: caveatsOf(c),
    meta: [
      { label: 'target', value: c.meta.target || '(unknown)' },
      { label: 'scenario', value: c.meta.scenario },
      { label: 'scale', value: String(c.meta.scale) },
      { label: 'levels requested', value: c.meta.levelsRequested.map((n) => fmtInt(n)).join(', ') },
      { label: 'collectors', value: c.meta.collectors.join(', ') || 'none' },
      {
        label: 'targets',
        value: `P95 < ${c.targets.p95Ms} ms, P99 < ${c.targets.p99Ms} ms, errors < ${fmtPct(c.targets.errorRate)}; ` +
          `plan instances at ${fmtPct(c.targets.targetUtilisation)} utilisation, N+${c.targets.redundancy}; think time ${c.targets.thinkTimeS} s`,
      },
      ...(c.budget ? [{ label: 'budget', value: describeBudget(c.budget) }] : []),
      { label: 'conecta-load', value: c.meta.toolVersion },
      { label: 'created', value: c.meta.createdAt },
    ],
    charts,
    resourceChartIds: charts.filter((ch) => ch.id.startsWith('resource-')).map((ch) => ch.id),
  };
}
