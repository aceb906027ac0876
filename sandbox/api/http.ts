// HTTP plumbing of an API instance: JSON errors, JSON bodies with a size cap, pagination parsing.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413, as nginx's client_max_body_size does. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An error that becomes a JSON response `{"error","message"}` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: code, message });
}

/** The whole body, refused with 413 (`message`) past `max` bytes, declared or counted, without buffering past it. */
export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES, message = `body exceeds ${MAX_BODY_BYTES} bytes`): Promise<Buffer> {
  const tooLarge = () => {
    req.resume();
    return new HttpError(413, 'payload_too_large', message);
  };
  if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON object body: 413 when too large, 400 when not JSON or not an object. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'invalid_json', 'a JSON object body is required');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HttpError(400, 'invalid_json', 'body must be a JSON object');
  }
  return data as Record<string, unknown>;
}

export interface Page {
  page: number;
  perPage: number;
}

/** `page` ≥ 1 and 1 ≤ `per_page` ≤ 100, integers; anything else is a 400. */
export function parsePage(q: URLSearchParams): Page {
  const one = (name: string, dflt: number, max: number): number => {
    const all = q.getAll(name);
    if (all.length === 0) return dflt;
    const raw = all[0]!;
    if (all.length > 1 || !/^[1-9][0-9]{0,8}$/.test(raw) || Number(raw) > max) {
      throw new HttpError(400, 'bad_pagination', `${name} must be an integer from 1 to ${max}`);
    }
    return Number(raw);
  };
  return { page: one('page', 1, 1_000_000), perPage: one('per_page', 20, 100) };
}
