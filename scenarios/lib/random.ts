// Small random helpers for varied requests (pages, bodies, think time); k6's Math.random is per VU.

export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

export function pick<T>(items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)];
}

/** True with probability p. */
export function chance(p: number): boolean {
  return Math.random() < p;
}

/** A date `YYYY-MM-DD` between 1 and `days` days from today (future dates, for reservations). */
export function futureDate(days: number): string {
  return new Date(Date.now() + randomInt(1, days) * 86_400_000).toISOString().slice(0, 10);
}

/** A month `YYYY-MM` within the last `months` months (financeiro filter). */
export function recentMonth(months: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - randomInt(0, months - 1));
  return d.toISOString().slice(0, 7);
}

/** An 11-digit document number (CPF-shaped, not a valid one). */
export function documentNumber(): string {
  let s = '';
  for (let i = 0; i < 11; i++) s += String(randomInt(0, 9));
  return s;
}
