// Shared by test/e2e/full-stack-*.test.ts: a full stack on a free port block in a temp data dir, and the checks
// every file ends with (each recorded pid gone after down).

import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
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

/**
 * The TCP listeners (IPv4 and IPv6) held by `pids` and their descendants (nginx's workers, PostgreSQL's backends),
 * from /proc: each socket's inode in /proc/net/tcp*, matched to the processes' open descriptors.
 */
export function listeners(pids: readonly number[]): Array<{ pid: number; address: string; port: number }> {
  const listening = new Map<string, { address: string; port: number }>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(f, 'utf8').trim().split('\n').slice(1)) {
      const col = line.trim().split(/\s+/);
      if (col[3] !== '0A') continue; // LISTEN
      const [hex, port] = col[1]!.split(':');
      listening.set(col[9]!, { address: hexAddress(hex!), port: parseInt(port!, 16) });
    }
  }
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set(pids);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) if (!mine.has(pid) && mine.has(ppid)) grew = !!mine.add(pid);
  }
  const out: Array<{ pid: number; address: string; port: number }> = [];
  for (const pid of mine) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const seen = new Set<string>();
    for (const fd of fds) {
      let link = '';
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const l = inode !== undefined && !seen.has(inode) ? listening.get(inode) : undefined;
      if (l) out.push({ pid, ...l }), seen.add(inode!);
    }
  }
  return out;
}

/** /proc/net/tcp's address: IPv4 as 4 little-endian bytes, IPv6 as 4 little-endian 32-bit words. */
function hexAddress(hex: string): string {
  const bytes = (h: string) => h.match(/../g)!.map((b) => parseInt(b, 16)).reverse();
  if (hex.length === 8) return bytes(hex).join('.');
  const words = hex.match(/.{8}/g)!.flatMap(bytes);
  if (words.slice(0, 10).every((b) => b === 0) && words[10] === 0xff && words[11] === 0xff) return words.slice(12).join('.');
  return Array.from({ length: 8 }, (_, i) => ((words[2 * i]! << 8) | words[2 * i + 1]!).toString(16)).join(':');
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
