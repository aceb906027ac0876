// End to end against the real full stack with its object store (SeaweedFS's weed, built by `make store`): a
// delivery photo uploaded and downloaded through nginx byte for byte, the second download a cache HIT, another
// tenant's file a 404 that the cache does not leak, a bill PDF made once and then served from the cache, 413 and
// 415, the store in status --json and in Prometheus, and the store SIGKILLed under uploads: one-line 503s from
// the API, then uploads succeed again once the stack has restarted it. `down` leaves none of its processes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningFullStack } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/full/index.js';
import { alive } from '../../lib/sandbox/process.js';
import { existsSync } from 'node:fs';
import { findWeed, grpcSockets } from '../../sandbox/full/object-storage.js';
import { objectStoragePorts } from '../../sandbox/full/components.js';
import { portOf } from '../../sandbox/full/layout.js';
import { raw, jpeg } from './files-client.js';
import { http, login, running, startFull } from './full-stack-helpers.js';
import { waitFor } from '../wait-for.js';

let sb: RunningFullStack;
let cleanup = async () => {};
const everPids = new Set<number>();
const remember = () => sb && readFullState(sb.port)?.components.forEach((c) => everPids.add(c.pid));

beforeAll(async () => {
  if (!findWeed()) throw new Error('no SeaweedFS weed binary: run `make store` first');
  // No rate limits: the outage test sends uploads back to back, and the tenancy test logs several users in.
  ({ sb, cleanup } = await startFull({ instances: 2, noLimits: true }));
  remember();
}, 240_000);
afterAll(async () => {
  remember();
  await sb?.stop();
  await cleanup();
  expect(running([...everPids])).toEqual([]);
  // weed's fixed /tmp sockets went with it.
  if (sb) expect(grpcSockets(objectStoragePorts(sb.port)).filter((f) => existsSync(f))).toEqual([]);
});

const firstId = async (port: number, path: string, token: string) => {
  const r = await http(port, path, { token });
  expect(r.status).toBe(200);
  const items = (JSON.parse(r.body) as { items: Array<{ id: number; condominio_id: number }> }).items;
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
};

describe('full stack: files in the object store, through the nginx cache', () => {
  let porteiro = '';
  let condo = 0;
  let encomenda = 0;
  const photo = jpeg(120);

  beforeAll(async () => {
    porteiro = await login(sb.port, 'porteiro');
    condo = (await firstId(sb.port, '/api/v1/condominios?per_page=1', porteiro)).id;
    encomenda = (await firstId(sb.port, '/api/v1/encomendas?per_page=1', porteiro)).id;
  });

  it('runs the store as component object-storage, healthy, and Prometheus scrapes it', async () => {
    const st = await sb.status();
    const store = st.components.find((c) => c.name === 'object-storage');
    expect(store).toMatchObject({ role: 'storage', port: portOf(sb.port, 'object-storage'), healthy: true });
    const prom = `http://127.0.0.1:${portOf(sb.port, 'prometheus')}`;
    const up = await waitFor('the object store scraped', async () => {
      const q = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent('up{component="object-storage"}')}`).then((r) => r.json()) as
        { data: { result: Array<{ value: [number, string] }> } };
      return q.data.result[0]?.value[1] === '1' ? q.data.result.length : undefined;
    });
    expect(up).toBe(1);
  });

  it('stores an uploaded photo and serves it back byte for byte; the second download is a cache HIT', async () => {
    const put = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { method: 'POST', body: photo, type: 'image/jpeg', token: porteiro });
    expect(put.status).toBe(201);
    expect(JSON.parse(put.body.toString())).toEqual({ encomenda_id: encomenda, bytes: photo.length });
    const first = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { token: porteiro });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/jpeg');
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(first.body.equals(photo)).toBe(true);
    const second = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { token: porteiro });
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body.equals(photo)).toBe(true);
  });

  it('answers another tenant 404 for that file, from the API and not from the cache', async () => {
    // Moradores are spread over the condominiums in turn: the first whose condominium differs is another tenant.
    const users = JSON.parse((await http(sb.port, '/__sandbox/users?role=morador&limit=5')).body) as Array<{ email: string; password: string }>;
    let other = '';
    for (const u of users) {
      const r = await http(sb.port, '/api/v1/auth/login', { method: 'POST', body: u });
      const token = (JSON.parse(r.body) as { access_token: string }).access_token;
      if ((await firstId(sb.port, '/api/v1/condominios?per_page=1', token)).id !== condo) {
        other = token;
        break;
      }
    }
    expect(other).not.toBe('');
    const r = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { token: other });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body.toString())).toMatchObject({ error: 'not_found' });
    expect(r.headers['x-cache-status']).toBe('BYPASS');
    // Nor does a request without a valid token reach the cached file.
    const anon = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { token: 'not-a-token' });
    expect(anon.status).toBe(401);
    expect(anon.body.includes(photo.subarray(0, 64))).toBe(false);
  });

  it('makes a bill PDF once, stores it, and serves the same bytes from the cache next time', async () => {
    const morador = await login(sb.port, 'morador');
    const bill = await firstId(sb.port, '/api/v1/financeiro?per_page=1', morador);
    const a = await raw(sb.port, `/api/v1/financeiro/${bill.id}/boleto`, { token: morador });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    expect(a.body.subarray(0, 8).toString()).toBe('%PDF-1.4');
    const b = await raw(sb.port, `/api/v1/financeiro/${bill.id}/boleto`, { token: morador });
    expect(b.headers['x-cache-status']).toBe('HIT');
    expect(b.body.equals(a.body)).toBe(true);
  });

  it('refuses a photo over 500 KB with 413 and a wrong content type with 415, one JSON line each', async () => {
    const big = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { method: 'POST', body: jpeg(600), type: 'image/jpeg', token: porteiro });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString())).toEqual({ error: 'payload_too_large', message: 'the photo is over 500 KB' });
    const png = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { method: 'POST', body: photo, type: 'image/png', token: porteiro });
    expect(png.status).toBe(415);
    expect(JSON.parse(png.body.toString())).toEqual({ error: 'unsupported_media_type', message: 'a delivery photo is image/jpeg, not image/png' });
    const fake = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { method: 'POST', body: Buffer.from('%PDF-1.4 not a photo'), type: 'image/jpeg', token: porteiro });
    expect(fake.status).toBe(415);
  });

  it('answers uploads with a one-line 503 while the store is down (kill:object-storage), and takes them again once it is back', async () => {
    const upload = () => raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { method: 'POST', body: photo, type: 'image/jpeg', token: porteiro });
    expect((await upload()).status).toBe(201);
    const storePid = readFullState(sb.port)!.components.find((c) => c.name === 'object-storage')!.pid;
    // The fault plan's action itself: SIGKILL, then the stack starts the store again (as --chaos kill:object-storage@T).
    const performing = sb.perform({ kind: 'kill', instance: 'object-storage' });
    const seen: Array<{ status: number; body: string }> = [];
    // Uploads go on meanwhile, one at a time and bounded (600 answers at most), until one succeeds after a 503.
    for (let i = 0; i < 600; i++) {
      const r = await upload();
      seen.push({ status: r.status, body: r.body.toString() });
      if (r.status === 201 && seen.some((x) => x.status === 503)) break;
    }
    const detail = await performing;
    remember();
    expect(detail).toMatch(new RegExp(`^object-storage pid ${storePid} → \\d+ after a SIGKILL$`));
    expect(alive(storePid)).toBe(false);
    const refused = seen.filter((x) => x.status !== 201);
    expect(refused.length).toBeGreaterThan(0);
    for (const x of refused) {
      expect(x.status).toBe(503);
      const body = JSON.parse(x.body) as { error: string; message: string };
      expect(body.error).toBe('object_storage_unavailable');
      expect(body.message).toMatch(/^object storage unavailable: [^\n]+$/);
    }
    expect(seen.at(-1)!.status).toBe(201);
    const back = await raw(sb.port, `/api/v1/encomendas/${encomenda}/foto`, { token: porteiro });
    expect(back.status).toBe(200);
    expect(back.body.equals(photo)).toBe(true);
  });
});
