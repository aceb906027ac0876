// Read routes: paginated, filtered, tenant-scoped lists; item routes; the dashboard.

import { RESOURCE_SPECS, parseFilter, type Filter, type ResourceName } from '../db/resources.js';
import type { Row, Scope } from '../db/store.js';
import type { Ctx, Handler } from './context.js';
import type { Principal } from './principal.js';
import { HttpError, parsePage, sendJson } from './http.js';

const PAGE_KEYS = new Set(['page', 'per_page']);

function principalOf(ctx: Ctx): Principal {
  if (!ctx.principal) throw new HttpError(401, 'unauthorized', 'authentication required');
  return ctx.principal;
}

function sees(scope: Scope, condominioId: unknown): boolean {
  return scope.condominioIds === 'all' || scope.condominioIds.includes(Number(condominioId));
}

function allowed(p: Principal, resource: ResourceName): void {
  if (!RESOURCE_SPECS[resource].roles.includes(p.role)) {
    throw new HttpError(403, 'forbidden', `role ${p.role} may not read ${resource}`);
  }
}

export function listHandler(resource: ResourceName): Handler {
  const spec = RESOURCE_SPECS[resource];
  return async (ctx) => {
    const p = principalOf(ctx);
    allowed(p, resource);
    const { page, perPage } = parsePage(ctx.url.searchParams);
    const filters: Filter[] = [];
    for (const key of new Set(ctx.url.searchParams.keys())) {
      if (PAGE_KEYS.has(key)) continue;
      const fs = spec.filters[key];
      if (!fs) {
        const known = Object.keys(spec.filters);
        throw new HttpError(400, 'bad_filter', `unknown filter ${key} (${known.length ? known.join(', ') : 'none'} allowed)`);
      }
      const f = parseFilter(key, fs, ctx.url.searchParams.get(key) ?? '');
      if (typeof f === 'string') throw new HttpError(400, 'bad_filter', f);
      if (key === 'condominio_id' && !sees(p.scope, f.value)) {
        throw new HttpError(403, 'forbidden', `condominio ${f.value} is not visible to this user`);
      }
      filters.push(f);
    }
    const ownUnit = p.role === 'morador' && spec.ownUnitForMorador;
    const { items, total } = await ctx.store.list(resource, { scope: p.scope, filters, page, perPage, ownUnit });
    sendJson(ctx.res, 200, { items, page, per_page: perPage, total });
  };
}

/** True when the caller may see this row: its tenant is in scope (and for moradores' own data, their unit). */
export function visible(p: Principal, resource: ResourceName, row: Row): boolean {
  const spec = RESOURCE_SPECS[resource];
  if (!sees(p.scope, row[spec.tenantColumn])) return false;
  if (p.role === 'morador' && spec.ownUnitForMorador) return row.unidade_id === p.scope.unidadeId;
  return true;
}

export function itemHandler(resource: ResourceName): Handler {
  return async (ctx) => {
    const p = principalOf(ctx);
    allowed(p, resource);
    const raw = ctx.params.id ?? '';
    if (!/^[1-9][0-9]{0,9}$/.test(raw)) throw new HttpError(404, 'not_found', `${resource} ${raw} not found`);
    const row = await ctx.store.get(resource, Number(raw));
    // Another tenant's row answers exactly like a missing one: its existence is not disclosed.
    if (!row || !visible(p, resource, row)) throw new HttpError(404, 'not_found', `${resource} ${raw} not found`);
    sendJson(ctx.res, 200, row);
  };
}

export const dashboard: Handler = async (ctx) => {
  const p = principalOf(ctx);
  const counts = await ctx.store.dashboard(p.scope, p.role === 'morador');
  sendJson(ctx.res, 200, { role: p.role, ...counts });
};
