// `conecta-load sandbox up|down|serve|status`: the bundled Conecta reference stack, over lib/sandbox.

import { ExitCode } from '../lib/exit-codes.js';
import {
  addServeFlags, DEFAULT_PORT, sandboxStatus, serveSandbox, startSandbox, stopSandbox, type ServeFlags,
} from '../lib/sandbox/index.js';
import type { Register } from '../lib/register.js';

function portOf(raw: string | undefined): number {
  const p = Number(raw ?? DEFAULT_PORT);
  return Number.isInteger(p) && p > 0 && p < 65536 ? p : DEFAULT_PORT;
}

export const registerSandbox: Register = (program, io, setExit) => {
  const sandbox = program
    .command('sandbox')
    .description('the bundled Conecta reference stack (API instances behind a balancer, SQLite, faults)');

  addServeFlags(sandbox.command('up').description('start the sandbox in the background; prints its URL once healthy'))
    .option('--ready-timeout <seconds>', 'how long to wait for it to be healthy (default 180)')
    .action(async (flags: ServeFlags & { readyTimeout?: string }) => {
      const t = flags.readyTimeout === undefined ? undefined : Number(flags.readyTimeout) * 1000;
      const sb = await startSandbox({ flags, readyTimeoutMs: t && t > 0 ? t : undefined });
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
    .command('status')
    .description('show whether a sandbox runs on a port, and its instances')
    .option('--port <port>', `public port (default ${DEFAULT_PORT})`)
    .action(async (flags: { port?: string }) => {
      const s = await sandboxStatus(portOf(flags.port));
      io.stdout(JSON.stringify(s, null, 2) + '\n');
      if (!s.running) setExit(ExitCode.SANDBOX);
    });
};
