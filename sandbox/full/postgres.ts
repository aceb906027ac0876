// PostgreSQL 15 (Debian's postgresql-15) for the full stack: a primary (initdb on first start) and a streaming
// hot-standby replica (pg_basebackup -R), both on loopback TCP only, pg_stat_statements preloaded, run as the
// service user when we are root. Each start reuses a data dir that is already initialised.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, launch, ownedDir, run, serviceUser, waitUntil, type RunAs } from './proc.js';
import { HOST, stopPid, tcpOpen } from '../process.js';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PG_USER = 'conecta';
export const PG_DB = 'conecta';
/** The deployment document: 600 connections over primary + replica. */
export const PG_MAX_CONNECTIONS = 300;

export interface PgNode {
  role: 'primary' | 'replica';
  pid: number;
  port: number;
  dir: string;
  logFile: string;
  password: string;
  /** postgresql://conecta:<pw>@127.0.0.1:<port>/conecta */
  url: string;
  stop(): Promise<void>;
}

export interface PgStartOptions {
  /** Data directory (created; initialised when empty). */
  dir: string;
  port: number;
  password: string;
  maxConnections?: number;
  logFile?: string;
  readyTimeoutMs?: number;
}

const urlOf = (password: string, port: number) =>
  `postgresql://${PG_USER}:${encodeURIComponent(password)}@${HOST}:${port}/${PG_DB}`;

const pgEnv = (password: string): NodeJS.ProcessEnv => ({ ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '3' });

/** Runs SQL with psql on a node (TCP); returns its unaligned, tuples-only output. */
export function psql(port: number, password: string, sql: string, db = PG_DB): string {
  return run(join(PG_BIN, 'psql'), ['-h', HOST, '-p', String(port), '-U', PG_USER, '-d', db, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    { env: pgEnv(password), timeoutMs: 30_000 }).trim();
}

function accepting(port: number, password: string): () => Promise<boolean> {
  return async () => {
    if (!(await tcpOpen(port))) return false;
    try {
      psql(port, password, 'SELECT 1', 'postgres');
      return true;
    } catch {
      return false; // starting up / recovering
    }
  };
}

/** Server settings passed on the command line, so a reused data dir follows the ports of this start. */
function settings(port: number, maxConnections: number): string[] {
  const c: Record<string, string> = {
    port: String(port),
    listen_addresses: HOST,
    unix_socket_directories: '', // TCP only: socket paths under deep temp dirs exceed 107 bytes
    max_connections: String(maxConnections),
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'top',
    'pg_stat_statements.max': '5000',
    track_io_timing: 'on',
    wal_level: 'replica',
    max_wal_senders: '5',
    wal_keep_size: '256MB',
    hot_standby: 'on',
    hot_standby_feedback: 'on',
    logging_collector: 'off',
    log_min_messages: 'warning',
    log_line_prefix: '%m [%p] ',
  };
  return Object.entries(c).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

function spawnServer(role: PgNode['role'], o: PgStartOptions, as: RunAs | undefined): Promise<PgNode> {
  const logFile = o.logFile ?? `${o.dir}.log`;
  const max = o.maxConnections ?? PG_MAX_CONNECTIONS;
  const p = launch(join(PG_BIN, 'postgres'), ['-D', o.dir, ...settings(o.port, max)], { logFile, as });
  const node: PgNode = {
    role, pid: p.pid, port: o.port, dir: o.dir, logFile, password: o.password, url: urlOf(o.password, o.port),
    // SIGINT is PostgreSQL's "fast" shutdown: it ends sessions instead of waiting for clients to leave.
    stop: () => stopPid(p.pid, 'SIGINT', 15_000),
  };
  return waitUntil(`postgres-${role} (port ${o.port})`, p, accepting(o.port, o.password), o.readyTimeoutMs ?? 90_000).then(
    () => node,
    async (e: Error) => {
      await node.stop();
      throw e;
    },
  );
}

/** initdb when `dir` holds no cluster, then starts it; creates the database and pg_stat_statements. */
export async function startPostgres(o: PgStartOptions): Promise<PgNode> {
  const as = serviceUser();
  if (!existsSync(join(o.dir, 'PG_VERSION'))) {
    rmSync(o.dir, { recursive: true, force: true });
    ownedDir(o.dir, as, 0o700);
    const pwFile = `${o.dir}.pw`;
    writeFileSync(pwFile, o.password + '\n', { mode: 0o600 });
    chownTree(pwFile, as);
    try {
      run(join(PG_BIN, 'initdb'), ['-D', o.dir, '-U', PG_USER, '--pwfile', pwFile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'], { as });
    } finally {
      rmSync(pwFile, { force: true });
    }
  }
  // A killed run leaves postmaster.pid behind; PostgreSQL itself checks whether that pid still runs and
  // recovers the cluster from its WAL, so nothing more is needed here.
  const node = await spawnServer('primary', o, as);
  try {
    if (psql(o.port, o.password, `SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'`, 'postgres') !== '1') {
      psql(o.port, o.password, `CREATE DATABASE ${PG_DB}`, 'postgres');
    }
    // In both databases: the API's, and `postgres`, where the exporters connect (so they never count themselves).
    psql(o.port, o.password, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    psql(o.port, o.password, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements', 'postgres');
  } catch (e) {
    await node.stop();
    throw e;
  }
  return node;
}

export interface ReplicaStartOptions extends Omit<PgStartOptions, 'password'> {
  primary: Pick<PgNode, 'port' | 'password'>;
}

/** A streaming hot standby of `primary`: pg_basebackup -R into `dir` unless it already is a standby. */
export async function startReplica(o: ReplicaStartOptions): Promise<PgNode> {
  const as = serviceUser();
  const standby = existsSync(join(o.dir, 'standby.signal'));
  // A replica promoted earlier (a failover test) has left the primary's timeline: take a fresh copy.
  if (!standby) {
    rmSync(o.dir, { recursive: true, force: true });
    ownedDir(o.dir, as, 0o700);
    run(join(PG_BIN, 'pg_basebackup'), ['-h', HOST, '-p', String(o.primary.port), '-U', PG_USER, '-D', o.dir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
      { env: pgEnv(o.primary.password), as });
  } else {
    // The primary may listen on another port than last time: point primary_conninfo at this start's.
    const auto = join(o.dir, 'postgresql.auto.conf');
    const text = readFileSync(auto, 'utf8').replace(/port=\d+/g, `port=${o.primary.port}`);
    writeFileSync(auto, text);
    chownTree(auto, as);
  }
  return spawnServer('replica', { ...o, password: o.primary.password }, as);
}

/** Promotes a standby to a primary (pg_promote waits until it accepts writes). */
export function promote(node: Pick<PgNode, 'port' | 'password'>): void {
  psql(node.port, node.password, 'SELECT pg_promote(true, 30)', 'postgres');
}
