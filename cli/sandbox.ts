// `conecta-load sandbox up|down|serve|status`: the bundled Conecta reference stack, over lib/sandbox.

import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import {
  addServeFlags, DEFAULT_PORT, READY_TIMEOUT_S, sandboxStatus, serveSandbox, stackAt, startSandbox, stopSandbox, type ServeFlags,
} from '../lib/sandbox/index.js';
import type { Register } from '../lib/register.js';
import { positive, tcpPort } from './flags.js';

/** --port of down/scale/status: a bad value is an error, never the default port's sandbox stopped by mistake. */
const portOf = (raw: string | undefined): number => (raw === undefined ? DEFAULT_PORT : tcpPort('--port')(raw));

interface FullFlags {
  stack?: string;
  workers?: string;
  poolSize?: string;
}

function fullOptions(f: FullFlags): { stack: 'embedded' | 'full'; workers?: number; poolSize?: number } {
  if (f.stack !== undefined && f.stack !== 'embedded' && f.stack !== 'full') {
    throw new ConectaError(`sandbox: --stack must be embedded or full, got "${f.stack}"`, ExitCode.USAGE);
  }
  const n = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new ConectaError(`sandbox: --${flag} must be a whole number, got "${v}"`, ExitCode.USAGE);
    return Number(v);
  };
  return { stack: f.stack === 'full' ? 'full' : 'embedded', workers: n('workers', f.workers), poolSize: n('pool-size', f.poolSize) };
}

export const registerSandbox: Register = (program, io, setExit) => {
  const sandbox = program
    .command('sandbox')
    .description('the bundled Conecta reference stack (API instances behind a balancer, SQLite, faults)');

  addServeFlags(sandbox.command('up').description('start the sandbox in the background; prints its URL once healthy'))
    .option('--ready-timeout <seconds>', `how long to wait for it to be healthy, in seconds (default ${READY_TIMEOUT_S})`, positive('--ready-timeout'))
    .option('--stack <kind>', 'embedded (Node balancer + SQLite, the default) or full (nginx, PostgreSQL, Redis, Prometheus)')
    .option('--workers <n>', 'full stack: worker processes per API instance (default 1)')
    .option('--pool-size <n>', 'full stack: PostgreSQL pool per API instance and node, shared by its workers (default 10)')
    .action(async (flags: ServeFlags & FullFlags & { readyTimeout?: number }) => {
      const t = flags.readyTimeout === undefined ? undefined : flags.readyTimeout * 1000;
      const sb = await startSandbox({ flags, readyTimeoutMs: t, ...fullOptions(flags), say: (l) => io.stderr(`sandbox: ${l}\n`) });
      io.stderr(`sandbox running (pid ${sb.pid}); stop it with: conecta-load sandbox down --port ${sb.port}\n`);
      io.stdout(`${sb.url}\n`);
    });

  sandbox
    .command('down')
    .description('stop the sandbox on a port and free it')
    .option('--port <port>', `public port (default ${DEFAULT_PORT})`)
    .action(async (flags: { port?: string }) => {
      const port = portOf(flags.port);
      const stopped = await stopSandbox(port);
      io.stderr(stopped ? `sandbox on port ${port} stopped\n` : `no sandbox started by conecta-load on port ${port}\n`);
    });

  addServeFlags(sandbox.command('serve').description('run the sandbox in the foreground (Ctrl-C stops it)')).action(
    async (flags: ServeFlags) => {
      const code = await serveSandbox({ flags });
      if (code !== 0) setExit(ExitCode.SANDBOX);
    },
  );

  sandbox
    .command('scale')
    .description('change the number of API instances (the full stack reloads nginx without dropping requests)')
    .requiredOption('--instances <n>', 'API instances wanted')
    .option('--port <port>', `public port (default ${DEFAULT_PORT})`)
    .action(async (flags: { port?: string; instances: string }) => {
      const port = portOf(flags.port);
      const stack = stackAt(port);
      await stack.perform({ kind: 'scale', count: Number(flags.instances) });
      io.stderr(`${stack.stack} stack on port ${port} now runs ${flags.instances} API instance(s)\n`);
    });

  sandbox
    .command('status')
    .description('show whether a sandbox runs on a port, and its instances (JSON)')
    .option('--port <port>', `public port (default ${DEFAULT_PORT})`)
    .option('--json', 'JSON output (the only format; accepted for scripts)')
    .action(async (flags: { port?: string }) => {
      const s = await sandboxStatus(portOf(flags.port));
      io.stdout(JSON.stringify(s, null, 2) + '\n');
      if (!s.running) setExit(ExitCode.SANDBOX);
    });
};
