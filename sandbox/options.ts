// The sandbox's serve options: defaults, the flags that set them (shared by `sandbox/main.js serve` and the
// `conecta-load sandbox up|serve` CLI), validation into ServeOptions, and back to argv.

import type { Command } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { faultsFromFlags, parseFaultSet, type FaultSet } from './faults.js';

export interface ServeOptions {
  port: number;
  instances: number;
  dataDir: string;
  /** null with --no-limits. */
  limits: { perMinute: number; loginsPer5Min: number } | null;
  tokenTtlS: number;
  seedScale: number;
  seed: number;
  faults: FaultSet;
  /** JSON-lines log file; default <dataDir>/sandbox-<port>.log. */
  logFile: string;
}

export const DEFAULT_PORT = 8100;

/** `$XDG_CACHE_HOME/conecta-load` or `~/.cache/conecta-load`. */
export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'conecta-load');
}

export function defaultDataDir(env?: Readonly<Record<string, string | undefined>>): string {
  return join(cacheRoot(env), 'sandbox');
}

/** Raw flag values as commander yields them. */
export interface ServeFlags {
  port?: string;
  instances?: string;
  dataDir?: string;
  limits?: boolean;
  rateLimit?: string;
  loginLimit?: string;
  tokenTtl?: string;
  seedScale?: string;
  seed?: string;
  latency?: string[];
  errorRate?: string[];
  cpuMs?: string[];
  faultsJson?: string;
  logFile?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addServeFlags(cmd: Command): Command {
  return cmd
    .option('--port <port>', `public port; instances use port+1..port+N (default ${DEFAULT_PORT})`)
    .option('--instances <n>', 'API instances behind the balancer (default 3)')
    .option('--data-dir <dir>', `seeded databases, working copies and logs (default ${defaultDataDir()})`)
    .option('--no-limits', 'turn off the per-IP rate limit and the login limit (pure capacity runs)')
    .option('--rate-limit <n>', 'requests per minute per client IP on /api/* (default 150)')
    .option('--login-limit <n>', 'logins per 5 minutes per client IP (default 5)')
    .option('--token-ttl <seconds>', 'access token lifetime (default 900)')
    .option('--seed-scale <f>', 'data set size; 1 = 50 condominiums, 10 000 units, 25 000 residents (default 1)')
    .option('--seed <n>', 'seed of the data generator (default 42)')
    .option('--latency <spec>', 'added latency: <ms>[~<jitter>][:uniform|normal|exponential][@"<METHOD /route>"] (repeatable)', collect)
    .option('--error-rate <spec>', 'injected 5xx fraction: <0..1>[@"<METHOD /route>"] (repeatable)', collect)
    .option('--cpu-ms <spec>', 'extra CPU per request: <ms>[@"<METHOD /route>"] (repeatable)', collect)
    .option('--faults-json <json>', 'fault rules as PUT /__sandbox/faults takes them: {"rules":[…]}')
    .option('--log-file <file>', 'JSON-lines log (default <data-dir>/sandbox-<port>.log)');
}

function int(name: string, raw: string | undefined, dflt: number, lo: number, hi: number): number {
  if (raw === undefined) return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < lo || Number(raw) > hi) throw new Error(`--${name} must be an integer from ${lo} to ${hi}, got "${raw}"`);
  return Number(raw);
}

/** Validates flags; throws Error with a one-line reason naming the flag. */
export function serveOptionsFrom(f: ServeFlags): ServeOptions {
  const port = int('port', f.port, DEFAULT_PORT, 1, 65535);
  const instances = int('instances', f.instances, 3, 1, 16);
  if (port + instances > 65535) throw new Error(`--port ${port} leaves no room for ${instances} instance ports above it`);
  const seedScale = f.seedScale === undefined ? 1 : Number(f.seedScale);
  if (!(seedScale > 0 && seedScale <= 10)) throw new Error(`--seed-scale must be a number in (0, 10], got "${f.seedScale}"`);
  let faults = faultsFromFlags({ latency: f.latency, errorRate: f.errorRate, cpuMs: f.cpuMs });
  if (f.faultsJson !== undefined) {
    let data: unknown;
    try {
      data = JSON.parse(f.faultsJson);
    } catch {
      throw new Error('--faults-json is not valid JSON');
    }
    const set = parseFaultSet(data);
    if (typeof set === 'string') throw new Error(`--faults-json: ${set}`);
    faults = { rules: [...set.rules, ...faults.rules] };
  }
  const dataDir = f.dataDir ?? defaultDataDir();
  return {
    port, instances, dataDir, seedScale, faults,
    limits: f.limits === false ? null : {
      perMinute: int('rate-limit', f.rateLimit, 150, 1, 1_000_000),
      loginsPer5Min: int('login-limit', f.loginLimit, 5, 1, 1_000_000),
    },
    tokenTtlS: int('token-ttl', f.tokenTtl, 900, 1, 30 * 86_400),
    seed: int('seed', f.seed, 42, 0, 2 ** 31),
    logFile: f.logFile ?? join(dataDir, `sandbox-${port}.log`),
  };
}

/** The argv of `sandbox/main.js serve` that reproduces these options. */
export function serveArgv(o: ServeOptions): string[] {
  const a = ['serve', '--port', String(o.port), '--instances', String(o.instances), '--data-dir', o.dataDir,
    '--token-ttl', String(o.tokenTtlS), '--seed-scale', String(o.seedScale), '--seed', String(o.seed), '--log-file', o.logFile];
  if (o.limits) a.push('--rate-limit', String(o.limits.perMinute), '--login-limit', String(o.limits.loginsPer5Min));
  else a.push('--no-limits');
  if (o.faults.rules.length) a.push('--faults-json', JSON.stringify(o.faults));
  return a;
}
