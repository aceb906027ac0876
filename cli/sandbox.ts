// `conecta-load sandbox up|down|serve|status`: the bundled Conecta reference stack, over lib/sandbox.

import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import {
  addServeFlags, BUDGET_KINDS, DEFAULT_PORT, type BudgetFlags, READY_TIMEOUT_S, sandboxStatus, serveSandbox, stackAt, startSandbox, stopSandbox, type ServeFlags,
} from '../lib/sandbox/index.js';
import type { Register } from '../lib/register.js';
import { positive, size, tcpPort } from './flags.js';

/** --port of down/scale/status: a bad value is an error, never the default port's sandbox stopped by mistake. */
const portOf = (raw: string | undefined): number => (raw === undefined ? DEFAULT_PORT : tcpPort('--port')(raw));

interface FullFlags {
  stack?: string;
  workers?: string;
  poolSize?: string;
  apiCpu?: number; dbCpu?: number; cacheCpu?: number; proxyCpu?: number;
  apiMem?: number; dbMem?: number; cacheMem?: number; proxyMem?: number;
  generatorCpu?: number;
}

const BUDGET_HELP = { api: 'each API instance', db: 'each PostgreSQL node', cache: 'each Redis node', proxy: 'nginx' } as const;

/** The budget flags given, by kind; undefined when none was. */
function budgetFlags(f: FullFlags): BudgetFlags | undefined {
  const cpu = { api: f.apiCpu, db: f.dbCpu, cache: f.cacheCpu, proxy: f.proxyCpu };
  const mem = { api: f.apiMem, db: f.dbMem, cache: f.cacheMem, proxy: f.proxyMem };
  const given = (r: Record<string, number | undefined>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
  const b = { cpu: given(cpu), mem: given(mem), ...(f.generatorCpu !== undefined ? { generatorCpu: f.generatorCpu } : {}) };
  return Object.keys(b.cpu).length + Object.keys(b.mem).length || b.generatorCpu !== undefined ? b : undefined;
}

function fullOptions(f: FullFlags): { stack: 'embedded' | 'full'; workers?: number; poolSize?: number; budgets?: BudgetFlags } {
  if (f.stack !== undefined && f.stack !== 'embedded' && f.stack !== 'full') {
    throw new ConectaError(`sandbox: --stack must be embedded or full, got "${f.stack}"`, ExitCode.USAGE);
  }
  const n = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new ConectaError(`sandbox: --${flag} must be a whole number, got "${v}"`, ExitCode.USAGE);
    return Number(v);
  };
  const budgets = budgetFlags(f);
  if (budgets && f.stack !== 'full') throw new ConectaError('sandbox: --api-cpu, --db-mem, --generator-cpu and the other budgets apply to --stack full only', ExitCode.USAGE);
  return { stack: f.stack === 'full' ? 'full' : 'embedded', workers: n('workers', f.workers), poolSize: n('pool-size', f.poolSize), budgets };
}

export const registerSandbox: Register = (program, io, setExit) => {
  const sandbox = program
    .command('sandbox')
    .description('the bundled Conecta reference stack (API instances behind a balancer, SQLite, faults)');

  const up = addServeFlags(sandbox.command('up').description('start the sandbox in the background; prints its URL once healthy'));
  for (const k of BUDGET_KINDS) {
    up.option(`--${k}-cpu <cores>`, `full stack: CPU quota of ${BUDGET_HELP[k]}, in cores (e.g. 0.25; a cgroup CFS quota)`, positive(`--${k}-cpu`));
    up.option(`--${k}-mem <size>`, `full stack: memory limit of ${BUDGET_HELP[k]} (e.g. 512M)`, size(`--${k}-mem`));
  }
  up
    .option('--generator-cpu <cores>', "full stack: CPU quota of the load generator's group (k6), in cores: starve it on purpose", positive('--generator-cpu'))
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
