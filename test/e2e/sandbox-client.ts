// A small HTTP client for the sandbox end-to-end tests: JSON in and out, a chosen source address (to act as
// another client IP), and the measured latency of each request.

import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  ms: number;
}

export interface Req {
  token?: string;
  body?: unknown;
  /** Raw body text, sent as is (malformed JSON, oversized payloads). */
  raw?: string | Buffer;
  /** Source address, e.g. 127.0.0.57: the balancer sees it as the client IP. */
  from?: string;
  headers?: Record<string, string>;
}

const agents = new Map<string, Agent>();
const agentFor = (from: string) => {
  let a = agents.get(from);
  if (!a) agents.set(from, (a = new Agent({ keepAlive: true, maxSockets: 64 })));
  return a;
};

export function call(port: number, method: string, path: string, r: Req = {}): Promise<Reply> {
  const payload = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
  const headers: Record<string, string> = { ...r.headers };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  const from = r.from ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, localAddress: from, agent: agentFor(from) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json, ms: performance.now() - t0 });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface SeededUser {
  email: string;
  password: string;
  role: 'operador' | 'sindico' | 'porteiro' | 'morador';
}

export async function users(port: number, limit = 5): Promise<SeededUser[]> {
  return (await call(port, 'GET', `/__sandbox/users?limit=${limit}`)).json as SeededUser[];
}

export async function login(port: number, u: { email: string; password: string }, from?: string): Promise<string> {
  const r = await call(port, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password }, from });
  if (r.status !== 200) throw new Error(`login ${u.email}: ${r.status} ${r.body}`);
  return r.json.access_token as string;
}

export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}
