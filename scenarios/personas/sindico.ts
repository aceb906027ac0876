// Síndico (manager): the heavier reads — condominiums, units, residents, finances, maintenance orders — and
// sometimes a new order. Steps per iteration: 10 reads + an order 1 time in 4 = REQUESTS_PER_ITERATION.sindico.

import type { Api } from '../lib/api.js';
import { pick, randomInt } from '../lib/random.js';

export function sindico(api: Api): void {
  api.read('/api/v1/dashboard');

  const condominio_id = api.pickId('/api/v1/condominios', {}, [10, 20]);
  if (condominio_id === undefined) return;
  api.read('/api/v1/condominios', condominio_id);

  const unidadeId = api.pickId('/api/v1/unidades', { condominio_id }, [20, 50, 100]);
  const moradorId = api.pickId('/api/v1/moradores', { condominio_id }, [20, 50, 100]);
  if (moradorId !== undefined) api.read('/api/v1/moradores', moradorId);

  const status = pick([undefined, 'aberto', 'pago', 'atrasado'] as const);
  const lancamentoId = api.pickId('/api/v1/financeiro', { condominio_id, status }, [20, 50, 100]);
  if (lancamentoId !== undefined) api.read('/api/v1/financeiro', lancamentoId);

  api.pickId('/api/v1/manutencao', { condominio_id }, [10, 20, 50]);
  if (unidadeId !== undefined) api.read('/api/v1/unidades', unidadeId);

  if (Math.random() < 1 / 4) {
    api.create('/api/v1/manutencao', {
      condominio_id,
      titulo: pick(['Vazamento na garagem', 'Lâmpada queimada no hall', 'Portão travando', 'Elevador com ruído', 'Infiltração']),
      descricao: `Registrado pelo teste de carga (${randomInt(1, 99999)})`,
      prioridade: pick(['baixa', 'media', 'alta'] as const),
    });
  }
}
