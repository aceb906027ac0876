// Small random helpers for varied requests (pages, bodies, think time); k6's Math.random is per VU.
// Few of them, and a one-caller helper lives in its caller: every function a VU's module holds costs it about
// 700 bytes for the whole test (lib/bundle/once-chunks.ts).

export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

export function pick<T>(items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)];
}

/**
 * Day number `epochDay` (days since 1970-01-01) as `YYYY-MM-DD`, by H. Hinnant's days-to-civil arithmetic rather
 * than a Date: the first Date method a VU calls builds the Date prototype in its runtime, about 7 KB per VU.
 */
export function isoDay(epochDay: number): string {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
