// Body bytes per request into two Counters tagged like the request, the per-endpoint bandwidth result.json keeps
// (config.ts's BYTE_COUNTERS says why not k6's data_sent/data_received). Body bytes, not wire bytes: headers and
// framing (a few hundred bytes a request) are left out; a file route's body is what makes its bandwidth.
// An answer is counted by its Content-Length when it has one (bytes as sent, and no body read): reading `res.body`
// of a JSON answer makes a string of it that the VU then holds through the step's think time, beside the parsed
// copy, which a minimal script never does (bench/generator compares the two). Without the header (chunked), the body's length: a string's in characters, a binary body's exactly.
// Importing k6/metrics costs every VU its own module instance (about 8 KB, bench/generator: 16 MB at 2000 VUs):
// the price of bytes per endpoint, which no built-in metric gives.

import { Counter } from 'k6/metrics';
import { BYTE_COUNTERS } from '../config.js';

const sent = new Counter(BYTE_COUNTERS.sent);
const received = new Counter(BYTE_COUNTERS.received);

type Body = string | ArrayBuffer | null | undefined;

/**
 * One request's bytes; a zero is not written (a GET sends no body: one output line less per request). An answer's
 * are its Content-Length, else its body's length. One function, its helpers written out: each function a VU's
 * module holds costs it about 700 bytes for the whole test (lib/bundle/once-chunks.ts).
 */
export function countBytes(requestBody: Body, res: { headers: Record<string, string>; body: Body }, tags: { name: string; persona: string }): void {
  const out = requestBody === null || requestBody === undefined ? 0 : typeof requestBody === 'string' ? requestBody.length : requestBody.byteLength;
  const declared = res.headers['Content-Length'];
  const n = declared === undefined ? NaN : +declared;
  const b = res.body;
  const inn = n >= 0 && n === Math.floor(n) ? n : b === null || b === undefined ? 0 : typeof b === 'string' ? b.length : b.byteLength;
  if (out > 0) sent.add(out, tags);
  if (inn > 0) received.add(inn, tags);
}
