// How the history index grows and stays bounded: an empty index, adding a judged run, pruning old runs. Pure.

import { HISTORY_SCHEMA, type HistoryEntry, type HistoryIndex } from './schema.js';

export function emptyHistory(): HistoryIndex {
  return { schema: HISTORY_SCHEMA, runs: [] };
}

/** Adds an entry; judging the same directories again replaces their earlier entry. */
export function addEntry(h: HistoryIndex, e: HistoryEntry): HistoryIndex {
  const key = e.dirs.join('\n');
  return { ...h, runs: [...h.runs.filter((r) => r.dirs.join('\n') !== key), e] };
}

/** Keeps the `keep` most recent entries (by start time) of each scenario and profile; order is kept. */
export function pruneHistory(h: HistoryIndex, keep: number): HistoryIndex {
  const bySeries = new Map<string, HistoryEntry[]>();
  for (const r of h.runs) {
    const k = `${r.scenario}\n${r.profile}`;
    bySeries.set(k, [...(bySeries.get(k) ?? []), r]);
  }
  const kept = new Set<HistoryEntry>();
  for (const rs of bySeries.values()) for (const r of [...rs].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-keep)) kept.add(r);
  return { ...h, runs: h.runs.filter((r) => kept.has(r)) };
}
