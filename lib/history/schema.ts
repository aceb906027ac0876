// The run-history index v1 (results/history.json): one entry per judged run, so `--baseline last-pass` can find
// the last passing run of a scenario and profile, and `history` can list key figures without reopening results.

import { Type, type Static } from '@sinclair/typebox';

export const HISTORY_SCHEMA = 'conecta-load/history@1' as const;

/** One group's key figures in a judged run (the series the change-point detector reads). */
export const EntryFigures = Type.Object({
  requests: Type.Integer({ minimum: 0 }),
  errorRate: Type.Number({ minimum: 0, maximum: 1 }),
  p95Ms: Type.Number({ minimum: 0 }),
  p99Ms: Type.Number({ minimum: 0 }),
  throughputRps: Type.Number({ minimum: 0 }),
});

export const HistoryEntry = Type.Object({
  /** Run directories judged together, absolute. */
  dirs: Type.Array(Type.String(), { minItems: 1 }),
  scenario: Type.String(),
  profile: Type.String(),
  startedAt: Type.String(),
  judgedAt: Type.String(),
  verdict: Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail'), Type.Literal('inconclusive')]),
  exitCode: Type.Integer(),
  requests: Type.Integer({ minimum: 0 }),
  errorRate: Type.Number({ minimum: 0, maximum: 1 }),
  p95Ms: Type.Number({ minimum: 0 }),
  p99Ms: Type.Number({ minimum: 0 }),
  throughputRps: Type.Number({ minimum: 0 }),
  gitSha: Type.String(),
  /** The baseline's first directory, when one was compared. */
  baseline: Type.Optional(Type.String()),
  /** Per-endpoint figures (absent in entries recorded before change-point detection). */
  endpoints: Type.Optional(Type.Record(Type.String(), EntryFigures)),
});

export const HistoryIndex = Type.Object(
  { schema: Type.Literal(HISTORY_SCHEMA), runs: Type.Array(HistoryEntry) },
  { $id: 'https://conecta-load.dev/schemas/history.schema.json', title: 'conecta-load run history v1' },
);

export type EntryFigures = Static<typeof EntryFigures>;
export type HistoryEntry = Static<typeof HistoryEntry>;
export type HistoryIndex = Static<typeof HistoryIndex>;
