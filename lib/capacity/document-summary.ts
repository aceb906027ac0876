// The demo's answer in the deployment document's terms (pure): how many users the stack held within its targets,
// per level what it used (API CPU, DB connections busy/open, Redis memory, stack RAM) and what k6 used, each
// asserted cell of the document's table confirmed or refuted with its measured value, and what limited the stack.

import { describeBudget } from '../result/budget.js';
import { MB as MEGABYTE } from './bandwidth.js';
import { BANDWIDTH_HEADER, bandwidthRow } from './bandwidth-table.js';
import { bottleneckLine } from './laws.js';
import { capacityLine } from './breaking-point.js';
import { stealNote } from './steal.js';
import { warmupNote } from './warmup.js';
import type { CapacityResult, Level } from './schema.js';
import { SIZING_NOTE } from './sizing.js';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** The mean of a resource's "all" series over the level's window, from the first collector that has it. */
export function resourceMean(l: Level, resource: string | RegExp): number | null {
  const hit = l.resources.find((r) => r.status === 'ok' && r.instance === 'all' &&
    (typeof resource === 'string' ? r.resource === resource : resource.test(r.resource)));
  return hit && hit.status === 'ok' ? hit.mean : null;
}

export interface LevelUse {
  apiCpuCores: number | null;
  dbBusy: number | null;
  dbOpen: number | null;
  redisBytes: number | null;
  stackRamBytes: number | null;
}

export function levelUse(l: Level): LevelUse {
  return {
    apiCpuCores: resourceMean(l, 'cpu'),
    // Busy connections by Little's law (Σ query seconds per second) where the stack reports query time.
    dbBusy: l.dbTime?.busyConnections ?? resourceMean(l, 'db_in_flight'),
    dbOpen: resourceMean(l, 'db_connections'),
    redisBytes: resourceMean(l, /^redis_mem/),
    stackRamBytes: resourceMean(l, 'memory'),
  };
}

/** What stopped the stack at the first level past its targets, from the measured resources (null: nothing did). */
export function limitingFactor(c: CapacityResult): string {
  const broken = c.levels.find((l) => l.complete && !l.verdict.steady.withinTargets);
  if (!broken) return `nothing within the ladder: every level up to ${Math.max(0, ...c.levels.map((l) => l.users))} users held the targets`;
  if (broken.generator?.bound) return `the generator at ${broken.users} users (${broken.generator.reason})`;
  // Service demands measured per component name it from evidence; the resource heuristics below are the fallback.
  if (broken.bottleneck) return `${broken.bottleneck.component} at ${broken.users} users: ${bottleneckLine(broken.bottleneck)}`;
  const u = levelUse(broken);
  const cores = broken.generator?.hostCores ?? null;
  const k6 = broken.generator?.k6CpuCores ?? 0;
  const idle = broken.generator?.hostIdleCores ?? null;
  if (u.dbBusy !== null && u.dbOpen !== null && u.dbOpen > 0 && u.dbBusy >= 0.8 * u.dbOpen) {
    return `the database at ${broken.users} users: ${u.dbBusy.toFixed(1)} of ${u.dbOpen.toFixed(0)} connections busy`;
  }
  if (cores !== null && idle !== null && idle < 0.15 * cores) {
    const api = u.apiCpuCores === null ? 'unmeasured' : `${u.apiCpuCores.toFixed(2)} cores`;
    const others = cores - idle - k6 - (u.apiCpuCores ?? 0);
    return `CPU at ${broken.users} users: the stack took ${api} and k6 ${k6.toFixed(2)} of this machine's ${cores} cores ` +
      `(${idle.toFixed(2)} idle${others > 0.2 ? `, ${others.toFixed(2)} went to other processes` : ''}) — ` +
      (c.budget?.isolation === 'isolated'
        ? `the stack is CPU-bound on its declared budget (CPU ${c.budget.stackCpus}; k6 on CPU ${c.budget.generatorCpus})`
        : 'the stack is CPU-bound on a machine it shares with the generator');
  }
  return `not a resource this toolkit measured at ${broken.users} users (CPU ${idle === null ? 'unmeasured' : `${idle.toFixed(2)} cores idle`}, ` +
    `DB ${u.dbBusy === null ? 'unmeasured' : `${u.dbBusy.toFixed(1)} busy`}): look at the stack's own latency breakdown`;
}

const n = (v: number | null, f: (x: number) => string) => (v === null ? '–' : f(v));

const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;

/** "1000 users broke: bottleneck db at 94 % of 0.06 cores (…), D = …, bound …; mean 120 ms = db 80 + api 20 + …" — one line per broken level. */
export function whyLine(l: Level): string {
  const d = l.decomposition;
  const parts = d ? Object.entries(d.parts).filter(([, ms]) => Math.abs(ms) >= 0.05).map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join(' + ') : '';
  // The budget its utilisation is read against, as the laws weighed it (its cgroup quota, its CPU set, the machine).
  const own = l.demands?.find((x) => x.component === l.bottleneck!.component);
  const budget = own ? { cores: own.budgetCores, source: own.budgetSource } : undefined;
  return `${l.users} users broke: bottleneck ${bottleneckLine(l.bottleneck!, budget)}` + (d ? `; mean ${d.totalMs.toFixed(1)} ms = ${parts} ms` : '');
}

export interface DocumentSummaryInput {
  capacity: CapacityResult;
  /** Seconds k6 was sending load, all runs together. */
  loadS: number;
  stack: string;
}

export function formatDocumentSummary(s: DocumentSummaryInput): string {
  const c = s.capacity;
  const t = c.targets;
  const held = c.levels.filter((l) => l.complete && l.verdict.steady.withinTargets).map((l) => l.users);
  const out: string[] = [];
  out.push(`Conecta deployment document vs measurement (${s.stack}, ${c.meta.currentInstances} API instance(s), scale ${c.meta.scale}: one VU = one user)`);
  out.push(`  Users held within P95 < ${t.p95Ms} ms, P99 < ${t.p99Ms} ms, errors < ${(t.errorRate * 100).toFixed(1)} %: ` +
    (c.capacity !== undefined ? `${capacityLine(c.capacity)}; levels held: ${held.join(', ') || 'none'}` :
      held.length ? `${Math.max(...held)} (levels held: ${held.join(', ')})` : 'none of the levels measured'));
  if (c.capacity) out.push(`  How the interval is read: ${c.capacity.note}.`);
  if (c.budget) out.push(`  Budget: ${describeBudget(c.budget)}.`);
  out.push(`  The document claims "1000+ simultaneous users": ${held.some((u) => u >= 1000) ? 'CONFIRMED' : 'REFUTED'} on this stack and machine.`);
  out.push('');
  out.push('  users   rps    p95    p99  errors  429s | API CPU  DB busy/open  Redis MB  stack RAM | k6 CPU  k6 RSS/VU  idle CPU  steal');
  for (const l of c.levels) {
    const u = levelUse(l);
    const g = l.generator;
    out.push(`  ${String(l.users).padStart(5)} ${l.throughputRps.toFixed(0).padStart(5)} ${l.latencyMs.p95.toFixed(0).padStart(6)} ${l.latencyMs.p99.toFixed(0).padStart(6)}` +
      ` ${(l.errorRate * 100).toFixed(2).padStart(6)}% ${String(l.rateLimited ?? 0).padStart(5)} |` +
      ` ${n(u.apiCpuCores, (x) => x.toFixed(2)).padStart(7)} ${`${n(u.dbBusy, (x) => x.toFixed(2))}/${n(u.dbOpen, (x) => x.toFixed(0))}`.padStart(13)}` +
      ` ${n(u.redisBytes, (x) => (x / MB).toFixed(1)).padStart(9)} ${n(u.stackRamBytes, (x) => `${(x / GB).toFixed(2)} GB`).padStart(10)} |` +
      ` ${n(g?.k6CpuCores ?? null, (x) => x.toFixed(2)).padStart(6)} ${n(g?.rssPerVuBytes ?? null, (x) => `${(x / MB).toFixed(2)} MB`).padStart(10)}` +
      ` ${n(g?.hostIdleCores ?? null, (x) => x.toFixed(2)).padStart(9)} ${n(g?.hostStealCores ?? null, (x) => x.toFixed(2)).padStart(6)}` +
      `  ${!l.complete ? 'incomplete' : l.generator?.bound ? 'GENERATOR-BOUND (not modelled)' : l.verdict.steady.withinTargets ? 'held' : 'broken'}`);
  }
  const stolen = stealNote(c.levels);
  if (stolen) out.push(`  ${stolen}`);
  const warm = warmupNote(c.levels);
  if (warm) out.push(`  ${warm}`);
  const moved = c.levels.filter((l) => l.bandwidth);
  if (moved.length) {
    // The files' side of the same levels: bytes each way through nginx, what the store keeps, the CDN's hits.
    out.push('');
    out.push(`  ${BANDWIDTH_HEADER}`);
    for (const l of moved) out.push(`  ${bandwidthRow(l)}`);
  }
  out.push('');
  const rule = `${Math.round(t.targetUtilisation * 100)} % target utilisation, N+${t.redundancy} redundancy`;
  out.push(`  Sizing (rule: ${rule}), each count beside what was measured to hold:`);
  for (const r of c.sizing) {
    const line = r.notes.find((x) => x.startsWith(SIZING_NOTE));
    if (line) out.push(`    ${String(r.users).padStart(5)} users  ${line.slice(SIZING_NOTE.length)}`);
    const b = r.bandwidth;
    // Bandwidth in decimal megabytes, as links are rated (the table above uses the same).
    if (b) out.push(`                 and ${(b.inBytesPerS / MEGABYTE).toFixed(2)} MB/s in, ${(b.outBytesPerS / MEGABYTE).toFixed(2)} MB/s out, the store growing ${(b.storageBytesPerDay / 1e9).toFixed(1)} GB a day`);
  }
  if (c.limitsFirst) out.push(`  Bandwidth or CPU: ${c.limitsFirst.line}`);
  out.push('');
  out.push('  The document\'s capacity table, cell by cell (does it suffice; how far from what was used):');
  for (const a of c.assertions) {
    const unit = a.resource === 'ramGb' ? ' GB' : '';
    out.push(`    ${String(a.users).padStart(5)} users  ${a.resource.padEnd(13)} asserted ${String(a.asserted).padStart(4)}${unit}: ${a.verdict.toUpperCase().padEnd(14)} ${a.reason}`);
  }
  out.push('');
  out.push(`  What limited the stack: ${limitingFactor(c)}.`);
  for (const l of c.levels.filter((x) => x.complete && !x.verdict.steady.withinTargets && x.bottleneck)) out.push(`  ${whyLine(l)}`);
  const v = c.mva?.validation;
  if (v) out.push(`  MVA, each level from the one below: ${v.levels.map((x) => `${x.vus} VUs throughput ${signedPct(x.throughputError)}, mean latency ${signedPct(x.latencyError)}`).join('; ')}.`);
  for (const l of c.levels.filter((x) => x.generator?.bound)) out.push(`  Left out of the models: ${l.users} users, ${l.generator!.reason}.`);
  out.push(`  Load time: ${Math.round(s.loadS)} s of k6 load.`);
  return out.join('\n') + '\n';
}
