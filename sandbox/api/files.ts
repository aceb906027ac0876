// The API's files: where a tenant's file lives (one bucket per condominium, as the object store holds them), the
// store interface both stacks implement (a folder in the embedded stack, S3 in the full one), and the file routes:
// a delivery photo uploaded by the doorman and viewed by the resident, a bill's PDF made once and then stored.

import { createCipheriv } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResourceName } from '../db/resources.js';
import { SEED_END_ISO } from '../db/seed-config.js';
import type { Row } from '../db/store.js';
import type { Ctx, Handler } from './context.js';
import { HttpError, readBody, sendJson } from './http.js';
import { visible } from './reads.js';

export interface StoredFile {
  body: Buffer;
  contentType: string;
}

/** A tenant's files by key. Throws FileStoreDown when the store cannot be reached (the route answers 503). */
export interface FileStore {
  put(bucket: string, key: string, f: StoredFile): Promise<void>;
  /** undefined: no such file. */
  get(bucket: string, key: string): Promise<StoredFile | undefined>;
}

export class FileStoreDown extends Error {}

/** The bucket a condominium's files live in: tenancy by bucket, as the deployment keeps one per client. */
export const bucketOf = (condominioId: number) => `condominio-${condominioId}`;

/** The size a delivery photo may have (a phone's JPEG at the doorman's desk is 50–500 KB). */
export const MAX_PHOTO_BYTES = 500 * 1024;

/** The embedded stack's store: `<dir>/<bucket>/<key>`, written through a rename (a reader never sees half a file). */
export function folderFileStore(dir: string): FileStore {
  const path = (bucket: string, key: string) => join(dir, bucket, ...key.split('/'));
  return {
    async put(bucket, key, f) {
      const p = path(bucket, key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(`${p}.tmp`, f.body);
      renameSync(`${p}.tmp`, p);
    },
    async get(bucket, key) {
      try {
        return { body: readFileSync(path(bucket, key)), contentType: key.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg' };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/** The row behind a file route, when the caller may see it; another tenant's answers as a missing one does. */
async function visibleRow(ctx: Ctx, resource: ResourceName, roles: readonly string[]): Promise<Row & { id: number; condominio_id: number }> {
  const p = ctx.principal;
  if (!p) throw new HttpError(401, 'unauthorized', 'authentication required');
  if (!roles.includes(p.role)) throw new HttpError(403, 'forbidden', `role ${p.role} may not use this file`);
  const raw = ctx.params.id ?? '';
  const row = /^[1-9][0-9]{0,9}$/.test(raw) ? await ctx.store.get(resource, Number(raw)) : undefined;
  if (!row || !visible(p, resource, row)) throw new HttpError(404, 'not_found', `${resource} ${raw} not found`);
  return row as Row & { id: number; condominio_id: number };
}

/** The store's answer, or a 503 in one line when it is down (the client may retry; nothing was half-written). */
async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof FileStoreDown) throw new HttpError(503, 'object_storage_unavailable', `object storage unavailable: ${e.message}`);
    throw e;
  }
}

function sendFile(ctx: Ctx, f: StoredFile, name: string): void {
  ctx.res.writeHead(200, {
    'Content-Type': f.contentType, 'Content-Length': f.body.length,
    'Content-Disposition': `inline; filename="${name}"`,
    // A CDN may keep it (nginx does, keyed by the file, after asking the API whether this caller may read it).
    'Cache-Control': 'private, max-age=300',
  });
  ctx.res.end(f.body);
}

const photoKey = (id: number) => `encomendas/${id}/foto.jpg`;
const billKey = (id: number) => `financeiro/${id}/boleto.pdf`;

/** POST /api/v1/encomendas/:id/foto: a JPEG body (image/jpeg), up to MAX_PHOTO_BYTES. */
export function uploadPhoto(files: FileStore): Handler {
  return async (ctx) => {
    const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'image/jpeg') {
      ctx.req.resume();
      throw new HttpError(415, 'unsupported_media_type', `a delivery photo is image/jpeg, not ${type || 'no content type'}`);
    }
    const row = await visibleRow(ctx, 'encomendas', ['operador', 'sindico', 'porteiro']);
    const body = await readBody(ctx.req, MAX_PHOTO_BYTES, `the photo is over ${MAX_PHOTO_BYTES / 1024} KB`);
    // A JPEG starts with SOI and a marker: anything else called image/jpeg is refused like a wrong type.
    if (body.length < 3 || body[0] !== 0xff || body[1] !== 0xd8 || body[2] !== 0xff) {
      throw new HttpError(415, 'unsupported_media_type', 'the body is not a JPEG image');
    }
    await storeCall(() => files.put(bucketOf(row.condominio_id), photoKey(row.id), { body, contentType: 'image/jpeg' }));
    sendJson(ctx.res, 201, { encomenda_id: row.id, bytes: body.length });
  };
}

/** The seed's photo sizes (as a doorman's phone makes them: 64, 128, 256 or 448 KB), one per delivery by its id. */
export const SEED_PHOTO_SIZES = [64 * 1024, 128 * 1024, 256 * 1024, 448 * 1024] as const;

/**
 * The photo a seeded delivery was registered with: the seed's deliveries were photographed at the desk as every
 * delivery is, so a resident viewing one of theirs gets a photo, not a 404 (the residents who log in are a handful,
 * and the doormen of a run photograph random units). Made on its first view and stored, as a bill's PDF is, so the
 * store holds only the photos that were asked for. JPEG-shaped (SOI, comment segments, EOI) around an AES-CTR
 * stream keyed by the id: as incompressible as a photo's entropy-coded data, and the same bytes on every stack.
 */
export function seedPhoto(id: number): Buffer {
  const size = SEED_PHOTO_SIZES[(id - 1) % SEED_PHOTO_SIZES.length]!;
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(id >>> 0, 12);
  const noise = createCipheriv('aes-128-ctr', Buffer.alloc(16, 0x5e), iv).update(Buffer.alloc(size));
  const out = Buffer.alloc(size);
  out[0] = 0xff;
  out[1] = 0xd8;
  // Segments of at most 65533 payload bytes (the length field counts its own 2), the last one sized to end at EOI.
  let p = 2;
  while (p < size - 2) {
    const payload = Math.min(65_533, size - 2 - p - 4);
    out[p] = 0xff;
    out[p + 1] = 0xfe;
    out.writeUInt16BE(payload + 2, p + 2);
    noise.copy(out, p + 4, p + 4, p + 4 + payload);
    p += 4 + payload;
  }
  out[size - 2] = 0xff;
  out[size - 1] = 0xd9;
  return out;
}

/** A delivery the seed made (its calendar ends before any run's writes begin). */
const seeded = (row: Row) => String(row.recebida_em) <= SEED_END_ISO;

/** GET /api/v1/encomendas/:id/foto. */
export function viewPhoto(files: FileStore): Handler {
  return async (ctx) => {
    const row = await visibleRow(ctx, 'encomendas', ['operador', 'sindico', 'porteiro', 'morador']);
    const bucket = bucketOf(row.condominio_id);
    let f = await storeCall(() => files.get(bucket, photoKey(row.id)));
    if (!f && seeded(row)) {
      f = { body: seedPhoto(row.id), contentType: 'image/jpeg' };
      const made = f;
      await storeCall(() => files.put(bucket, photoKey(row.id), made));
    }
    if (!f) throw new HttpError(404, 'not_found', `encomenda ${row.id} has no photo`);
    sendFile(ctx, f, `encomenda-${row.id}.jpg`);
  };
}

/** GET /api/v1/financeiro/:id/boleto: the stored PDF, made from the bill's row on its first download. */
export function downloadBill(files: FileStore): Handler {
  return async (ctx) => {
    const row = await visibleRow(ctx, 'financeiro', ['operador', 'sindico', 'morador']);
    const bucket = bucketOf(row.condominio_id);
    let f = await storeCall(() => files.get(bucket, billKey(row.id)));
    if (!f) {
      f = { body: billPdf(row), contentType: 'application/pdf' };
      const made = f;
      await storeCall(() => files.put(bucket, billKey(row.id), made));
    }
    sendFile(ctx, f, `boleto-${row.id}.pdf`);
  };
}

/** A one-page PDF 1.4 of the bill (Helvetica, no fonts embedded), with a correct cross-reference table. */
export function billPdf(row: Row): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, '\\$&');
  const lines = [
    'Conecta Plus - boleto', `Cobranca ${row.id} - condominio ${row.condominio_id}, unidade ${row.unidade_id}`,
    `Mes ${String(row.mes)} - vencimento ${String(row.vencimento)}`, `Valor: R$ ${(Number(row.valor_centavos) / 100).toFixed(2)} - ${String(row.status)}`,
  ];
  const text = lines.map((l, i) => `BT /F1 12 Tf 72 ${760 - 20 * i} Td (${esc(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The file routes a CDN may cache, with the resource and roles of each (the routes above check the same). */
const CACHEABLE: ReadonlyArray<{ re: RegExp; resource: ResourceName; roles: readonly string[]; key: (id: number) => string }> = [
  { re: /^\/api\/v1\/encomendas\/([1-9][0-9]{0,9})\/foto$/, resource: 'encomendas', roles: ['operador', 'sindico', 'porteiro', 'morador'], key: photoKey },
  { re: /^\/api\/v1\/financeiro\/([1-9][0-9]{0,9})\/boleto$/, resource: 'financeiro', roles: ['operador', 'sindico', 'morador'], key: billKey },
];

/**
 * GET /__cdn/authz, nginx's auth_request before a file download: 204 with `X-File-Key: <bucket>/<key>` when this
 * caller may read the file at `X-Original-URI` (nginx then caches by that key, so no tenant's request is ever
 * answered from another's entry), 204 without it otherwise (nginx passes the request on, uncached, and the route
 * answers its own 404 or 403). A bad token is a 401, as on the route itself.
 */
export const cdnAuthz: Handler = async (ctx) => {
  const uri = String(ctx.req.headers['x-original-uri'] ?? '').split('?')[0]!;
  const method = String(ctx.req.headers['x-original-method'] ?? 'GET');
  const route = method === 'GET' ? CACHEABLE.find((r) => r.re.test(uri)) : undefined;
  let key = '';
  if (route) {
    try {
      const row = await visibleRow({ ...ctx, params: { id: route.re.exec(uri)![1]! } }, route.resource, route.roles);
      key = `${bucketOf(row.condominio_id)}/${route.key(row.id)}`;
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 401) throw e;
    }
  }
  ctx.res.writeHead(204, key ? { 'X-File-Key': key } : {});
  ctx.res.end();
};
