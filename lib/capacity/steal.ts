// Steal time (pure): CPU the hypervisor gave other guests while this machine had work, read by host:cpu over each
// level's steady window. No cgroup inside the machine isolates it, so a level measured under it says so.

import type { GeneratorWatch } from './schema.js';

/** Steal time from this share of the cores on: the host's other guests took enough to move a level's figures. */
export const STEAL_NOTE = 0.05;

/**
 * One sentence naming the levels measured while the hypervisor took CPU from this machine (steal time), the noise
 * a budget cannot isolate; null when no level had any worth naming.
 */
export function stealNote(levels: readonly { users: number; generator?: GeneratorWatch | null }[]): string | null {
  const hit = levels.filter((l) => l.generator && (l.generator.hostStealCores ?? 0) >= STEAL_NOTE * l.generator.hostCores);
  if (!hit.length) return null;
  const each = hit.map((l) => `${l.generator!.hostStealCores!.toFixed(2)} at ${l.users}`).join(', ');
  return `Steal time: the hypervisor gave other guests ${each} users (of ${hit[0]!.generator!.hostCores} cores): CPU no cgroup ` +
    'in this machine isolates, so these levels move with the host\'s load, isolated or not.';
}
