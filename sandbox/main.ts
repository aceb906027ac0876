// Entry point of the sandbox process: `node dist/node/sandbox/main.js serve [flags]` (flags in options.ts).

import { Command } from 'commander';
import { addServeFlags, serveOptionsFrom, type ServeFlags } from './options.js';
import { runSupervisor } from './supervisor.js';

const program = new Command('sandbox').exitOverride();
addServeFlags(program.command('serve').description('run the sandbox in the foreground')).action(async (flags: ServeFlags) => {
  const opts = serveOptionsFrom(flags);
  await runSupervisor(opts, (line) => process.stdout.write(`sandbox: ${line}\n`));
});

program.parseAsync(process.argv).catch((e: unknown) => {
  const code = (e as { exitCode?: number }).exitCode;
  if (code === 0) process.exit(0);
  // One line on stderr: the parent (lib/sandbox) shows it as the reason the start failed.
  if (!(e as { code?: string }).code?.startsWith('commander.')) process.stderr.write(`sandbox: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(1);
});
