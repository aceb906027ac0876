// Entry of a full-stack API instance: `node dist/node/sandbox/full/api.js --name api-1 --port P --workers W …`
// (flags in api-options.ts). The process is a node:cluster primary: it forks W workers that share the port,
// answers their /metrics with the sum over all of them, replaces a worker that dies, and on SIGTERM drains them.

import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { apiOptionsFrom, type ApiOptions } from './api-options.js';
import { runWorker } from './api-worker.js';
import type { FromWorker, ToWorker } from './api-ipc.js';

function fail(msg: string): never {
  process.stderr.write(`api: ${msg.split('\n')[0]}\n`);
  process.exit(1);
}

function runPrimary(o: ApiOptions): void {
  const aggregator = new AggregatorRegistry();
  const ready = new Set<number>();
  let stopping = false;
  let announced = false;

  const fork = (index: number): Worker => {
    const w = cluster.fork({ CONECTA_WORKER_INDEX: String(index) });
    w.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        ready.add(index);
        if (!announced && ready.size === o.workers) {
          announced = true;
          process.stdout.write(`api: ${o.name} ready on http://127.0.0.1:${o.port} (${o.workers} workers, pool ${o.poolSize} per node)\n`);
        }
      } else if (m.type === 'metrics') {
        aggregator.clusterMetrics().then(
          (text) => w.send({ type: 'metrics', id: m.id, text } satisfies ToWorker),
          (e: Error) => w.send({ type: 'metrics', id: m.id, text: `# metrics unavailable: ${e.message}\n` } satisfies ToWorker),
        );
      } else if (m.type === 'fatal') {
        // A worker that cannot start (database or Redis unreachable, wrong seed) will not start on retry either.
        if (!announced) fail(m.message);
      }
    });
    w.on('exit', (code) => {
      ready.delete(index);
      if (stopping) return;
      if (!announced) fail(`worker ${index} exited with code ${code} before it was ready`);
      // A second apart: a worker that cannot start (database down) must not turn into a fork loop.
      setTimeout(() => stopping || fork(index), 1000);
    });
    return w;
  };
  for (let i = 0; i < o.workers; i++) fork(i);

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(0);
    let left = workers.length;
    for (const w of workers) {
      w.once('exit', () => --left === 0 && process.exit(0));
      w.send({ type: 'drain' } satisfies ToWorker);
    }
    // A worker stuck past its drain time must not keep the instance alive.
    setTimeout(() => {
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(0);
    }, o.drainMs + 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

let opts: ApiOptions;
try {
  opts = apiOptionsFrom(process.argv.slice(2), process.env);
} catch (e) {
  // --help and --version print and end with exit code 0.
  if ((e as { exitCode?: number }).exitCode === 0) process.exit(0);
  fail((e as Error).message);
}
if (cluster.isPrimary) runPrimary(opts);
else runWorker(opts, Number(process.env.CONECTA_WORKER_INDEX ?? 0)).catch((e: unknown) => {
  // The primary prints it (one line) and exits 1.
  process.send?.({ type: 'fatal', message: (e as Error).message } satisfies FromWorker);
  setTimeout(() => process.exit(1), 100);
});
