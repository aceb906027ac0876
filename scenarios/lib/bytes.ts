// Body bytes per request into two Counters tagged like the request, the per-endpoint bandwidth result.json keeps
// (config.ts's BYTE_COUNTERS says why not k6's data_sent/data_received). Body bytes, not wire bytes: headers and
// framing (a few hundred bytes a request) are left out; a file route's body is what makes its bandwidth.
// A JSON answer is counted by its length in characters (UTF-16 units, one per byte but for the few accented
// letters; counting UTF-8 bytes would cost every VU a TextEncoder); a file is fetched as binary and counted exactly.
// Importing k6/metrics costs every VU its own module instance (about 8 KB, bench/generator: 16 MB at 2000 VUs):
// the price of bytes per endpoint, which no built-in metric gives.

import { Counter } from 'k6/metrics';
import { BYTE_COUNTERS } from '../config.js';

const sent = new Counter(BYTE_COUNTERS.sent);
const received = new Counter(BYTE_COUNTERS.received);

type Body = string | ArrayBuffer | null | undefined;
const lengthOf = (b: Body): number => (b === null || b === undefined ? 0 : typeof b === 'string' ? b.length : b.byteLength);

/** One request's bytes; a zero is not written (a GET sends no body: one output line less per request). */
export function countBytes(requestBody: Body, responseBody: Body, tags: { name: string; persona: string }): void {
  const out = lengthOf(requestBody);
  const inn = lengthOf(responseBody);
  if (out > 0) sent.add(out, tags);
  if (inn > 0) received.add(inn, tags);
}
