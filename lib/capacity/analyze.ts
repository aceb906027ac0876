// From measured ladder levels to a CapacityResult: fits the models and sizes the stack, pure (no I/O).

import { kneedle } from './knee.js';
import { fitLinear, predictLinear, type LinearFit } from './linear.js';
import type {
  CapacityResult, CellVerdict, DbConnections, Estimate, Level, LinearModel, Prediction, Saturation, SizingRow, Targets,
} from './schema.js';
import { CAPACITY_SCHEMA } from './schema.js';
import { instancesFor, isExtrapolated, judgeCell, mapEstimate } from './sizing.js';
import { fitUsl, uslResponseTime, uslThroughput, type UslFit } from './usl.js';

export const DEFAULT_SIZING_USERS = [500, 1000, 2000, 5000];
export const DEFAULT_CONFIDENCE = 0.9;

export interface AssertedRow {
  users: number;
  apiInstances: number;
  dbConnections: number;
  ramGb: number;
}

export interface AnalysisInput {
  meta: CapacityResult['meta'];
  targets: Targets;
  levels: readonly Level[];
  sizingUsers?: readonly number[];
  assertions?: readonly AssertedRow[];
  /** Level of the prediction intervals (0.9). */
  confidence?: number;
}

const GB = 1024 ** 3;

/** One number per level for a resource: the first collector's "all" series, else the sum over its instances. */
export function resourceValue(level: Level, resource: string, collector?: string): { value: number; collector: string } | null {
  const ok = level.resources.filter((r) => r.status === 'ok' && r.resource === resource && (!collector || r.collector === collector));
  if (ok.length === 0) return null;
  const first = ok[0]!.collector;
  const mine = ok.filter((r) => r.collector === first);
  const all = mine.find((r) => r.instance === 'all');
  const value = all && all.status === 'ok' ? all.mean : mine.reduce((s, r) => s + (r.status === 'ok' ? r.mean : 0), 0);
  return { value, collector: first };
}

function linearModel(name: string, x: string, y: string, unit: string, xs: number[], ys: number[], confidence: number, missing: string): { model: LinearModel; fit: LinearFit | null } {
  const fit = fitLinear(xs, ys);
  if (!fit) return { model: { status: 'missing', name, x, y, unit, reason: missing }, fit: null };
  return {
    model: { status: 'ok', name, x, y, unit, slope: fit.slope, intercept: fit.intercept, rSquared: fit.rSquared, n: fit.n, residualSd: fit.residualSd, confidence },
    fit,
  };
}

function estimate(value: number, low: number, high: number, extrapolated: boolean): Estimate {
  return { value, low: Math.min(low, value), high: Math.max(high, value), extrapolated };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function saturationOf(levels: readonly Level[], usl: UslFit): Saturation {
  const knee = kneedle(levels.map((l) => l.vus), levels.map((l) => l.latencyMs.p95));
  const breach = levels.find((l) => !l.withinTargets);
  const notes: string[] = [];
  notes.push(knee === null ? `no knee in P95 vs VUs over ${levels.length} levels (Kneedle, S = 1)` : `P95 turns upward at ${knee} VUs`);
  notes.push(breach ? `targets first broken at ${breach.vus} VUs` : 'no level broke the targets');
  if (usl.peakConcurrency !== null) notes.push(`USL throughput peaks at ${usl.peakConcurrency.toFixed(0)} VUs`);
  return { method: 'kneedle on P95 vs VUs; first target breach; USL peak', kneeVus: knee, firstBreachVus: breach?.vus ?? null, uslPeakVus: usl.peakConcurrency, note: notes.join('; ') };
}

/** Which steady-window figures broke which target, e.g. "P95 602 ms > 300 ms". */
function breaches(l: Level, t: Targets): string[] {
  const out: string[] = [];
  if (l.latencyMs.p95 > t.p95Ms) out.push(`P95 ${l.latencyMs.p95.toFixed(0)} ms > ${t.p95Ms} ms`);
  if (l.latencyMs.p99 > t.p99Ms) out.push(`P99 ${l.latencyMs.p99.toFixed(0)} ms > ${t.p99Ms} ms`);
  if (l.errorRate > t.errorRate) out.push(`errors ${(l.errorRate * 100).toFixed(2)}% > ${(t.errorRate * 100).toFixed(2)}%`);
  return out.length ? out : ['no figures above target'];
}

/** The largest VUs within the latency target: interpolated across a breach, else projected with the USL. */
function maxUsersOf(levels: readonly Level[], usl: UslFit, targets: Targets, instances: number, top: number): CapacityResult['maxUsers'] {
  const idx = levels.findIndex((l) => !l.withinTargets);
  if (idx === 0) return { instances, users: null, limitedBy: `the lowest level (${levels[0]!.vus} VUs) already broke the targets` };
  if (idx > 0) {
    const a = levels[idx - 1]!, b = levels[idx]!;
    // Where P95 crosses the target between the last passing and the first failing level (linear in between).
    const cross = b.latencyMs.p95 > a.latencyMs.p95 && b.latencyMs.p95 > targets.p95Ms && a.latencyMs.p95 <= targets.p95Ms
      ? a.vus + ((targets.p95Ms - a.latencyMs.p95) / (b.latencyMs.p95 - a.latencyMs.p95)) * (b.vus - a.vus)
      : a.vus;
    return { instances, users: estimate(Math.floor(cross), a.vus, b.vus, false), limitedBy: `targets broken at ${b.vus} VUs (${breaches(b, targets).join(', ')})` };
  }
  const last = levels[levels.length - 1]!;
  // No breach: the top level is a proven lower bound. Project with the USL's mean response time, scaled by the
  // P95/mean ratio measured at the top level, to where P95 would reach the target.
  const rTop = usl.model !== 'none' ? uslResponseTime(usl, last.vus, targets.thinkTimeS) : null;
  if (rTop && rTop > 0 && usl.model === 'usl') {
    const ratio = last.latencyMs.p95 / 1000 / rTop;
    const limit = usl.peakConcurrency ?? 100 * top;
    let lo = last.vus, hi = limit;
    const p95At = (n: number) => (uslResponseTime(usl, n, targets.thinkTimeS) ?? 0) * ratio * 1000;
    if (p95At(hi) > targets.p95Ms) {
      for (let i = 0; i < 100; i++) {
        const mid = (lo + hi) / 2;
        if (p95At(mid) > targets.p95Ms) hi = mid; else lo = mid;
      }
    }
    const projected = Math.max(last.vus, Math.floor(lo));
    return { instances, users: estimate(projected, last.vus, projected, isExtrapolated(projected, top)), limitedBy: `no level broke the targets; ${last.vus} VUs proven, ${projected} projected by the USL (P95 reaching ${targets.p95Ms} ms or the throughput peak)` };
  }
  return { instances, users: estimate(last.vus, last.vus, last.vus, false), limitedBy: `no level broke the targets: ${last.vus} VUs is a lower bound` };
}

function dbConnectionsOf(levels: readonly Level[], confidence: number): { summary: DbConnections; fit: LinearFit | null; ratio: Estimate | null } {
  const withDb = levels.filter((l) => l.dbTime !== null);
  const busy = withDb.map((l) => l.dbTime!.busyConnections);
  const measured = levels
    .map((l) => ({ l, r: resourceValue(l, 'db_connections') }))
    .filter((v) => v.r !== null)
    .sort((a, b) => b.r!.value - a.r!.value)[0];
  const fit = withDb.length >= 3 ? fitLinear(withDb.map((l) => l.vus), busy) : null;
  const ratios = withDb.map((l) => l.dbTime!.busyConnections / l.vus);
  const ratio = ratios.length ? estimate(median(ratios), Math.min(...ratios), Math.max(...ratios), false) : null;
  const holds = withDb.map((l) => l.dbTime!.meanHoldS * 1000);
  const notes: string[] = [];
  notes.push(withDb.length ? `Little's law over ${withDb.length} levels (query rate × mean query time)` : 'no DB time measured: Little\'s law not applied');
  notes.push(measured ? `connections open: up to ${measured.r!.value.toFixed(0)} at ${measured.l.vus} VUs (pool size, not need)` : 'no collector gave a connection count');
  void confidence;
  return {
    summary: {
      littlesLaw: ratio ? { busyPerVu: ratio.value, meanHoldMs: median(holds), levels: withDb.length } : null,
      measured: measured ? { maxConnections: measured.r!.value, atVus: measured.l.vus, resource: `db_connections (${measured.r!.collector})` } : null,
      note: notes.join('; '),
    },
    fit,
    ratio,
  };
}

/** How well the ladder predicts itself: the USL fitted without the top level, asked for the top level's throughput. */
function holdoutOf(levels: readonly Level[]): CapacityResult['holdout'] {
  if (levels.length < 3) return null;
  const fitted = levels.slice(0, -1);
  const topLevel = levels[levels.length - 1]!;
  const fit = fitUsl(fitted.map((l) => ({ n: l.vus, x: l.throughputRps })));
  if (fit.model === 'none' || !(topLevel.throughputRps > 0)) return null;
  const predicted = uslThroughput(fit, topLevel.vus);
  return {
    fittedOnVus: fitted.map((l) => l.vus), model: fit.model, vus: topLevel.vus, predictedRps: predicted, measuredRps: topLevel.throughputRps,
    errorPct: ((predicted - topLevel.throughputRps) / topLevel.throughputRps) * 100,
  };
}

/** Fits every model to the levels and sizes the stack for each requested user count. */
export function analyzeCapacity(input: AnalysisInput): CapacityResult {
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE;
  const targets = input.targets;
  const instancesNow = input.meta.currentInstances;
  const levels = [...input.levels].filter((l) => l.complete && l.vus > 0 && l.requests > 0).sort((a, b) => a.vus - b.vus);
  const caveats: string[] = [];
  const top = levels.length ? levels[levels.length - 1]!.vus : 0;

  const usl = fitUsl(levels.map((l) => ({ n: l.vus, x: l.throughputRps })));
  const { sse: _sse, ...uslOut } = usl;
  void _sse;
  const predictAt = [...new Set([...levels.map((l) => l.vus), 2 * top, 4 * top, ...(usl.peakConcurrency ? [Math.round(usl.peakConcurrency)] : [])])]
    .filter((n) => n > 0).sort((a, b) => a - b);
  const predictions: Prediction[] = usl.model === 'none' ? [] : predictAt.map((n) => {
    const r = uslResponseTime(usl, n, targets.thinkTimeS);
    return { vus: n, throughputRps: uslThroughput(usl, n), responseTimeMs: r === null ? null : r * 1000, extrapolated: isExtrapolated(n, top) };
  });

  // Per-instance throughput within the targets: the best passing level, shared evenly by the instances.
  const passing = levels.filter((l) => l.withinTargets);
  const bestPass = [...passing].sort((a, b) => b.throughputRps - a.throughputRps)[0];
  const capBasis = bestPass ?? levels[0];
  const perInstanceRps = capBasis ? capBasis.throughputRps / instancesNow : null;
  if (!bestPass && capBasis) caveats.push('No level held the targets: the instance counts below use the lowest level and are a lower bound.');
  if (bestPass && bestPass.vus === top) caveats.push('The top level still held the targets: per-instance throughput, and so instance counts, are conservative.');

  const maxUsers = levels.length ? maxUsersOf(levels, usl, targets, instancesNow, top) : { instances: instancesNow, users: null, limitedBy: 'no level measured' };
  const unsaturated = levels.length > 0 && levels.every((l) => l.withinTargets);
  // With a breach, the capacity at the target lies between the last passing and the first failing level:
  // throughput interpolated at the crossing is the point estimate; the two levels bound it.
  const firstFail = levels.find((l) => !l.withinTargets);
  // Only when it beats the best passing level: on a retrograde curve the crossing gives less than that level did.
  const crossingRaw = bestPass && firstFail && firstFail.vus > bestPass.vus && maxUsers.users && maxUsers.users.value > bestPass.vus
    ? {
        value: (bestPass.throughputRps + ((maxUsers.users.value - bestPass.vus) / (firstFail.vus - bestPass.vus)) * (firstFail.throughputRps - bestPass.throughputRps)) / instancesNow,
        ceiling: Math.max(bestPass.throughputRps, firstFail.throughputRps) / instancesNow,
      }
    : null;
  const crossing = crossingRaw && bestPass && crossingRaw.value > bestPass.throughputRps / instancesNow ? crossingRaw : null;
  const perInstance = {
    throughputAtTargetRps: crossing ? crossing.value : bestPass ? bestPass.throughputRps / instancesNow : null,
    basis: crossing
      ? `interpolated at the target crossing (${maxUsers.users!.value} VUs) between ${bestPass!.vus} and ${firstFail!.vus} VUs, over ${instancesNow} instance(s)`
      : bestPass
        ? `${bestPass.throughputRps.toFixed(1)} rps over ${instancesNow} instance(s) at ${bestPass.vus} VUs (P95 ${bestPass.latencyMs.p95.toFixed(0)} ms)${bestPass.vus === top ? '; the top level passed, so this is a lower bound' : ''}`
        : 'no level held the targets',
  };
  const projected = maxUsers.users && maxUsers.users.value > top ? uslThroughput(usl, maxUsers.users.value) / instancesNow : null;
  const projectedPerInstanceRps = projected && perInstanceRps && projected > perInstanceRps ? projected : null;

  // Demand per user: requests per second one user generates (X/N), from passing levels where think time dominates.
  const demandLevels = passing.length ? passing : levels;
  const perUser = demandLevels.map((l) => l.throughputRps / l.vus);
  const demand = perUser.length ? estimate(median(perUser), Math.min(...perUser), Math.max(...perUser), false) : null;

  // Linear models.
  const memCollector = levels.map((l) => resourceValue(l, 'memory')).find((r) => r)?.collector;
  const memLevels = levels.map((l) => ({ l, r: resourceValue(l, 'memory', memCollector) })).filter((v) => v.r);
  const ram = linearModel('ram-vs-users', 'vus', 'memory', 'bytes', memLevels.map((v) => v.l.vus), memLevels.map((v) => v.r!.value), confidence,
    `${memLevels.length} level(s) with a memory series; 3 are needed for an interval`);
  const cpuCollector = levels.map((l) => resourceValue(l, 'cpu')).find((r) => r)?.collector;
  const cpuLevels = levels.map((l) => ({ l, r: resourceValue(l, 'cpu', cpuCollector) })).filter((v) => v.r);
  const cpu = linearModel('cpu-vs-throughput', 'throughputRps', 'cpu', 'cores', cpuLevels.map((v) => v.l.throughputRps), cpuLevels.map((v) => v.r!.value), confidence,
    `${cpuLevels.length} level(s) with a cpu series; 3 are needed for an interval`);

  const db = dbConnectionsOf(levels, confidence);

  const sizing: SizingRow[] = (input.sizingUsers ?? DEFAULT_SIZING_USERS).map((users) => {
    const ext = isExtrapolated(users, top);
    const notes: string[] = [];
    if (ext) notes.push(`${users} users is ${(users / Math.max(top, 1)).toFixed(1)}× the largest measured level (${top} VUs)`);
    const throughputRps = demand ? mapEstimate({ ...demand, extrapolated: ext }, (d) => d * users) : estimate(0, 0, 0, ext);
    const rule = { perInstanceRps: perInstanceRps ?? 1, targetUtilisation: targets.targetUtilisation, redundancy: targets.redundancy };
    let instances = perInstanceRps ? mapEstimate(throughputRps, (x) => instancesFor(x, rule)) : estimate(0, 0, 0, ext);
    if (!perInstanceRps) notes.push('no measured level: instances unknown');
    if (perInstanceRps && crossing) {
      const v = instancesFor(throughputRps.value, { ...rule, perInstanceRps: crossing.value });
      const lo = instancesFor(throughputRps.low, { ...rule, perInstanceRps: crossing.ceiling });
      instances = { value: v, low: Math.min(lo, v), high: Math.max(instances.high, v), extrapolated: ext };
      notes.push(`instances: ${crossing.value.toFixed(1)} rps/instance at the target crossing (between the last passing and the first failing level)`);
    }
    if (perInstanceRps && unsaturated) {
      // The stack never broke its targets: measured per-instance throughput is only a floor, so the count is a
      // ceiling. The floor of the count comes from the USL's projected capacity, else from the minimum cluster.
      const low = projectedPerInstanceRps
        ? instancesFor(throughputRps.low, { ...rule, perInstanceRps: projectedPerInstanceRps })
        : 1 + targets.redundancy;
      instances = { ...instances, low: Math.min(low, instances.low) };
      notes.push(projectedPerInstanceRps
        ? `instances: upper bound from the measured ${perInstanceRps.toFixed(1)} rps/instance, lower bound from the USL-projected ${projectedPerInstanceRps.toFixed(1)} rps/instance`
        : 'instances: an upper bound (no level saturated the stack); the lower bound is the minimum cluster');
    }
    let dbConnections: Estimate | null = null;
    if (db.fit) {
      const p = predictLinear(db.fit, users, confidence);
      dbConnections = mapEstimate(estimate(Math.max(0, p.value), Math.max(0, p.low), Math.max(0, p.high), ext), (b) => Math.ceil(b / targets.targetUtilisation));
    } else if (db.ratio) {
      dbConnections = mapEstimate({ ...db.ratio, extrapolated: ext }, (r) => Math.ceil((r * users) / targets.targetUtilisation));
      notes.push('DB connections proportional to users (fewer than 3 levels with DB time)');
    }
    let ramBytes: Estimate | null = null;
    if (ram.fit) {
      const p = predictLinear(ram.fit, users, confidence);
      // The intercept is the instances' idle footprint: extra instances add their share of it.
      const perInstanceBase = Math.max(0, ram.fit.intercept) / instancesNow;
      const extra = (instances.value - instancesNow) * perInstanceBase;
      ramBytes = estimate(Math.max(0, p.value + extra), Math.max(0, p.low + extra), Math.max(0, p.high + extra), ext);
    }
    return { users, throughputRps, instances, dbConnections, ramBytes, extrapolated: ext, notes };
  });

  const assertions: CellVerdict[] = (input.assertions ?? []).flatMap((row) => {
    const s = sizing.find((r) => r.users === row.users) ?? sizingRowFor(row.users);
    const inst = s?.instances && perInstanceRps ? s.instances : null;
    const ramGb = s?.ramBytes ? mapEstimate(s.ramBytes, (b) => b / GB) : null;
    return [
      judgeCell(row.users, 'apiInstances', row.apiInstances, inst, 'no level measured: no per-instance throughput'),
      judgeCell(row.users, 'dbConnections', row.dbConnections, s?.dbConnections ?? null, 'no DB time measured (no db_query_duration_seconds or equivalent)'),
      ((c) => (c.measured && s ? { ...c, reason: `${c.reason} (for the ${s.instances.value} instance(s) sized for ${row.users} users)` } : c))(
        judgeCell(row.users, 'ramGb', row.ramGb, ramGb, ram.model.status === 'missing' ? ram.model.reason : 'no RAM model')),
    ];
  });

  function sizingRowFor(users: number): SizingRow | undefined {
    const again = analyzeCapacity({ ...input, sizingUsers: [users], assertions: [] });
    return again.sizing[0];
  }

  if (levels.length < input.levels.length) caveats.push(`${input.levels.length - levels.length} level(s) incomplete or empty were left out of the models.`);
  if (usl.note) caveats.push(`USL: ${usl.note}.`);
  if (input.meta.scale !== 1) caveats.push(`Scaled ladder (scale ${input.meta.scale}): models use the VUs reached; a user in the sizing table is one VU-like user (same think time and mix).`);
  if (sizing.some((r) => r.extrapolated)) caveats.push(`Sizing beyond ${2 * top} VUs (2× the largest level) is extrapolated.`);
  const missing = new Set(levels.flatMap((l) => l.resources.filter((r) => r.status === 'missing').map((r) => `${r.collector} ${r.resource}`)));
  if (missing.size) caveats.push(`Missing series (not zero): ${[...missing].slice(0, 6).join(', ')}${missing.size > 6 ? ', …' : ''}.`);

  return {
    schema: CAPACITY_SCHEMA,
    meta: input.meta,
    targets,
    levels: [...input.levels].sort((a, b) => a.vus - b.vus),
    usl: uslOut,
    predictions,
    saturation: saturationOf(levels, usl),
    perInstance,
    linearModels: [ram.model, cpu.model],
    dbConnections: db.summary,
    sizing,
    maxUsers,
    holdout: holdoutOf(levels),
    assertions,
    caveats,
  };
}
