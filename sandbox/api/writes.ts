// Write routes the personas need: visitors, access events, deliveries, reservations, maintenance orders.

import type { Role } from '../db/resources.js';
import type { Row } from '../db/store.js';
import type { Ctx, Handler } from './context.js';
import type { Principal } from './principal.js';
import { HttpError, readJsonObject, sendJson } from './http.js';

const AREAS = ['salao_de_festas', 'churrasqueira', 'quadra', 'piscina', 'academia'] as const;

function who(ctx: Ctx, roles: readonly Role[], what: string): Principal {
  const p = ctx.principal;
  if (!p) throw new HttpError(401, 'unauthorized', 'authentication required');
  if (!roles.includes(p.role)) throw new HttpError(403, 'forbidden', `role ${p.role} may not create ${what}`);
  return p;
}

const bad = (msg: string) => new HttpError(422, 'invalid_body', msg);

function id(body: Record<string, unknown>, key: string, optional = false): number | null {
  const v = body[key];
  if (v === undefined || v === null) {
    if (optional) return null;
    throw bad(`${key} is required`);
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw bad(`${key} must be a positive integer`);
  return v;
}

function text(body: Record<string, unknown>, key: string, max: number): string {
  const v = body[key];
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw bad(`${key} must be a string of 1 to ${max} characters`);
  return v;
}

function oneOf<T extends string>(body: Record<string, unknown>, key: string, values: readonly T[]): T {
  const v = body[key];
  if (typeof v !== 'string' || !values.includes(v as T)) throw bad(`${key} must be one of ${values.join(', ')}`);
  return v as T;
}

function inScope(p: Principal, condominioId: number): void {
  if (p.scope.condominioIds !== 'all' && !p.scope.condominioIds.includes(condominioId)) {
    throw new HttpError(403, 'forbidden', `condominio ${condominioId} is not visible to this user`);
  }
}

/** The unit, which must exist and (when given) belong to the condominium. */
async function unitOf(ctx: Ctx, unidadeId: number, condominioId?: number): Promise<Row> {
  const u = await ctx.store.get('unidades', unidadeId);
  if (!u || (condominioId !== undefined && u.condominio_id !== condominioId)) {
    throw bad(`unidade_id ${unidadeId} does not exist${condominioId !== undefined ? ` in condominio ${condominioId}` : ''}`);
  }
  return u;
}

const now = () => new Date().toISOString();

export const createVisitante: Handler = async (ctx) => {
  const p = who(ctx, ['porteiro'], 'visitantes');
  const b = await readJsonObject(ctx.req);
  const condominio_id = id(b, 'condominio_id')!;
  const unidade_id = id(b, 'unidade_id')!;
  const nome = text(b, 'nome', 120);
  const documento = text(b, 'documento', 40);
  inScope(p, condominio_id);
  await unitOf(ctx, unidade_id, condominio_id);
  const row = await ctx.store.insert('visitantes', { condominio_id, unidade_id, nome, documento, criado_em: now() });
  sendJson(ctx.res, 201, row);
};

export const createAcesso: Handler = async (ctx) => {
  const p = who(ctx, ['porteiro'], 'acesso');
  const b = await readJsonObject(ctx.req);
  const condominio_id = id(b, 'condominio_id')!;
  const tipo = oneOf(b, 'tipo', ['pedestre', 'veiculo', 'visitante'] as const);
  const direcao = oneOf(b, 'direcao', ['entrada', 'saida'] as const);
  const unidade_id = id(b, 'unidade_id', true);
  const visitante_id = id(b, 'visitante_id', true);
  inScope(p, condominio_id);
  if (unidade_id !== null) await unitOf(ctx, unidade_id, condominio_id);
  if (visitante_id !== null) {
    const v = await ctx.store.get('visitantes', visitante_id);
    if (!v || v.condominio_id !== condominio_id) throw bad(`visitante_id ${visitante_id} does not exist in condominio ${condominio_id}`);
  }
  const row = await ctx.store.insert('acesso', { condominio_id, unidade_id, visitante_id, tipo, direcao, ocorrido_em: now() });
  sendJson(ctx.res, 201, row);
};

export const createEncomenda: Handler = async (ctx) => {
  const p = who(ctx, ['porteiro'], 'encomendas');
  const b = await readJsonObject(ctx.req);
  const unidade_id = id(b, 'unidade_id')!;
  const descricao = text(b, 'descricao', 200);
  const u = await unitOf(ctx, unidade_id);
  const condominio_id = Number(u.condominio_id);
  inScope(p, condominio_id);
  const row = await ctx.store.insert('encomendas', {
    condominio_id, unidade_id, descricao, status: 'aguardando', recebida_em: now(), retirada_em: null,
  });
  sendJson(ctx.res, 201, row);
};

export const createReserva: Handler = async (ctx) => {
  const p = who(ctx, ['morador', 'sindico'], 'reservas');
  const b = await readJsonObject(ctx.req);
  const area = oneOf(b, 'area', AREAS);
  const data = b.data;
  if (typeof data !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(data)) throw bad('data must be YYYY-MM-DD');
  let unidade_id = id(b, 'unidade_id', p.role === 'morador');
  if (p.role === 'morador') {
    if (unidade_id !== null && unidade_id !== p.scope.unidadeId) throw new HttpError(403, 'forbidden', 'a morador books for their own unit only');
    unidade_id = p.scope.unidadeId ?? null;
  }
  const u = await unitOf(ctx, unidade_id!);
  const condominio_id = Number(u.condominio_id);
  inScope(p, condominio_id);
  const row = await ctx.store.insert('reservas', { condominio_id, unidade_id, area, data, criado_em: now() });
  sendJson(ctx.res, 201, row);
};

export const createManutencao: Handler = async (ctx) => {
  const p = who(ctx, ['sindico'], 'manutencao');
  const b = await readJsonObject(ctx.req);
  const condominio_id = id(b, 'condominio_id')!;
  const titulo = text(b, 'titulo', 200);
  const descricao = text(b, 'descricao', 2000);
  const prioridade = oneOf(b, 'prioridade', ['baixa', 'media', 'alta'] as const);
  inScope(p, condominio_id);
  const row = await ctx.store.insert('manutencao', {
    condominio_id, titulo, descricao, prioridade, status: 'aberta', criado_em: now(),
  });
  sendJson(ctx.res, 201, row);
};
