// Binary requests for the end-to-end tests on loopback: a body of bytes in, the answer's bytes out (the full stack's
// JSON helper, full-stack-helpers.ts's http, is this with text).

import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';

export interface Bytes {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with a binary body and a binary answer (its own connection: no keep-alive between tests). */
export function raw(port: number, path: string, o: { method?: string; body?: Buffer; type?: string; token?: string; from?: string } = {}): Promise<Bytes> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path, method: o.method ?? 'GET', agent: false, localAddress: o.from,
      headers: { ...(o.type ? { 'content-type': o.type } : {}), ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A JPEG-shaped body of `kb` KB (SOI + APP0 marker, random payload, EOI): what the route checks, and incompressible. */
export const jpeg = (kb: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(kb * 1024 - 6), Buffer.from([0xff, 0xd9])]);

export const json = (b: Bytes) => JSON.parse(b.body.toString('utf8')) as Record<string, unknown>;
