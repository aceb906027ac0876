// The shape of one CLI command's registration: every cli/<command>.ts exports one, cli/main.ts lists them.
// It lives here, not in cli/main.ts, so no file of cli/ imports another one.

import type { Command } from 'commander';
import type { Io } from './io.js';

export type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;
