// The file routes on the embedded stack (its files in its own folder under the data dir): a delivery photo
// uploaded by the doorman and viewed by the resident byte for byte, another tenant's a 404, a bill's PDF made once
// and then the same bytes, 413 over 500 KB and 415 for another type. The full stack's are in object-storage.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { startSandbox, type RunningSandbox } from '../../lib/sandbox/index.js';
import { SEED_PHOTO_SIZES, seedPhoto } from '../../sandbox/api/files.js';
import { call, closeAgents, login, users, type SeededUser } from './sandbox-client.js';
import { json, jpeg, raw } from './files-client.js';

let port = 0;
let sb: RunningSandbox;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  port = await freePort();
  sb = await startSandbox({ port, instances: 2, noLimits: true, seedScale: 0.2 });
  const seeded: SeededUser[] = await users(port, 5);
  const of = (role: SeededUser['role'], i = 0) => seeded.filter((u) => u.role === role)[i]!;
  for (const [k, u] of Object.entries({ operador: of('operador'), porteiro: of('porteiro'), morador: of('morador'), morador2: of('morador', 1) })) {
    tokens[k] = await login(port, u);
  }
});
afterAll(async () => {
  closeAgents();
  await sb?.stop();
});

describe('embedded stack: file routes', () => {
  it('stores the photo a doorman uploads and gives the resident the same bytes; another tenant gets a 404', async () => {
    // The resident's own delivery, and its condominium's doorman's view of it through the operador (sees all).
    const mine = await call(port, 'GET', '/api/v1/encomendas?per_page=1', { token: tokens.morador });
    expect(mine.status).toBe(200);
    expect(mine.json.items.length).toBe(1);
    const e = mine.json.items[0] as { id: number; condominio_id: number };
    const photo = jpeg(80);
    const put = await raw(port, `/api/v1/encomendas/${e.id}/foto`, { method: 'POST', body: photo, type: 'image/jpeg', token: tokens.operador });
    expect(put.status).toBe(201);
    expect(json(put)).toEqual({ encomenda_id: e.id, bytes: 80 * 1024 });
    const got = await raw(port, `/api/v1/encomendas/${e.id}/foto`, { token: tokens.morador });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.body.equals(photo)).toBe(true);
    // morador2 lives elsewhere (moradores are spread over the condominiums in turn): the file does not exist for them.
    const other = await raw(port, `/api/v1/encomendas/${e.id}/foto`, { token: tokens.morador2 });
    expect(other.status).toBe(404);
    expect(json(other)).toEqual({ error: 'not_found', message: `encomendas ${e.id} not found` });
  });

  it('gives a seeded delivery its photo (made on the first view, the same bytes after); a new one without a photo is a 404', async () => {
    const list = await call(port, 'GET', '/api/v1/encomendas?per_page=50', { token: tokens.morador });
    const old = (list.json.items as Array<{ id: number; recebida_em: string }>).filter((e) => e.recebida_em.startsWith('2024-')).at(-1)!; // the first test photographed the newest
    expect(old).toBeDefined();
    const a = await raw(port, `/api/v1/encomendas/${old.id}/foto`, { token: tokens.morador });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('image/jpeg');
    expect(a.body.equals(seedPhoto(old.id))).toBe(true);
    expect(SEED_PHOTO_SIZES).toContain(a.body.length);
    expect((await raw(port, `/api/v1/encomendas/${old.id}/foto`, { token: tokens.morador })).body.equals(a.body)).toBe(true);
    const unit = (await call(port, 'GET', '/api/v1/unidades?per_page=1', { token: tokens.porteiro })).json.items[0] as { id: number };
    const made = await call(port, 'POST', '/api/v1/encomendas', { token: tokens.porteiro, body: { unidade_id: unit.id, descricao: 'Envelope' } });
    expect(made.status).toBe(201);
    const none = await raw(port, `/api/v1/encomendas/${made.json.id}/foto`, { token: tokens.porteiro });
    expect(none.status).toBe(404);
    expect(json(none)).toEqual({ error: 'not_found', message: `encomenda ${made.json.id} has no photo` });
  });

  it('makes a bill PDF on the first download and serves the same bytes after', async () => {
    const bill = (await call(port, 'GET', '/api/v1/financeiro?per_page=1', { token: tokens.morador })).json.items[0] as { id: number };
    const a = await raw(port, `/api/v1/financeiro/${bill.id}/boleto`, { token: tokens.morador });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    expect(a.body.subarray(0, 8).toString()).toBe('%PDF-1.4');
    const b = await raw(port, `/api/v1/financeiro/${bill.id}/boleto`, { token: tokens.morador });
    expect(b.body.equals(a.body)).toBe(true);
    // A doorman does not read bills.
    expect((await raw(port, `/api/v1/financeiro/${bill.id}/boleto`, { token: tokens.porteiro })).status).toBe(403);
  });

  it('answers 413 over 500 KB and 415 for another content type, one JSON line each', async () => {
    const e = (await call(port, 'GET', '/api/v1/encomendas?per_page=1', { token: tokens.porteiro })).json.items[0] as { id: number };
    const big = await raw(port, `/api/v1/encomendas/${e.id}/foto`, { method: 'POST', body: jpeg(501), type: 'image/jpeg', token: tokens.porteiro });
    expect(big.status).toBe(413);
    expect(json(big)).toEqual({ error: 'payload_too_large', message: 'the photo is over 500 KB' });
    const png = await raw(port, `/api/v1/encomendas/${e.id}/foto`, { method: 'POST', body: jpeg(60), type: 'image/png', token: tokens.porteiro });
    expect(png.status).toBe(415);
    expect(json(png)).toEqual({ error: 'unsupported_media_type', message: 'a delivery photo is image/jpeg, not image/png' });
  });
});
