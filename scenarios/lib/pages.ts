// Varied pagination: remembers each list's total per VU so later requests ask for pages that exist.

import { pick, randomInt } from './random.js';

/** Per-VU (module scope runs once per VU): list template → last known total. */
const totals: Record<string, number> = {};

/** A page/per_page pair for a list: a per_page from `perPages`, a page within the known total (1 until known). */
export function pageOf(template: string, perPages: readonly number[]): { page: number; per_page: number } {
  const perPage = pick(perPages) ?? 20;
  const total = totals[template];
  const lastPage = total === undefined ? 1 : Math.max(1, Math.ceil(total / perPage));
  return { page: randomInt(1, lastPage), per_page: perPage };
}

export function rememberTotal(template: string, total: unknown): void {
  if (typeof total === 'number' && Number.isFinite(total) && total >= 0) totals[template] = total;
}
