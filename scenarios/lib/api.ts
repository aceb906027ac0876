// The Conecta API as the personas use it: every call tagged {name, persona}, checked with its body bytes on the
// check (429s aside: the ingest counts them apart; bytes.ts), and followed by a think time; lists paged within the
// totals they answered.
//
// Few functions, one-caller helpers written out in their caller: k6 builds this module in every VU, and each
// function it holds costs the VU about 700 bytes for the whole test (lib/bundle/once-chunks.ts). So a read and an
// item read are one method, an upload and a download another.

import { check, sleep } from 'k6';
import http from 'k6/http';
import type { Persona, User } from '../config.js';
import { pick, randomInt } from './random.js';
import { jsonOf } from './json.js';
import { accessToken, session } from './session.js';
import { checkWithBytes } from './bytes.js';

/** An item of a list or an item route: the contract promises an `id`. */
export interface Item {
  id: string | number;
  [field: string]: unknown;
}

export type Query = Record<string, string | number | undefined>;

export interface ApiContext {
  target: string;
  persona: Persona;
  user: User;
  thinkMinS: number;
  thinkMaxS: number;
  /** Epoch ms at which the final ramp-down starts: no request after it, and no think time past it. */
  endAtMs: number;
}

/** Thrown out of a step once the run's last ramp-down has begun; the entry ends the iteration on it. */
export const RUN_OVER = { runOver: true } as const;

/** Per VU (module scope runs once per VU): list template → the total its last answer gave. */
const totals: Record<string, number> = {};

const hasId = (v: unknown): v is Item =>
  typeof v === 'object' && v !== null && (typeof (v as Item).id === 'string' || typeof (v as Item).id === 'number');

/** A request body: an object sent as JSON, or bytes with their content type (a file upload). */
type StepBody = { json: unknown } | { bytes: ArrayBuffer; type: string };

interface StepOptions {
  /**
   * A file answer: read off the socket to its end (its receiving time is measured) and dropped, never copied into
   * the VU (responseType 'none'); its bytes are counted from Content-Length. A photo held as an ArrayBuffer cost k6
   * as much CPU per request as the API spent serving it. A file answered chunked, without a length, counts 0 bytes.
   */
  file?: boolean;
  /** A status that is an expected answer too (a delivery without a photo: 404): checked, never a failure. */
  alsoExpected?: number;
}

/** k6's expected statuses for a route that may answer 404 (set per request, it replaces expected-statuses.ts's). */
let with404: ReturnType<typeof http.expectedStatuses> | undefined;

export class Api {
  constructor(private readonly ctx: ApiContext) {}

  /** One step: the request, its checks, then a think time. Returns the parsed body when the status was expected. */
  private step(method: 'GET' | 'POST', template: string, path: string, body: StepBody | undefined, expected: number, opts: StepOptions = {}): unknown {
    const { target, persona, user, endAtMs } = this.ctx;
    if (Date.now() >= endAtMs) throw RUN_OVER;
    const token = accessToken(target, persona, user);
    if (token === null) return undefined; // logins rate limited: the entry waits before the next iteration
    const name = `${method} ${template}`;
    const tags = { name, persona };
    const type = body === undefined ? undefined : 'bytes' in body ? body.type : 'application/json';
    const params = {
      headers: { Authorization: `Bearer ${token}`, ...(type === undefined ? {} : { 'Content-Type': type }) },
      tags,
      // In ms: a string ('30s') k6 parses on every request, first failing as a plain number.
      timeout: 30_000,
      ...(opts.file ? { responseType: 'none' as const } : {}),
      ...(opts.alsoExpected === 404 ? { responseCallback: (with404 ??= http.expectedStatuses({ min: 200, max: 399 }, 404, 429)) } : {}),
    };
    const url = `${target}${path}`;
    const sent = body === undefined ? undefined : 'bytes' in body ? body.bytes : JSON.stringify(body.json);
    const res = method === 'GET' ? http.get(url, params) : http.post(url, sent, params);
    let out: unknown;
    // A 429 gets no status check (it would measure the limiter, not the service); http_reqs' status tag counts it.
    // Nor are its bytes counted: they ride on the check, and a refusal's few hundred bytes are no service's load.
    if (res.status !== 429) {
      if (res.status === 401) session.tokens = null; // the next step logs in again
      const also = opts.alsoExpected;
      const label = also === undefined ? `${name} ${expected}` : `${name} ${expected} or ${also}`;
      if (checkWithBytes(sent, res, { [label]: (r) => r.status === expected || r.status === also }, tags) && res.status === expected) {
        out = opts.file ? undefined : jsonOf(res);
      }
    }
    // Think time: uniform in [THINK_MIN_S, THINK_MAX_S], the Z of Little's law in profiles.ts. One that would end
    // past the final ramp-down's start is cut there, and the iteration ends: the next request would not be measured.
    const { thinkMinS, thinkMaxS } = this.ctx;
    const think = thinkMinS + Math.random() * (thinkMaxS - thinkMinS);
    const left = (endAtMs - Date.now()) / 1000;
    if (think >= left) {
      if (left > 0) sleep(left);
      throw RUN_OVER;
    }
    sleep(think);
    return out;
  }

  // The personas keep ids, never bodies: whatever a persona holds it holds through the next steps' think times, in
  // every sleeping VU (a page kept up to 100 items alive, about 4 % of k6's RSS at 500 VUs; an item, a map of its
  // fields). So these return an id or nothing.

  /**
   * `GET <template>` answering an object (the dashboard), or with `id`, `GET <template>/:id` answering the item.
   */
  read(template: string, id?: Item['id']): void {
    const route = id === undefined ? template : `${template}/:id`;
    const name = `GET ${route}`;
    const body = this.step('GET', route, id === undefined ? template : `${template}/${encodeURIComponent(`${id}`)}`, undefined, 200);
    if (body === undefined) return;
    const tags = { name, persona: this.ctx.persona };
    if (id === undefined) check(body, { [`${name} is an object`]: (b) => typeof b === 'object' && b !== null && !Array.isArray(b) }, tags);
    else check(body, { [`${name} has id`]: hasId }, tags);
  }

  /**
   * `GET <template>?query`: a list, one item's id at random. With `perPages`, a varied page: a per_page from them and
   * a page within the total the list last answered (1 until it has), so later requests ask for pages that exist.
   */
  pickId(template: string, query: Query, perPages?: readonly number[]): Item['id'] | undefined {
    // `?k=v&…` of the defined values. Index loop and concatenation, not for…in (it walks the prototype chain, which
    // builds Object.prototype in full: 8 KB per VU), entries, destructuring or String(): the first use of each
    // builtin builds it in that VU's runtime for the whole test (bench/generator).
    let qs = '';
    const keys = Object.keys(query);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = query[k];
      if (v !== undefined) qs += `${qs === '' ? '?' : '&'}${encodeURIComponent(k)}=${encodeURIComponent(`${v}`)}`;
    }
    if (perPages !== undefined) {
      const perPage = pick(perPages) ?? 20;
      const total = totals[template];
      // Math.floor alone (the one Math method every script uses): each builtin a VU first calls is built in its runtime.
      const pages = total === undefined ? 1 : Math.floor((total + perPage - 1) / perPage);
      qs += `${qs === '' ? '?' : '&'}page=${randomInt(1, pages > 1 ? pages : 1)}&per_page=${perPage}`;
    }
    const body = this.step('GET', template, template + qs, undefined, 200);
    if (body === undefined) return undefined;
    const b = body as { items?: unknown; total?: unknown };
    const items = typeof b === 'object' && b !== null && Array.isArray(b.items) ? (b.items as unknown[]) : null;
    // A loop, not items.every(): each array method a VU first calls is built in its runtime (entry.ts).
    let ok = items !== null;
    for (let i = 0; ok && i < items!.length; i++) ok = hasId(items![i]);
    check(body, { [`GET ${template} has items[] with ids`]: () => ok }, { name: `GET ${template}`, persona: this.ctx.persona });
    if (!ok) return undefined;
    // `total < Infinity` and not Number.isFinite: the Number builtin would cost every VU its memory (entry.ts).
    const total = b.total;
    if (typeof total === 'number' && total >= 0 && total < Infinity) totals[template] = total;
    return pick(items as Item[])?.id;
  }

  /** `POST <template>` creating an object: 201 with its id, which this returns. */
  create(template: string, payload: Record<string, unknown>): Item['id'] | undefined {
    const name = `POST ${template}`;
    const body = this.step('POST', template, template, { json: payload }, 201);
    if (body === undefined) return undefined;
    check(body, { [`${name} returns the created id`]: hasId }, { name, persona: this.ctx.persona });
    return hasId(body) ? body.id : undefined;
  }

  /**
   * A file of an item, `<template>/:id/<file>`. With `upload`, `POST` of those bytes (201). Without, `GET`: a
   * download, read and dropped (the CDN's answer when nginx is in front); with `mayBeMissing`, a 404 is an expected
   * answer (the item has no such file), not an error.
   */
  file(template: string, id: Item['id'], file: string, how: { upload: ArrayBuffer; type: string } | { mayBeMissing: boolean }): void {
    const path = `${template}/${encodeURIComponent(`${id}`)}/${file}`;
    if ('upload' in how) this.step('POST', `${template}/:id/${file}`, path, { bytes: how.upload, type: how.type }, 201);
    else this.step('GET', `${template}/:id/${file}`, path, undefined, 200, how.mayBeMissing ? { file: true, alsoExpected: 404 } : { file: true });
  }
}
