// Shared by test/e2e/full-stack-*.test.ts: a full stack on a free port block in a temp data dir, and the checks
// every file ends with (each recorded pid gone after down).

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortBlock } from '../../lib/free-port.js';
import { startSandbox, type RunningFullStack, type SandboxOptions } from '../../lib/sandbox/control.js';
import { alive } from '../../lib/sandbox/process.js';
import { readFullState } from '../../lib/sandbox/state.js';
import { PORT_BLOCK } from '../../sandbox/full/layout.js';
import { raw } from './files-client.js';

/** A base port whose whole block (P..P+PORT_BLOCK) is free now, below the ephemeral ports. */
export function freeBlock(): Promise<number> {
  return freePortBlock(PORT_BLOCK);
}

export async function startFull(o: Omit<SandboxOptions, 'stack'> = {}): Promise<{ sb: RunningFullStack; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-full-'));
  // mkdtemp makes it 0700: the service user the stack runs as under root must reach the data dir inside.
  chmodSync(dir, 0o755);
  const port = await freeBlock();
  const sb = await startSandbox({ stack: 'full', port, instances: 2, dataDir: join(dir, 'data'), seedScale: 0.05, ...o });
  const root = readFullState(port)!.root;
  return {
    sb, dir,
    cleanup: async () => {
      await sb.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Pids still running (zombies count as gone: they hold nothing and only await their parent's wait()). */
export function running(pids: readonly number[]): number[] {
  return pids.filter((pid) => alive(pid));
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on loopback, optionally from another source address (127.0.0.2 …) than 127.0.0.1. */
export async function http(port: number, path: string, o: { method?: string; body?: unknown; from?: string; token?: string } = {}): Promise<Reply> {
  const data = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
  const r = await raw(port, path, { method: o.method, body: data, type: data ? 'application/json' : undefined, token: o.token, from: o.from });
  return { status: r.status, headers: r.headers, body: r.body.toString('utf8') };
}

/** Logs in a seeded user of `role` through the entry; returns its access token. */
export async function login(port: number, role: string, from?: string): Promise<string> {
  const users = JSON.parse((await http(port, `/__sandbox/users?role=${role}&limit=1`)).body) as Array<{ email: string; password: string }>;
  const r = await http(port, '/api/v1/auth/login', { method: 'POST', body: { email: users[0]!.email, password: users[0]!.password }, from });
  if (r.status !== 200) throw new Error(`login ${role}: ${r.status} ${r.body}`);
  return (JSON.parse(r.body) as { access_token: string }).access_token;
}
