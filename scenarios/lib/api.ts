// The Conecta API as the personas use it: every call tagged {name, persona}, checked, 429s counted apart,
// and followed by a think time.

import { check } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { Persona, User } from '../config.js';
import { rateLimited } from './metrics.js';
import { rememberTotal } from './pages.js';
import { pick } from './random.js';
import { accessToken, dropSession } from './session.js';
import { think } from './think.js';

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
}

function queryString(q: Query): string {
  const parts = Object.entries(q)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function jsonOf(res: RefinedResponse<ResponseType | undefined>): unknown {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown): v is Item => isObject(v) && (typeof v.id === 'string' || typeof v.id === 'number');

export class Api {
  constructor(private readonly ctx: ApiContext) {}

  /** One step: the request, its checks, then a think time. Returns the parsed body when the status was expected. */
  private step(method: 'GET' | 'POST', template: string, path: string, body: unknown, expected: number): unknown {
    const { target, persona, user } = this.ctx;
    const token = accessToken(target, persona, user);
    if (token === null) return undefined; // logins rate limited: the entry waits before the next iteration
    const name = `${method} ${template}`;
    const tags = { name, persona };
    const params = {
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      tags,
      timeout: '30s',
    };
    const url = `${target}${path}`;
    const res = method === 'GET' ? http.get(url, params) : http.post(url, JSON.stringify(body), params);
    let out: unknown;
    if (res.status === 429) {
      // Rate limited: counted apart; its status check would measure the limiter, not the service.
      rateLimited.add(1, tags);
    } else {
      if (res.status === 401) dropSession();
      if (check(res, { [`${name} ${expected}`]: (r) => r.status === expected }, tags)) out = jsonOf(res);
    }
    think(this.ctx.thinkMinS, this.ctx.thinkMaxS);
    return out;
  }

  /** `GET <template>` answering an object (dashboard). */
  object(template: string): Record<string, unknown> | undefined {
    const body = this.step('GET', template, template, undefined, 200);
    if (body === undefined) return undefined;
    check(body, { [`GET ${template} is an object`]: isObject }, { name: `GET ${template}`, persona: this.ctx.persona });
    return isObject(body) ? body : undefined;
  }

  /**
   * `GET <template>?query`: a paginated list; its total is remembered for later page choices. Returns one of its
   * items at random (what every persona does with a page), never the page: a page held across the next steps'
   * think times kept up to 100 items alive in every sleeping VU (about 4 % of k6's RSS at 500 VUs).
   */
  listAndPick(template: string, query: Query = {}): Item | undefined {
    const body = this.step('GET', template, template + queryString(query), undefined, 200);
    if (body === undefined) return undefined;
    const ok = isObject(body) && Array.isArray(body.items) && body.items.every(hasId);
    check(body, { [`GET ${template} has items[] with ids`]: () => ok }, { name: `GET ${template}`, persona: this.ctx.persona });
    if (!ok) return undefined;
    rememberTotal(template, body.total);
    return pick(body.items as Item[]);
  }

  /** `GET <template>/:id`. */
  item(template: string, id: Item['id']): Item | undefined {
    const name = `GET ${template}/:id`;
    const body = this.step('GET', `${template}/:id`, `${template}/${encodeURIComponent(String(id))}`, undefined, 200);
    if (body === undefined) return undefined;
    check(body, { [`${name} has id`]: hasId }, { name, persona: this.ctx.persona });
    return hasId(body) ? body : undefined;
  }

  /** `POST <template>` creating an object: 201 with its id. */
  create(template: string, payload: Record<string, unknown>): Item | undefined {
    const name = `POST ${template}`;
    const body = this.step('POST', template, template, payload, 201);
    if (body === undefined) return undefined;
    check(body, { [`${name} returns the created id`]: hasId }, { name, persona: this.ctx.persona });
    return hasId(body) ? body : undefined;
  }
}
