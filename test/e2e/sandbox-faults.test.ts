// Fault injection in the sandbox: a latency set at start, latency set at run time through /__sandbox/faults
// (visible in measured latency, only on its route), an error rate within exact binomial bounds, extra CPU per
// request visible in the instances' CPU seconds, and rules that survive an instance being replaced.
// Needs a build first: `npx tsc -p tsconfig.json` (the sandbox runs compiled from dist/node/sandbox/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../lib/sandbox/index.js';
import { call, closeAgents, login, users, type Reply } from './sandbox-client.js';

const PORT = 18130;
let sb: RunningSandbox;
let token: string;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const get = (path: string) => call(PORT, 'GET', path, { token });
const putFaults = (rules: unknown[]) => call(PORT, 'PUT', '/__sandbox/faults', { body: { rules } });

async function times(path: string, n: number): Promise<Reply[]> {
  const out: Reply[] = [];
  for (let i = 0; i < n; i++) out.push(await get(path));
  return out;
}

/** Central interval of Binomial(n, p) holding all but `alpha` of the mass: exact, from the pmf. */
function binomialInterval(n: number, p: number, alpha: number): [number, number] {
  const logPmf = (k: number) => {
    let lg = 0; // log C(n, k)
    for (let i = 1; i <= k; i++) lg += Math.log(n - k + i) - Math.log(i);
    return lg + k * Math.log(p) + (n - k) * Math.log(1 - p);
  };
  const pmf = Array.from({ length: n + 1 }, (_, k) => Math.exp(logPmf(k)));
  let lo = 0;
  for (let acc = 0; acc + pmf[lo]! <= alpha / 2; lo++) acc += pmf[lo]!;
  let hi = n;
  for (let acc = 0; acc + pmf[hi]! <= alpha / 2; hi--) acc += pmf[hi]!;
  return [lo, hi];
}

beforeAll(async () => {
  sb = await startSandbox({
    port: PORT, instances: 2, noLimits: true, seedScale: 0.1,
    flags: { latency: ['150@GET /api/v1/avisos/:id'] },
  });
  const op = (await users(PORT)).find((u) => u.role === 'operador')!;
  token = await login(PORT, op);
});

afterAll(async () => {
  closeAgents();
  await sb?.stop();
});

describe('latency', () => {
  it('applies a latency given at start (--latency 150@"GET /api/v1/avisos/:id")', async () => {
    const f = await call(PORT, 'GET', '/__sandbox/faults');
    expect(f.json).toEqual({ rules: [{ route: 'GET /api/v1/avisos/:id', latencyMs: 150 }] });
    const r = await times('/api/v1/avisos/1', 6);
    expect(r.every((x) => x.status === 200)).toBe(true);
    expect(Math.min(...r.map((x) => x.ms))).toBeGreaterThanOrEqual(149);
  });

  it('adds a 200 ms latency set at run time to its route only, on every instance', async () => {
    const before = await times('/api/v1/unidades/1', 30);
    expect((await putFaults([{ route: 'GET /api/v1/unidades/:id', latencyMs: 200 }])).status).toBe(200);
    const after = await times('/api/v1/unidades/1', 30);
    const other = await times('/api/v1/cftv/1', 30);
    const base = median(before.map((x) => x.ms));
    expect(Math.min(...after.map((x) => x.ms))).toBeGreaterThanOrEqual(199);
    expect(median(after.map((x) => x.ms)) - base).toBeGreaterThanOrEqual(195);
    expect(median(after.map((x) => x.ms)) - base).toBeLessThan(260);
    expect(new Set(after.map((x) => x.headers['x-instance']))).toEqual(new Set(['api-1', 'api-2']));
    expect(median(other.map((x) => x.ms))).toBeLessThan(base + 50);
  });
});

describe('errors', () => {
  it('injects a 5 % error rate within the exact 99.99 % binomial interval', async () => {
    await putFaults([{ route: '*', errorRate: 0.05 }]);
    const n = 2000;
    const statuses: number[] = [];
    const errors: string[] = [];
    let next = 0;
    // 16 concurrent clients, each request one sample.
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < n) {
        next++;
        const r = await get('/api/v1/cftv/1');
        statuses.push(r.status);
        if (r.status !== 200) errors.push(r.json?.error);
      }
    }));
    await putFaults([]);
    const failed = statuses.filter((s) => s === 500).length;
    const [lo, hi] = binomialInterval(n, 0.05, 1e-4);
    // The interval itself (checked with exact rational arithmetic), so a slip in its maths shows.
    expect([lo, hi]).toEqual([64, 140]);
    expect(statuses).toHaveLength(n);
    expect(statuses.filter((s) => s !== 200 && s !== 500)).toEqual([]);
    expect(new Set(errors)).toEqual(new Set(['fault_injected']));
    expect(failed).toBeGreaterThanOrEqual(lo);
    expect(failed).toBeLessThanOrEqual(hi);
  });
});

describe('cpu', () => {
  it('burns the configured CPU per request on the instances', async () => {
    const cpu = async () => {
      const m = (await call(PORT, 'GET', '/metrics')).body;
      return [...m.matchAll(/^process_cpu_seconds_total\{instance="api-\d+"\} ([\d.e+-]+)$/gm)].reduce((s, x) => s + Number(x[1]), 0);
    };
    await putFaults([{ route: 'GET /api/v1/cftv/:id', cpuMs: 40 }]);
    const c0 = await cpu();
    const r = await times('/api/v1/cftv/1', 20);
    const c1 = await cpu();
    await putFaults([]);
    expect(Math.min(...r.map((x) => x.ms))).toBeGreaterThanOrEqual(39);
    // 20 requests × 40 ms of CPU time = 0.8 CPU seconds, plus the serving itself.
    expect(c1 - c0).toBeGreaterThanOrEqual(0.79);
  });
});

describe('bad fault rules', () => {
  it('refuses malformed and invalid rules with 4xx JSON and keeps the current ones', async () => {
    await putFaults([{ route: 'GET /api/v1/cftv/:id', latencyMs: 10 }]);
    const cases: Array<[string, number]> = [
      ['{', 400], ['{"rules":5}', 422], ['{"rules":[{"route":"cftv"}]}', 422],
      ['{"rules":[{"route":"*","errorRate":2}]}', 422], ['{"rules":[{"route":"*","colour":1}]}', 422],
    ];
    for (const [raw, status] of cases) {
      const r = await call(PORT, 'PUT', '/__sandbox/faults', { raw });
      expect(r.status, raw).toBe(status);
      expect(typeof r.json.error).toBe('string');
    }
    expect((await call(PORT, 'GET', '/__sandbox/faults')).json.rules).toEqual([{ route: 'GET /api/v1/cftv/:id', latencyMs: 10 }]);
    await putFaults([]);
  });
});

describe('replacement', () => {
  it('applies the current rules to an instance that replaces a dead one', async () => {
    await putFaults([{ route: 'GET /api/v1/unidades/:id', latencyMs: 200 }]);
    const before = (await call(PORT, 'GET', '/__sandbox/instances')).json.instances[0];
    process.kill(before.pid, 'SIGKILL');
    const deadline = Date.now() + 15_000;
    let now = before;
    while (Date.now() < deadline) {
      now = (await call(PORT, 'GET', '/__sandbox/instances')).json.instances[0];
      if (now.healthy && now.pid !== before.pid) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(now).toMatchObject({ name: 'api-1', healthy: true, restarts: 1 });
    const r = await times('/api/v1/unidades/1', 6);
    const fromNew = r.filter((x) => x.headers['x-instance'] === 'api-1');
    expect(fromNew.length).toBeGreaterThan(0);
    expect(Math.min(...fromNew.map((x) => x.ms))).toBeGreaterThanOrEqual(199);
    await putFaults([]);
  });
});
