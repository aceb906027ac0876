// A request's status check, carrying its body bytes as k6 metadata (config.ts's BYTE_KEYS says why neither k6's
// data_sent/data_received nor Counters): the per-endpoint bandwidth result.json keeps. Body bytes, not wire bytes:
// headers and framing (a few hundred bytes a request) are left out; a file route's body is what makes its bandwidth.
// An answer is counted by its Content-Length when it has one (bytes as sent, and no body read): reading `res.body`
// of a JSON answer makes a string of it that the VU then holds through the step's think time, beside the parsed
// copy, which a minimal script never does (bench/generator compares the two). Without the header (chunked), the body's length: a string's in characters, a binary body's exactly.

import { check } from 'k6';
import exec from 'k6/execution';
import { BYTE_KEYS } from '../config.js';

type Body = string | ArrayBuffer | null | undefined;

/** This VU's metadata map, read once: every read of `exec.vu` builds new objects. */
let meta: Record<string, number | string | boolean> | undefined;

/**
 * `check(res, checks, tags)` with the request's bytes on its sample: set just before it and removed just after, so
 * no other sample carries them. A zero is not set (a GET sends no body). Give it one condition: each condition is a
 * sample, and each would carry the bytes. One function, its helpers written out: each function a VU's module holds
 * costs it about 700 bytes for the whole test (lib/bundle/once-chunks.ts).
 */
export function checkWithBytes<R extends { headers: Record<string, string>; body: Body }>(
  requestBody: Body,
  res: R,
  checks: Record<string, (r: R) => boolean>,
  tags: { name: string; persona: string },
): boolean {
  const out = requestBody === null || requestBody === undefined ? 0 : typeof requestBody === 'string' ? requestBody.length : requestBody.byteLength;
  const declared = res.headers['Content-Length'];
  const n = declared === undefined ? NaN : +declared;
  const b = res.body;
  const inn = n >= 0 && n === Math.floor(n) ? n : b === null || b === undefined ? 0 : typeof b === 'string' ? b.length : b.byteLength;
  const m = (meta ??= exec.vu.metrics.metadata);
  if (out > 0) m[BYTE_KEYS.sent] = out;
  if (inn > 0) m[BYTE_KEYS.received] = inn;
  const ok = check(res, checks, tags);
  if (out > 0) delete m[BYTE_KEYS.sent];
  if (inn > 0) delete m[BYTE_KEYS.received];
  return ok;
}
