// The sandbox's top process: seeds (or reuses) the database, forks the API instances, and serves the public
// port through the balancer until SIGTERM/SIGINT, when it stops everything it started.

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSeed, prepareFilesDir, prepareWorkingDb } from './db/seed.js';
import { seedConfigFor } from './db/seed-config.js';
import { createBalancer } from './lb/balancer.js';
import { InstancePool } from './lb/pool.js';
import { jsonLogger } from './log.js';
import { lbMetrics } from './metrics.js';
import type { ServeOptions } from './options.js';
import { canBind, HOST } from './process.js';

export async function runSupervisor(o: ServeOptions, say: (line: string) => void): Promise<void> {
  mkdirSync(o.dataDir, { recursive: true });
  mkdirSync(dirname(o.logFile), { recursive: true });
  const log = jsonLogger(o.logFile, { instance: 'lb', pid: process.pid });
  for (let i = 1; i <= o.instances; i++) if (!(await canBind(o.port + i))) throw new Error(`port ${o.port + i} is in use`);

  // Claim the public port first: a second sandbox on it fails at once, and /health answers 503 while starting.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'X-Instance': 'lb' });
    res.end(JSON.stringify({ status: 'starting', error: 'starting', message: 'the sandbox is starting' }));
  };
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${o.port} is in use` : `port ${o.port}: ${e.message}`)));
    server.listen(o.port, HOST, () => resolve());
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  const config = seedConfigFor(o.seedScale, o.seed);
  const t0 = Date.now();
  const seed = ensureSeed(o.dataDir, config);
  say(seed.built ? `seeded ${seed.file} in ${Date.now() - t0} ms` : `reusing ${seed.file}`);
  const db = prepareWorkingDb(o.dataDir, seed.file, o.port);
  log.info('database ready', { ...config, seed_file: seed.file, db, built: seed.built });

  let pool: InstancePool | undefined;
  const metrics = lbMetrics(() => pool?.healthyCount() ?? 0);
  pool = new InstancePool({
    count: o.instances,
    basePort: o.port,
    script: join(dirname(fileURLToPath(import.meta.url)), 'instance.js'),
    env: {
      SANDBOX_DB: db,
      SANDBOX_FILES: prepareFilesDir(o.dataDir, o.port),
      // Secrets come from the environment, as in production; a random one per start otherwise.
      SANDBOX_JWT_SECRET: process.env.SANDBOX_JWT_SECRET || randomBytes(32).toString('hex'),
      SANDBOX_TOKEN_TTL: String(o.tokenTtlS),
      SANDBOX_LOG_FILE: o.logFile,
    },
    log,
    onRestart: (name) => metrics.restarts.inc({ upstream: name }),
  });
  pool.setFaults(o.faults);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close();
    server.closeAllConnections();
    await pool.stop();
    await log.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await pool.start(60_000);
  handler = createBalancer({ pool, metrics, log, limits: o.limits, port: o.port });
  log.info('sandbox ready', { port: o.port, instances: o.instances, limits: o.limits ? 'on' : 'off' });
  say(`sandbox ready on http://${HOST}:${o.port} (${o.instances} instances, limits ${o.limits ? 'on' : 'off'})`);
}
