// From measured ladder levels to a CapacityResult: fits the models and sizes the stack, pure (no I/O).

import { capacityFound } from './breaking-point.js';
import { fitLinear, predictLinear, type LinearFit } from './linear.js';
import type {
  CapacityResult, CellVerdict, Estimate, Level, LinearModel, Prediction, SizingRow, CapacityTargets,
} from './schema.js';
import { CAPACITY_SCHEMA } from './schema.js';
import { stealNote } from './steal.js';
import { warmupNote } from './warmup.js';
import { levelUse } from './document-summary.js';
import { bandwidthAt, DEFAULT_LINK_BYTES_PER_S, firstLimit, perUserBandwidth } from './bandwidth.js';
import { instancesFor, isExtrapolated, judgeCell, judgeInstances, mapEstimate, reconcileInstances, type HeldFact, type Used } from './sizing.js';
import { dbConnectionsOf } from './db-connections.js';
import { estimate, median, resourceValue } from './estimate.js';

// Re-exported: report charts read one value per level the same way the models do.
export { resourceValue };
import { holdoutOf, maxUsersOf, saturationOf } from './saturation.js';
import { fitUsl, uslResponseTime, uslThroughput } from './usl.js';
import { stackBottleneck, whatIf } from './what-if.js';

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
  targets: CapacityTargets;
  levels: readonly Level[];
  sizingUsers?: readonly number[];
  assertions?: readonly AssertedRow[];
  /** Level of the prediction intervals (0.9). */
  confidence?: number;
  /** What the stack ran on (a target on this machine): its declared budget, or why it ran shared. */
  budget?: CapacityResult['budget'];
  /** The link the bandwidth is compared with, bytes/s each way (DEFAULT_LINK_BYTES_PER_S: 1 Gbit/s). */
  linkBytesPerS?: number;
}

const GB = 1024 ** 3;

function linearModel(name: string, x: string, y: string, unit: string, xs: number[], ys: number[], confidence: number, missing: string): { model: LinearModel; fit: LinearFit | null } {
  const fit = fitLinear(xs, ys);
  if (!fit) return { model: { status: 'missing', name, x, y, unit, reason: missing }, fit: null };
  return {
    model: { status: 'ok', name, x, y, unit, slope: fit.slope, intercept: fit.intercept, rSquared: fit.rSquared, n: fit.n, residualSd: fit.residualSd, meanX: fit.meanX, sxx: fit.sxx, confidence },
    fit,
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;

/** Fits every model to the levels and sizes the stack for each requested user count. */
export function analyzeCapacity(input: AnalysisInput): CapacityResult {
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE;
  const targets = input.targets;
  const instancesNow = input.meta.currentInstances;
  // A level where the load generator was the bottleneck measured k6, not the target: reported, never modelled.
  const levels = [...input.levels].filter((l) => l.complete && l.vus > 0 && l.requests > 0 && !l.generator?.bound).sort((a, b) => a.vus - b.vus);
  const generatorBound = input.levels.filter((l) => l.complete && l.generator?.bound);
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
  const passing = levels.filter((l) => l.verdict.steady.withinTargets);
  const bestPass = [...passing].sort((a, b) => b.throughputRps - a.throughputRps)[0];
  const capBasis = bestPass ?? levels[0];
  const perInstanceRps = capBasis ? capBasis.throughputRps / instancesNow : null;
  if (!bestPass && capBasis) caveats.push('No level held the targets: the instance counts below use the lowest level and are a lower bound.');
  if (bestPass && bestPass.vus === top) caveats.push('The top level still held the targets: per-instance throughput, and so instance counts, are conservative.');

  const maxUsers = levels.length ? maxUsersOf(levels, usl, targets, instancesNow, top) : { instances: instancesNow, users: null, limitedBy: 'no level measured' };
  const unsaturated = levels.length > 0 && levels.every((l) => l.verdict.steady.withinTargets);
  // With a breach, the capacity at the target lies between the last passing and the first failing level:
  // throughput interpolated at the crossing is the point estimate; the two levels bound it.
  const firstFail = levels.find((l) => !l.verdict.steady.withinTargets);
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

  // What was measured to hold: the closest passing level at or above a user count, on the instances it ran with.
  const heldFor = (users: number): HeldFact | null => {
    const l = passing.filter((x) => x.vus >= users).sort((a, b) => a.vus - b.vus)[0];
    return l ? { instances: instancesNow, users: l.vus } : null;
  };
  // The busy connections and the RAM the fits predict at a user count (what is used, before any rule).
  const busyAt = (users: number): number | null =>
    db.fit ? Math.max(0, predictLinear(db.fit, users, confidence).value) : db.ratio ? db.ratio.value * users : null;
  const ramAt = (users: number): number | null => (ram.fit ? Math.max(0, predictLinear(ram.fit, users, confidence).value) : null);
  // Bytes scale with users: each measured level's rate per VU, averaged, times the row's users.
  const bytesPerUser = perUserBandwidth(levels);
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
    if (perInstanceRps) {
      // The rule's count beside the measured fact: never below what held, and what it adds is named as headroom.
      const r = reconcileInstances(users, instances, heldFor(users), targets);
      instances = r.instances;
      notes.push(r.note);
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
    return { users, throughputRps, instances, dbConnections, ramBytes, ...(bytesPerUser ? { bandwidth: bandwidthAt(users, bytesPerUser) } : {}), extrapolated: ext, notes };
  });

  const assertions: CellVerdict[] = (input.assertions ?? []).flatMap((row) => {
    const s = sizing.find((r) => r.users === row.users) ?? sizingRowFor(row.users);
    const inst = s?.instances && perInstanceRps ? s.instances : null;
    const ramGb = s?.ramBytes ? mapEstimate(s.ramBytes, (b) => b / GB) : null;
    const used = usedAt(row.users);
    return [
      judgeInstances(row.users, row.apiInstances, inst, heldFor(row.users), targets, 'no level measured: no per-instance throughput'),
      judgeCell(row.users, 'dbConnections', row.dbConnections, s?.dbConnections ?? null, 'no DB time measured (no db_query_duration_seconds or equivalent)', used.dbConnections),
      ((c) => (c.measured && s ? { ...c, reason: `${c.reason} (sized for the ${s.instances.value} instance(s) of ${row.users} users)` } : c))(
        judgeCell(row.users, 'ramGb', row.ramGb, ramGb, ram.model.status === 'missing' ? ram.model.reason : 'no RAM model', used.ramGb)),
    ];
  });

  /** What each cell's resource used at `users`: measured at a level of that many users, else the fitted prediction. */
  function usedAt(users: number): Record<'dbConnections' | 'ramGb', Used | null> {
    const at = levels.find((l) => l.vus === users);
    const u = at ? levelUse(at) : null;
    const busy = u?.dbBusy ?? busyAt(users);
    const ramB = u?.stackRamBytes ?? ramAt(users);
    const how = (measured: boolean) => (measured ? `measured at ${users} users` : 'predicted');
    return {
      dbConnections: busy !== null ? { amount: busy, what: `busy, ${how(u?.dbBusy != null)}` } : null,
      ramGb: ramB !== null ? { amount: ramB / GB, what: how(u?.stackRamBytes != null) } : null,
    };
  }

  function sizingRowFor(users: number): SizingRow | undefined {
    const again = analyzeCapacity({ ...input, sizingUsers: [users], assertions: [] });
    return again.sizing[0];
  }

  for (const l of generatorBound) caveats.push(`${l.vus} VUs left out of the models: generator-bound (${l.generator!.reason}).`);
  const dropped = input.levels.length - levels.length - generatorBound.length;
  const stolen = stealNote(input.levels);
  if (stolen) caveats.push(stolen);
  const warm = warmupNote(input.levels);
  if (warm) caveats.push(warm);
  if (dropped > 0) caveats.push(`${dropped} level(s) incomplete or empty were left out of the models.`);
  if (usl.note) caveats.push(`USL: ${usl.note}.`);
  const disagree = levels.filter((l) => l.verdict.steady.withinTargets === (l.verdict.run.verdict === 'fail'));
  if (disagree.length) {
    caveats.push(`The gate's verdict differs from the steady-window figures at ${disagree.map((l) => `${l.vus} VUs (gate ${l.verdict.run.verdict})`).join(', ')}: the gate judges the whole run, ramp included, and every endpoint; the models use the steady window overall.`);
  }
  if (input.meta.scale !== 1) caveats.push(`Scaled ladder (scale ${input.meta.scale}): models use the VUs reached; a user in the sizing table is one VU-like user (same think time and mix).`);
  if (sizing.some((r) => r.extrapolated)) caveats.push(`Sizing beyond ${2 * top} VUs (2× the largest level) is extrapolated.`);
  const missing = new Set(levels.flatMap((l) => l.resources.filter((r) => r.status === 'missing').map((r) => `${r.collector} ${r.resource}`)));
  if (missing.size) caveats.push(`Missing series (not zero): ${[...missing].slice(0, 6).join(', ')}${missing.size > 6 ? ', …' : ''}.`);

  const mvaResult = whatIf(levels, targets.thinkTimeS, instancesNow);
  const bottleneck = stackBottleneck(levels);
  if (mvaResult?.validation) {
    const v = mvaResult.validation;
    caveats.push(`MVA from the level below predicted the top level's throughput ${pct(v.throughputError)} and mean latency ${pct(v.latencyError)} off.`);
  }
  const found = capacityFound(levels, targets);
  // Levels that broke above an open-ended capacity but were left out (k6 was bound there) say why there is no top.
  const unbounded = found && found.high === null
    ? generatorBound.filter((l) => l.users > found.users && !l.verdict.steady.withinTargets).map((l) => l.users).sort((a, b) => a - b)
    : [];
  const capacity = found && unbounded.length
    ? { ...found, note: `${found.note}; ${unbounded.join(', ')} broke the targets, but the generator was bound there, so they do not bound the stack's capacity` }
    : found;
  // Bytes per user are per VU (as the sizing rows' users are), so the capacity found is compared in VUs too.
  const capacityVus = capacity ? Math.round(capacity.users * input.meta.scale) : maxUsers.users?.value ?? null;
  const limitsFirst = bytesPerUser ? firstLimit(bytesPerUser, capacityVus, input.linkBytesPerS ?? DEFAULT_LINK_BYTES_PER_S) : undefined;
  return {
    ...(bottleneck ? { bottleneck } : {}),
    ...(limitsFirst ? { limitsFirst } : {}),
    ...(mvaResult ? { mva: mvaResult } : {}),
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
    capacity,
    caveats,
    ...(input.budget ? { budget: input.budget } : {}),
  };
}
