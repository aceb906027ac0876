// Prometheus (Debian) and the Debian exporters for the full stack: postgres_exporter per PostgreSQL node (with
// pg_stat_statements totals as a custom query), redis_exporter per Redis node, nginx's stub_status exporter,
// node_exporter, all scraped every 2 s together with every API instance's /metrics. Credentials reach the
// exporters by environment, never argv.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, launch, ownedDir, serviceUser, waitUntil } from './proc.js';
import { HOST, stopPid, tcpOpen } from '../process.js';

export const SCRAPE_INTERVAL_S = 2;

/** postgres_exporter custom query: the API database's statement totals (the exporter itself connects to
 * `postgres`, so its own queries stay out), so busy time = rate(exec_seconds). */
export const PG_STATEMENTS_QUERY = `pg_stat_statements:
  query: "SELECT COALESCE(sum(calls), 0)::float8 AS calls, COALESCE(sum(total_exec_time), 0)::float8 / 1000 AS exec_seconds, COALESCE(sum(rows), 0)::float8 AS rows FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'conecta'"
  master: true
  metrics:
    - calls:
        usage: "COUNTER"
        description: "Statements executed (pg_stat_statements, this database)"
    - exec_seconds:
        usage: "COUNTER"
        description: "Time spent executing statements, seconds (pg_stat_statements, this database)"
    - rows:
        usage: "COUNTER"
        description: "Rows returned or affected (pg_stat_statements, this database)"
`;

export interface Exporter {
  name: string;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

export type ExporterSpec =
  | { kind: 'postgres'; name: string; port: number; dsn: string }
  | { kind: 'redis'; name: string; port: number; redisPort: number; password: string }
  | { kind: 'nginx'; name: string; port: number; statusPort: number }
  | { kind: 'node'; name: string; port: number };

export async function startExporter(dir: string, s: ExporterSpec): Promise<Exporter> {
  const as = serviceUser();
  ownedDir(dir, as);
  const listen = `${HOST}:${s.port}`;
  let cmd: string;
  let args: string[];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (s.kind === 'postgres') {
    const q = join(dir, `${s.name}-queries.yaml`);
    writeFileSync(q, PG_STATEMENTS_QUERY);
    chownTree(q, as);
    cmd = 'prometheus-postgres-exporter';
    args = [`--web.listen-address=${listen}`, `--extend.query-path=${q}`];
    env.DATA_SOURCE_NAME = `${s.dsn}?sslmode=disable`;
  } else if (s.kind === 'redis') {
    cmd = 'prometheus-redis-exporter';
    args = ['-web.listen-address', listen, '-redis.addr', `redis://${HOST}:${s.redisPort}`];
    env.REDIS_PASSWORD = s.password;
  } else if (s.kind === 'nginx') {
    cmd = 'prometheus-nginx-exporter';
    args = ['-web.listen-address', listen, '-nginx.scrape-uri', `http://${HOST}:${s.statusPort}/stub_status`];
  } else {
    cmd = 'prometheus-node-exporter';
    args = [`--web.listen-address=${listen}`, '--collector.disable-defaults', '--collector.cpu', '--collector.meminfo',
      '--collector.loadavg', '--collector.netstat', '--collector.filefd'];
  }
  const p = launch(cmd, args, { logFile: join(dir, `${s.name}.log`), env, as });
  const e: Exporter = { name: s.name, pid: p.pid, port: s.port, stop: () => stopPid(p.pid, 'SIGTERM', 5_000) };
  await waitUntil(`${s.name} (port ${s.port})`, p, () => tcpOpen(s.port), 20_000).catch(async (err) => {
    await e.stop();
    throw err;
  });
  return e;
}

export interface ScrapeTarget {
  job: string;
  /** host:port */
  address: string;
  labels: Record<string, string>;
}

/** prometheus.yml: one job per kind of target, an `component` label naming the stack component. */
export function prometheusConfig(targets: readonly ScrapeTarget[]): string {
  const jobs = new Map<string, ScrapeTarget[]>();
  for (const t of targets) jobs.set(t.job, [...(jobs.get(t.job) ?? []), t]);
  const out = ['global:', `  scrape_interval: ${SCRAPE_INTERVAL_S}s`, `  scrape_timeout: ${SCRAPE_INTERVAL_S}s`, `  evaluation_interval: ${SCRAPE_INTERVAL_S}s`, 'scrape_configs:'];
  for (const [job, ts] of jobs) {
    out.push(`  - job_name: ${JSON.stringify(job)}`, '    static_configs:');
    for (const t of ts) {
      out.push(`      - targets: [${JSON.stringify(t.address)}]`, '        labels:');
      for (const [k, v] of Object.entries(t.labels)) out.push(`          ${k}: ${JSON.stringify(v)}`);
    }
  }
  return out.join('\n') + '\n';
}

export interface PrometheusNode {
  pid: number;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export function writePrometheusConfig(dir: string, targets: readonly ScrapeTarget[]): string {
  const as = serviceUser();
  ownedDir(dir, as);
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, prometheusConfig(targets));
  chownTree(file, as);
  return file;
}

export async function startPrometheus(dir: string, port: number, targets: readonly ScrapeTarget[]): Promise<PrometheusNode> {
  const as = serviceUser();
  const file = writePrometheusConfig(dir, targets);
  ownedDir(join(dir, 'data'), as);
  const p = launch('prometheus', [`--config.file=${file}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${HOST}:${port}`,
    '--storage.tsdb.retention.time=2d', '--web.enable-lifecycle', '--log.level=warn',
    // k6 writes a run's metrics here as it goes (`run`'s remote write), trends as native histograms: Prometheus
    // 2.42 (Debian 12) takes both behind these flags.
    '--web.enable-remote-write-receiver', '--enable-feature=native-histograms'], { logFile: join(dir, 'prometheus.log'), as });
  const url = `http://${HOST}:${port}`;
  const node = { pid: p.pid, port, url, stop: () => stopPid(p.pid, 'SIGTERM', 10_000) };
  const ready = async () => {
    try {
      return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      return false;
    }
  };
  await waitUntil(`prometheus (port ${port})`, p, ready, 60_000).catch(async (e) => {
    await node.stop();
    throw e;
  });
  return node;
}

/** Re-reads prometheus.yml (after a scale) through the lifecycle API. */
export async function reloadPrometheus(url: string): Promise<void> {
  await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(5000) });
}
