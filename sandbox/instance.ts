// An API instance process (forked by the supervisor): opens the shared database, serves HTTP on a loopback port,
// takes fault updates and metric scrapes over IPC, and exits when its supervisor goes away.

import { createServer } from 'node:http';
import { createApp } from './api/app.js';
import { folderFileStore } from './api/files.js';
import { SqliteStore } from './db/sqlite.js';
import { parseFaultSet } from './faults.js';
import { jsonLogger } from './log.js';
import { instanceMetrics, instrumentStore } from './metrics.js';
import type { ToInstance } from './ipc.js';

const env = (k: string): string => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`instance: ${k} is not set`);
  return v;
};

const name = env('SANDBOX_INSTANCE');
const port = Number(env('SANDBOX_INSTANCE_PORT'));
const log = jsonLogger(process.env.SANDBOX_LOG_FILE, { instance: name, pid: process.pid });
const raw = new SqliteStore(env('SANDBOX_DB'));
const metrics = instanceMetrics(name, () => raw.connections());
const app = createApp(instrumentStore(raw, metrics), {
  name,
  jwtSecret: env('SANDBOX_JWT_SECRET'),
  accessTtlS: Number(env('SANDBOX_TOKEN_TTL')),
  startedAt: Date.now(),
}, metrics, log, { files: folderFileStore(env('SANDBOX_FILES')) });

const server = createServer({ keepAliveTimeout: 65_000 }, app.handle);
server.on('clientError', (_e, socket) => socket.destroy());

process.on('message', (msg: ToInstance) => {
  if (msg.type === 'faults') {
    const set = parseFaultSet(msg.set);
    if (typeof set !== 'string') app.setFaults(set);
  } else if (msg.type === 'metrics') {
    metrics.registry.getMetricsAsJSON().then(
      (data) => process.send?.({ type: 'metrics', id: msg.id, data }),
      () => process.send?.({ type: 'metrics', id: msg.id, data: [] }),
    );
  }
});

// Without a supervisor nobody balances to this instance: leave rather than linger as an orphan.
process.on('disconnect', () => shutdown());
process.on('SIGTERM', () => shutdown());

// A graceful stop: no new connections, finish the requests being served (a response on a kept-alive connection
// is the last on it once the server is closing), close connections as they fall idle, then leave. The supervisor
// has drained this instance first, so nothing new should arrive; SIGKILL is what a crash looks like.
let closing = false;
function shutdown(): void {
  if (closing) return;
  closing = true;
  const idle = setInterval(() => server.closeIdleConnections(), 20);
  const done = () => {
    clearInterval(idle);
    raw.close();
    void log.close().then(() => process.exit(0));
  };
  server.close(done);
  server.closeIdleConnections();
  setTimeout(() => (server.closeAllConnections(), done()), 10_000).unref();
}

server.listen(port, '127.0.0.1', () => {
  log.info('instance listening', { port });
  process.send?.({ type: 'ready', port });
});
server.on('error', (e) => {
  log.error('instance cannot listen', { port, error: e.message });
  process.exit(1);
});
