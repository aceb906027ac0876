// Porteiro (doorman): the write path. Registers a visitor and their entry, a delivery and its photo (a JPEG of the
// porteiro's size class, photo.ts), a pedestrian or vehicle access, and reads the recent lists.
// Steps per iteration: 9 = REQUESTS_PER_ITERATION.porteiro (plus one condominium lookup per VU).

import { randomBytes } from 'k6/crypto';
import type { Api, Item } from '../lib/api.js';
import { photoBytes, photoSizeOf } from '../lib/photo.js';
import { pick, randomInt } from '../lib/random.js';

/** Per VU: the porteiro's condominium (they see one), looked up once. */
let condominioId: Item['id'] | undefined;
/** Per VU: its photo, built on its first upload and sent unchanged after (photo.ts says why one per VU). */
let photo: ArrayBuffer | undefined;

/** `ordinal`: this VU's place among the porteiros (0-based), which picks its photo's size class. */
export function porteiro(api: Api, ordinal: number): void {
  if (condominioId === undefined) {
    condominioId = api.pickId('/api/v1/condominios', { page: 1, per_page: 10 });
    if (condominioId === undefined) return;
  }
  const condominio_id = condominioId;

  const unidade_id = api.pickId('/api/v1/unidades', { condominio_id }, [20, 50, 100]);
  api.pickId('/api/v1/visitantes', { condominio_id, page: 1, per_page: 20 });
  if (unidade_id === undefined) return;

  // An 11-digit document number (CPF-shaped, not a valid one).
  let documento = '';
  for (let i = 0; i < 11; i++) documento += `${randomInt(0, 9)}`;
  const visitor = pick(['Ana Souza', 'Bruno Lima', 'Carla Dias', 'Diego Alves', 'Elisa Rocha', 'Fábio Nunes', 'Gabriela Reis']);
  const visitanteId = api.create('/api/v1/visitantes', {
    condominio_id,
    unidade_id,
    nome: `${visitor} ${randomInt(1, 999)}`,
    documento,
  });
  api.create('/api/v1/acesso', {
    condominio_id,
    tipo: 'visitante',
    direcao: 'entrada',
    unidade_id,
    ...(visitanteId !== undefined ? { visitante_id: visitanteId } : {}),
  });
  const parcel = pick(['Caixa Correios', 'Pacote Mercado Livre', 'Envelope', 'Entrega de farmácia', 'Caixa grande']);
  const encomendaId = api.create('/api/v1/encomendas', { unidade_id, descricao: `${parcel} #${randomInt(1, 99999)}` });
  if (encomendaId !== undefined) {
    api.file('/api/v1/encomendas', encomendaId, 'foto', { upload: (photo ??= photoBytes(photoSizeOf(ordinal), randomBytes)), type: 'image/jpeg' });
  }
  api.pickId('/api/v1/encomendas', { condominio_id }, [10, 20, 50]);
  api.create('/api/v1/acesso', {
    condominio_id,
    tipo: pick(['pedestre', 'veiculo'] as const),
    direcao: pick(['entrada', 'saida'] as const),
    unidade_id,
  });
  api.pickId('/api/v1/acesso', { condominio_id }, [20, 50]);
}
