// Writes a synthetic k6 v2 JSON output (gzip) shaped like a real Conecta run: every metric k6 writes per request,
// metric-first lines, realistic tags, samples in time order. Used by the ingest benchmark; cached by the caller.

import { createWriteStream, renameSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { seededUniform } from '../../lib/random.js';

const ENDPOINTS = [
  ['GET', '/api/v1/dashboard', 'morador'],
  ['GET', '/api/v1/reservas', 'morador'],
  ['POST', '/api/v1/reservas', 'morador'],
  ['GET', '/api/v1/encomendas', 'morador'],
  ['GET', '/api/v1/avisos', 'morador'],
  ['POST', '/api/v1/visitantes', 'porteiro'],
  ['POST', '/api/v1/acessos', 'porteiro'],
  ['GET', '/api/v1/financeiro', 'sindico'],
  ['GET', '/api/v1/condominios/:id', 'sindico'],
  ['GET', '/api/v1/unidades/:id', 'sindico'],
  ['GET', '/api/v1/moradores', 'sindico'],
  ['GET', '/api/v1/manutencao', 'sindico'],
] as const;

/** What one request costs in lines: 9 http_* samples, a check, data_sent/received, and half an iteration (2). */
export const LINES_PER_REQUEST = 13;

export interface GenerateOptions {
  requests: number;
  /** Requests per second of simulated time. */
  rps?: number;
  vus?: number;
  /** gzip level; k6 (Go's gzip.DefaultCompression) uses 6. */
  level?: number;
}

const lcg = seededUniform;

const num = (v: number) => String(Math.round(v * 1e6) / 1e6);

/** Writes `file` (via a temporary name, so an interrupted run never leaves a half file behind). */
export async function generateK6Output(file: string, opts: GenerateOptions): Promise<{ lines: number; requests: number }> {
  const rps = opts.rps ?? 1000;
  const vus = opts.vus ?? 500;
  const tmp = `${file}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const gz = createGzip({ level: opts.level ?? 6, chunkSize: 256 * 1024 });
  gz.pipe(out);
  const rnd = lcg(7);
  const t0 = Date.UTC(2026, 10, 29, 12, 0, 0);
  let lines = 0;

  const decls = [
    ['http_reqs', 'counter', 'default'], ['http_req_duration', 'trend', 'time'], ['http_req_blocked', 'trend', 'time'],
    ['http_req_connecting', 'trend', 'time'], ['http_req_tls_handshaking', 'trend', 'time'],
    ['http_req_sending', 'trend', 'time'], ['http_req_waiting', 'trend', 'time'], ['http_req_receiving', 'trend', 'time'],
    ['http_req_failed', 'rate', 'default'], ['checks', 'rate', 'default'], ['data_sent', 'counter', 'data'],
    ['data_received', 'counter', 'data'], ['iteration_duration', 'trend', 'time'], ['iterations', 'counter', 'default'],
    ['vus', 'gauge', 'default'], ['vus_max', 'gauge', 'default'], ['rate_limited', 'counter', 'default'],
  ];
  let buf = decls
    .map(([n, t, c]) => `{"type":"Metric","data":{"name":"${n}","type":"${t}","contains":"${c}","thresholds":[],"submetrics":null},"metric":"${n}"}\n`)
    .join('');
  lines += decls.length;

  // Tag objects per endpoint and status, as k6 v2 writes them (keys sorted; a named request's url is its name).
  const tagsOf = (method: string, path: string, persona: string, status: number) => {
    const name = `${method} ${path}`;
    const ok = status < 400 || status === 429;
    return `"tags":{"expected_response":"${ok}","group":"","method":"${method}","name":"${name}","persona":"${persona}","proto":"HTTP/1.1","scenario":"mix","status":"${status}","url":"${name}"}}}\n`;
  };
  const tagCache = new Map<string, string>();
  const iterTags = (persona: string) => `"tags":{"group":"","persona":"${persona}","scenario":"mix"}}}\n`;

  let lastSecond = -1;
  let second = '';
  for (let i = 0; i < opts.requests; i++) {
    const tMs = t0 + (i * 1000) / rps + rnd() * 3;
    const s = Math.floor(tMs / 1000);
    if (s !== lastSecond) {
      lastSecond = s;
      second = new Date(s * 1000).toISOString().slice(0, 19);
      const tv = `"time":"${second}.000000000Z"`;
      buf += `{"metric":"vus","type":"Point","data":{${tv},"value":${vus},"tags":{}}}\n`;
      buf += `{"metric":"vus_max","type":"Point","data":{${tv},"value":${vus},"tags":{}}}\n`;
      lines += 2;
    }
    const frac = String(Math.floor((tMs - s * 1000) * 1e6)).padStart(9, '0');
    const time = `"time":"${second}.${frac}Z","value":`;
    const [method, path, persona] = ENDPOINTS[i % ENDPOINTS.length]!;
    const u = rnd();
    const status = u < 0.005 ? 500 : u < 0.008 ? 429 : method === 'POST' ? 201 : 200;
    const key = `${i % ENDPOINTS.length}/${status}`;
    let tags = tagCache.get(key);
    if (tags === undefined) tagCache.set(key, (tags = tagsOf(method, path, persona, status)));
    const dur = 2 + 30 * -Math.log(1 - rnd() * 0.999) + (rnd() < 0.01 ? 500 * rnd() : 0);
    const failed = status >= 400 && status !== 429 ? 1 : 0;
    const p = (metric: string, value: string, t: string = tags) => `{"metric":"${metric}","type":"Point","data":{${time}${value},${t}`;
    buf +=
      p('http_reqs', '1') +
      p('http_req_duration', num(dur)) +
      p('http_req_blocked', num(rnd() * 0.01)) +
      p('http_req_connecting', '0') +
      p('http_req_tls_handshaking', '0') +
      p('http_req_sending', num(0.01 + rnd() * 0.02)) +
      p('http_req_waiting', num(dur * 0.95)) +
      p('http_req_receiving', num(dur * 0.05)) +
      p('http_req_failed', String(failed)) +
      p('checks', status < 300 ? '1' : '0', `"tags":{"check":"status is 2xx","group":"","persona":"${persona}","scenario":"mix"}}}\n`) +
      p('data_sent', String(180 + (i % 50)), iterTags(persona)) +
      p('data_received', String(900 + (i % 400)), iterTags(persona));
    lines += 12;
    if (i % 2 === 1) {
      buf += p('iteration_duration', num(dur * 2 + 1000), iterTags(persona)) + p('iterations', '1', iterTags(persona));
      lines += 2;
    }
    if (status === 429) {
      buf += p('rate_limited', '1', iterTags(persona));
      lines++;
    }
    if (buf.length > 1 << 20) {
      if (!gz.write(buf)) await once(gz, 'drain');
      buf = '';
    }
  }
  gz.end(buf);
  await once(out, 'finish');
  renameSync(tmp, file);
  return { lines, requests: opts.requests };
}
