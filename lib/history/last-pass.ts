// The baseline a gate compares with: the last passing run of the same scenario and profile. Pure.

import type { HistoryEntry, HistoryIndex } from './schema.js';

/**
 * The most recent (by start time) passing run — pass or warn, both exit 0 — of this scenario and profile, other
 * than the runs being judged. `exists` lets the caller skip runs whose directory was deleted.
 */
export function lastPass(
  h: HistoryIndex,
  scenario: string,
  profile: string,
  exclude: readonly string[],
  exists: (dir: string) => boolean = () => true,
): HistoryEntry | undefined {
  return h.runs
    .filter((r) => r.scenario === scenario && r.profile === profile && (r.verdict === 'pass' || r.verdict === 'warn'))
    .filter((r) => !r.dirs.some((d) => exclude.includes(d)) && r.dirs.every(exists))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .at(-1);
}
