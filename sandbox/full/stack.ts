// Starts the full stack in dependency order — PostgreSQL primary (seeded) → replica → Redis primary, replica,
// sentinel → API instances → nginx → exporters → Prometheus — reporting each process as soon as it runs (so the
// caller's state file lists it even if a later step fails or the caller dies), and undoing it all on failure.

import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasObjectStorage, objectStoragePorts, seed, startComponent, startSteps, nginxDesc, pgUrl, scrapeTargets, type ComponentRecord, type Progress, type Role, type StackContext, type StackOptions } from './components.js';
import { apiPort, PORT_OFFSETS, portOf, stackRoot, stackSecrets, type StackSecrets } from './layout.js';
import { removeGrpcSockets, storeWritable, STORE_STOP_GRACE_MS } from './object-storage.js';
import { bucketOf } from '../api/files.js';
import { reloadPrometheus, writePrometheusConfig } from './monitoring.js';
import { reloadNginx } from './nginx.js';
import { ownedDir, serviceUser } from './proc.js';
import { alive, HOST, sleep, stopPid } from '../process.js';

export { hasObjectStorage, nginxDesc, nginxDir, pgUrl, scrapeTargets, startApi, startComponent, startSteps } from './components.js';
export type { ComponentRecord, Progress, Role, StackContext, StackOptions } from './components.js';
export interface StartedStack {
  root: string;
  components: ComponentRecord[];
  secrets: StackSecrets;
}

/** The pids a previous start recorded in this stack folder, to find leftovers of a killed run. */
const PIDS_FILE = 'pids.json';

/**
 * Processes of an earlier run of this stack folder that still run: those its pids file lists (their cwd or argv
 * points into it), then any other process-group leader working in it — a component a killed start had launched but
 * not yet recorded, since a component is recorded once it is ready.
 */
export function leftovers(root: string): ComponentRecord[] {
  let prev: ComponentRecord[] = [];
  try {
    prev = JSON.parse(readFileSync(join(root, PIDS_FILE), 'utf8')) as ComponentRecord[];
  } catch {
    // no pids file: only the strays below
  }
  const known = prev.filter((c) => alive(c.pid) && belongs(c.pid, root));
  const strays = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)
    .filter((pid) => pid !== process.pid && !known.some((c) => c.pid === pid) && leadsGroupIn(pid, root))
    .map((pid): ComponentRecord => ({ name: `pid ${pid}`, role: roleOf(pid), pid, port: listenPort(pid) }));
  return [...known, ...strays];
}

function belongs(pid: number, root: string): boolean {
  try {
    if (readlinkSync(`/proc/${pid}/cwd`).startsWith(root)) return true;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
  } catch {
    return false;
  }
}

/**
 * Whether `pid` was launched as a component working inside `root`: it leads its process group, as every launched
 * component does, and its parent works elsewhere (PostgreSQL's own children lead their groups too, under a parent
 * in the folder).
 */
function leadsGroupIn(pid: number, root: string): boolean {
  // A folder that cannot be read (gone meanwhile, or init's, which even root may not read) is not the stack's.
  const inRoot = (p: number) => {
    try {
      return readlinkSync(`/proc/${p}/cwd`).startsWith(root);
    } catch {
      return false;
    }
  };
  try {
    const [ppid, pgrp] = statFields(pid);
    return pgrp === pid && inRoot(pid) && !inRoot(ppid);
  } catch {
    return false;
  }
}

/** A process's parent and process group, from /proc/PID/stat (the fields after the command's closing paren). */
function statFields(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[1]), Number(f[2])];
}

/** An unrecorded process's own port where its argv says it (the store's `-s3.port=`, whose sockets go with it); else 0. */
function listenPort(pid: number): number {
  try {
    return Number(/\0-s3\.port=(\d+)\0/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The role an unrecorded process plays, from its command name: it picks the signal and grace it stops with. */
function roleOf(pid: number): Role {
  let comm = '';
  try {
    comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    // gone meanwhile: any role stops it
  }
  const roles: Array<[RegExp, Role]> = [[/^postgres/, 'database'], [/^redis-sentinel/, 'sentinel'], [/^redis/, 'cache'], [/^nginx/, 'balancer'],
    [/^weed/, 'storage'], [/^prometheus$/, 'monitoring'], [/exporter/, 'exporter']];
  return roles.find(([re]) => re.test(comm))?.[1] ?? 'api';
}

export async function stopComponents(components: readonly ComponentRecord[]): Promise<void> {
  // Reverse start order: the entry first (no new requests), the databases last (API drains onto them).
  const order = [...components].reverse();
  const byRole = (r: Role[]) => order.filter((c) => r.includes(c.role));
  const graceOf = (c: ComponentRecord): number => (c.role === 'storage' ? STORE_STOP_GRACE_MS : c.role === 'api' ? 12_000 : 15_000);
  const sigOf = (c: ComponentRecord): NodeJS.Signals => (c.role === 'database' ? 'SIGINT' : c.role === 'balancer' ? 'SIGQUIT' : 'SIGTERM');
  for (const group of [byRole(['monitoring', 'exporter']), byRole(['balancer']), byRole(['api']), byRole(['sentinel', 'cache', 'storage']), byRole(['database'])]) {
    await Promise.all(group.map((c) => stopPid(c.pid, sigOf(c), graceOf(c))));
  }
  // The store's S3 port is P+15 of its stack: its sockets in /tmp go with it (killed or stopped).
  for (const c of byRole(['storage']).filter((x) => x.port > 0)) removeGrpcSockets(objectStoragePorts(c.port - PORT_OFFSETS['object-storage']));
}

/** Starts the stack; `groupOf` names the cgroup each component starts in (its budget), absent when it runs shared. */
export async function startStack(o: StackOptions, progress: Progress, groupOf?: StackContext['groupOf']): Promise<StartedStack> {
  const as = serviceUser();
  const root = stackRoot(o.dataDir);
  ownedDir(root, as);
  const stale = leftovers(root);
  if (stale.length) {
    progress.say(`stopping ${stale.length} leftover process(es) of a killed run in ${root}`);
    await stopComponents(stale);
  }
  const objectStorage = hasObjectStorage();
  if (!objectStorage) progress.say('object-storage: no weed binary here (make store builds it); the stack runs without files, the file routes answer 503');
  const ctx: StackContext = { root, o, secrets: stackSecrets(root), instances: o.instances, objectStorage, groupOf };
  const components: ComponentRecord[] = [];
  const record = (c: ComponentRecord) => {
    components.push(c);
    writeFileSync(join(root, PIDS_FILE), JSON.stringify(components));
    progress.component(c);
  };
  try {
    for (const step of startSteps(o.instances, objectStorage)) {
      const t0 = Date.now();
      const started = await Promise.allSettled(step.map((name) => startComponent(ctx, name)));
      for (const r of started) if (r.status === 'fulfilled') record(r.value);
      const bad = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (bad) throw bad.reason;
      if (step.includes('postgres-primary')) {
        // Seed before the replica's base backup, so the replica starts with the data.
        const seeded = await seed(pgUrl(ctx.secrets, portOf(o.port, 'postgres-primary')), o);
        progress.say(`${seeded ? 'seeded' : 'reusing'} PostgreSQL data (scale ${o.seedScale}) in ${Date.now() - t0} ms`);
      }
    }
    // The store's first write and Prometheus's first scrapes are awaited side by side: each is a few seconds of
    // waiting on the other processes, not work.
    const writable = objectStorage
      ? storeWritable({ url: `http://${HOST}:${objectStoragePorts(o.port).s3}`, accessKey: ctx.secrets.s3AccessKey, secretKey: ctx.secrets.s3SecretKey }, bucketOf(1))
      : Promise.resolve(0);
    const [ms] = await Promise.all([writable, targetsUp(`http://${HOST}:${portOf(o.port, 'prometheus')}`, 30_000)]);
    if (ms > 1000) progress.say(`object-storage took its first write after another ${(ms / 1000).toFixed(1)} s`);
    return { root, components, secrets: ctx.secrets };
  } catch (e) {
    await stopComponents(components);
    throw e;
  }
}

/** Records the current component list in the stack folder (for leftovers() after a crash). */
export function recordPids(root: string, components: readonly ComponentRecord[]): void {
  writeFileSync(join(root, PIDS_FILE), JSON.stringify(components));
}

interface TargetsAnswer {
  data: { activeTargets: Array<{ health: string; labels: Record<string, string>; lastError: string }> };
}

/** Prometheus's active targets: component → up? */
export async function targetHealth(promUrl: string): Promise<Record<string, boolean>> {
  const res = await fetch(`${promUrl}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as TargetsAnswer;
  return Object.fromEntries(body.data.activeTargets.map((t) => [t.labels.component ?? t.labels.instance ?? '?', t.health === 'up']));
}

/** Waits until Prometheus has scraped every target successfully (a stack is healthy once it is observed). */
export async function targetsUp(promUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, boolean> = {};
  while (Date.now() < deadline) {
    try {
      last = await targetHealth(promUrl);
      if (Object.keys(last).length && Object.values(last).every(Boolean)) return;
    } catch {
      /* not answering yet */
    }
    await sleep(500);
  }
  const down = Object.entries(last).filter(([, up]) => !up).map(([n]) => n);
  throw new Error(`prometheus: targets not up after ${timeoutMs / 1000} s: ${down.join(', ') || 'none listed'}`);
}

/** After a scale: nginx's upstream and Prometheus's targets follow the instance count. */
export async function reconfigure(root: string, o: StackOptions, instances: number, nginxPid: number, promUrl: string, objectStorage: boolean): Promise<void> {
  reloadNginx(nginxPid, nginxDesc(root, o, instances));
  writePrometheusConfig(join(root, 'prometheus'), scrapeTargets(o, instances, objectStorage));
  await reloadPrometheus(promUrl);
}

/** Takes API instance `i` out of nginx's rotation (or back in with `undefined`): a reload, no dropped request. */
export function drainInNginx(root: string, o: StackOptions, instances: number, nginxPid: number, i: number | undefined): void {
  reloadNginx(nginxPid, nginxDesc(root, o, instances, i === undefined ? undefined : [apiPort(o.port, i)]));
}
