// The warm-up a level's window left out (pure): the plateau's first seconds while its per-second P95 still fell
// (ladder/window.ts finds them). Said wherever the levels are, since those seconds are in no figure.

import type { Level } from './schema.js';

/** One sentence naming the levels whose window opened late because the stack was warming up; null when none. */
export function warmupNote(levels: readonly Pick<Level, 'users' | 'warmup'>[]): string | null {
  const hit = levels.filter((l) => l.warmup);
  if (!hit.length) return null;
  const each = hit.map((l) => `${l.users} users' first ${l.warmup!.leftOutS} s (P95 ${l.warmup!.p95BeforeMs.toFixed(0)} → ${l.warmup!.p95AfterMs.toFixed(0)} ms)`);
  return `Warm-up left out: ${each.join(', ')}. Each window opened once the per-second P95 stopped falling; ` +
    'a cold stack\'s first seconds are what a deploy costs, not what the stack holds.';
}
