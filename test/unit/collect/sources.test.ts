import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCollector } from '../../../lib/collect/index.js';
import { parseIoBytes, parseProcStat, parseRssBytes, processCollector, processTree } from '../../../lib/collect/process.js';
import { seriesFromMatrix } from '../../../lib/collect/prometheus.js';
import { DEFAULT_SCRAPE_RULES, observe, seriesFrom } from '../../../lib/collect/scrape.js';

const EXPOSITION = (cpu: number, q: number, qs: number) => `
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes{instance="api-1"} 100
process_resident_memory_bytes{instance="api-2"} 200
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total{instance="api-1"} ${cpu}
process_cpu_seconds_total{instance="api-2"} ${cpu * 2}
db_query_duration_seconds_count{op="list:unidades",instance="api-1"} ${q}
db_query_duration_seconds_count{op="get",instance="api-1"} ${q}
db_query_duration_seconds_sum{op="list:unidades",instance="api-1"} ${qs}
`;

describe('scrape series', () => {
  const obs = [
    { t: 1000, o: observe(EXPOSITION(10, 100, 1), DEFAULT_SCRAPE_RULES) },
    { t: 3000, o: observe(EXPOSITION(11, 300, 2), DEFAULT_SCRAPE_RULES) },
  ];
  const series = seriesFrom(obs, DEFAULT_SCRAPE_RULES, (r) => `${r.metric} not exposed`);
  const get = (resource: string, instance: string) => series.find((s) => s.resource === resource && s.instance === instance);

  it('keeps gauges per instance and sums them into "all"', () => {
    expect(get('memory', 'all')).toMatchObject({ status: 'ok', unit: 'bytes', samples: [{ t: 1000, value: 300 }, { t: 3000, value: 300 }] });
  });

  it('turns CPU seconds into cores and query time into busy connections', () => {
    expect(get('cpu', 'api-1')).toMatchObject({ unit: 'cores', samples: [{ t: 3000, value: 0.5 }] });
    expect(get('cpu', 'all')).toMatchObject({ samples: [{ t: 3000, value: 1.5 }] });
    // two ops summed: 200 → 600 queries in 2 s = 200/s; 1 → 2 query-seconds in 2 s = 0.5 busy.
    expect(get('db_query_rate', 'all')).toMatchObject({ unit: 'per-second', samples: [{ t: 3000, value: 200 }] });
    expect(get('db_busy', 'all')).toMatchObject({ unit: 'connections', samples: [{ t: 3000, value: 0.5 }] });
  });

  it('marks metrics the endpoint does not expose as missing', () => {
    expect(get('db_connections', 'all')).toEqual({ status: 'missing', resource: 'db_connections', instance: 'all', unit: 'connections', reason: 'db_connections not exposed' });
  });
});

describe('prometheus matrix', () => {
  const q = { resource: 'memory', query: 'x', unit: 'bytes' as const, instanceLabel: 'name' };

  it('reads series per instance label and sums them', () => {
    const out = seriesFromMatrix(q, { status: 'success', data: { resultType: 'matrix', result: [
      { metric: { name: 'api-1' }, values: [[10, '1'], [11, '2']] },
      { metric: { name: 'api-2' }, values: [[10, '10'], [11, '20']] },
    ] } });
    expect(out.map((s) => s.instance)).toEqual(['api-1', 'api-2', 'all']);
    expect(out[2]).toMatchObject({ status: 'ok', samples: [{ t: 10000, value: 11 }, { t: 11000, value: 22 }] });
  });

  it('reports an empty answer or an error as missing', () => {
    expect(seriesFromMatrix(q, { status: 'success', data: { resultType: 'matrix', result: [] } })[0]).toMatchObject({ status: 'missing', reason: 'no series for: x' });
    expect(seriesFromMatrix(q, { status: 'error', error: 'parse error' })[0]).toMatchObject({ status: 'missing', reason: 'query failed: parse error' });
  });
});

describe('procfs', () => {
  it('parses /proc/PID/stat with a command name holding spaces and parentheses', () => {
    const line = '4242 (my (odd) cmd) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 123 456 789';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 17, cpuTicks: 300, state: 'S' });
    expect(parseProcStat('7 (postgres) R 6 7 7 0 -1 0 0 0 0 0 3 1 0 0').state).toBe('R');
  });

  it('reads VmRSS in bytes', () => {
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\n')).toBe(51200 * 1024);
    expect(parseRssBytes('Name:\tkthreadd\n')).toBeNull();
  });

  it('reads the bytes a process made the block layer read and write from /proc/PID/io', () => {
    const io = 'rchar: 9106\nwchar: 2030\nsyscr: 21\nsyscw: 9\nread_bytes: 40960\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';
    expect(parseIoBytes(io)).toEqual({ read: 40960, write: 8192 });
    expect(parseIoBytes('rchar: 1\n')).toBeNull();
  });

  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
  afterAll(() => void child.kill());

  it('finds descendants and measures a real process tree', async () => {
    // spawn() returns with the child forked and its pid set: it is in /proc already, nothing to wait for.
    expect(processTree(process.pid)).toContain(child.pid);
    const c = processCollector([process.pid], { intervalMs: 100 });
    await c.start();
    await new Promise((r) => setTimeout(r, 350));
    const out = await c.stop();
    const mem = out.find((s) => s.resource === 'memory' && s.instance === 'all');
    expect(mem?.status).toBe('ok');
    if (mem?.status === 'ok') expect(mem.samples.at(-1)!.value).toBeGreaterThan(20 * 1024 * 1024);
    const cpu = out.find((s) => s.resource === 'cpu' && s.instance === String(process.pid));
    expect(cpu?.status).toBe('ok');
    // This process reads /proc while it runs: every sample counts at least itself runnable; the sleeping child never.
    const ready = out.find((s) => s.resource === 'runnable' && s.instance === String(process.pid));
    expect(ready?.status).toBe('ok');
    if (ready?.status === 'ok') for (const p of ready.samples) expect(p.value).toBeGreaterThanOrEqual(1);
    // This process's own /proc/PID/io is readable by it: a rate per second, never negative.
    const written = out.find((s) => s.resource === 'disk_write_bytes' && s.instance === String(process.pid));
    expect(written).toMatchObject({ status: 'ok', unit: 'per-second' });
    if (written?.status === 'ok') for (const p of written.samples) expect(p.value).toBeGreaterThanOrEqual(0);
  });

  it('marks a process that does not exist as missing', async () => {
    const c = processCollector([2 ** 22 + 7]);
    await c.start();
    const out = await c.stop();
    expect(out.find((s) => s.resource === 'memory' && s.instance !== 'all')).toMatchObject({ status: 'missing', reason: `process ${2 ** 22 + 7} not found in /proc` });
  });
});

describe('collector specs', () => {
  it('makes each kind and rejects bad specs in one line', () => {
    expect(makeCollector('scrape:http://127.0.0.1:18400/metrics').spec).toBe('scrape:http://127.0.0.1:18400/metrics');
    expect(makeCollector('prometheus:http://127.0.0.1:19090').spec).toBe('prometheus:http://127.0.0.1:19090');
    expect(makeCollector('process:1,2').spec).toBe('process:1,2');
    expect(() => makeCollector('scrape:nope')).toThrow('--collect scrape:nope: "nope" is not an http(s) URL');
    expect(() => makeCollector('process:abc')).toThrow(/expected process:PID/);
    expect(() => makeCollector('snmp:x')).toThrow('--collect snmp:x: unknown collector "snmp"');
  });

  it('marks every series missing when the endpoint is down, never zero', async () => {
    const c = makeCollector('scrape:http://127.0.0.1:18499/metrics');
    await c.start();
    const out = await c.stop();
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((s) => s.status === 'missing' && /scrape of .* failed: ECONNREFUSED/.test(s.reason))).toBe(true);
  });
});
