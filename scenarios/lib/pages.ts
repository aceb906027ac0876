// Varied pagination: remembers each list's total per VU so later requests ask for pages that exist.

import { pick, randomInt } from './random.js';

/** Per-VU (module scope runs once per VU): list template → last known total. */
const totals: Record<string, number> = {};

/** A page/per_page pair for a list: a per_page from `perPages`, a page within the known total (1 until known). */
export function pageOf(template: string, perPages: readonly number[]): { page: number; per_page: number } {
  const perPage = pick(perPages) ?? 20;
  const total = totals[template];
  // Math.floor alone (the one Math method every script uses): each builtin a VU first calls is built in its runtime.
  const pages = total === undefined ? 1 : Math.floor((total + perPage - 1) / perPage);
  const lastPage = pages > 1 ? pages : 1;
  return { page: randomInt(1, lastPage), per_page: perPage };
}

export function rememberTotal(template: string, total: unknown): void {
  // `total < Infinity` and not Number.isFinite: the Number builtin would cost every VU its memory (entry.ts).
  if (typeof total === 'number' && total >= 0 && total < Infinity) totals[template] = total;
}
