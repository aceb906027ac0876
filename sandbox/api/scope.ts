// A user's tenant scope: which condominiums (and, for a morador, which unit) their requests may see.

import type { DataStore, Scope, UserRow } from '../db/store.js';

export async function scopeOf(store: DataStore, u: UserRow): Promise<Scope> {
  switch (u.role) {
    case 'operador':
      return { condominioIds: 'all' };
    case 'sindico':
      return { condominioIds: await store.managedCondominios(u.id) };
    case 'porteiro':
      return { condominioIds: u.condominio_id ? [u.condominio_id] : [] };
    case 'morador':
      return { condominioIds: u.condominio_id ? [u.condominio_id] : [], unidadeId: u.unidade_id ?? -1 };
  }
}
