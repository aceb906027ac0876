// Morador (resident): dashboard, own reservations (list, one, sometimes a new one), deliveries and a delivery's
// photo, notices, and 1 time in 3 a bill's PDF. Steps per iteration: 7 reads + a reservation 1 time in 3 + the
// photo + a bill (list and PDF) 1 time in 3 = REQUESTS_PER_ITERATION.morador (9).

import type { Api } from '../lib/api.js';
import { isoDay, pick, randomInt } from '../lib/random.js';

export function morador(api: Api): void {
  api.read('/api/v1/dashboard');

  const reservaId = api.pickId('/api/v1/reservas', {}, [10, 20]);
  if (reservaId !== undefined) api.read('/api/v1/reservas', reservaId);
  if (Math.random() < 1 / 3) {
    // Common areas the sandbox knows (its writes.ts; the README leaves `area` open).
    const area = pick(['salao_de_festas', 'churrasqueira', 'quadra', 'piscina', 'academia']);
    // A day 1 to 120 days ahead (day numbers, not a Date: random.ts's isoDay says why).
    api.create('/api/v1/reservas', { area, data: isoDay(Math.floor(Date.now() / 86_400_000) + randomInt(1, 120)) });
  }

  const encomendaId = api.pickId('/api/v1/encomendas', {}, [10, 20]);
  if (encomendaId !== undefined) {
    api.read('/api/v1/encomendas', encomendaId);
    // The resident's app asks for the delivery's photo: every delivery has one (the seed's too), except one caught
    // between its registration and its photo, which answers 404.
    api.file('/api/v1/encomendas', encomendaId, 'foto', { mayBeMissing: true });
  }

  const avisoId = api.pickId('/api/v1/avisos', {}, [10, 20]);
  if (avisoId !== undefined) api.read('/api/v1/avisos', avisoId);

  if (Math.random() < 1 / 3) {
    const boletoId = api.pickId('/api/v1/financeiro', {}, [10, 20]);
    if (boletoId !== undefined) api.file('/api/v1/financeiro', boletoId, 'boleto', { mayBeMissing: false });
  }
}
