// Parses durations as users write them for k6 ("90", "30s", "2m", "1h30m") into seconds (pure).

import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Seconds } from '../units.js';

const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export function parseDurationS(text: string): Seconds {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) as Seconds;
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const matched = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || matched !== t) {
    throw new ConectaError(`duration ${JSON.stringify(text)} is not valid`, ExitCode.USAGE, 'e.g. 30s, 2m, 1h30m or a number of seconds');
  }
  return parts.reduce((s, p) => s + Number(p[1]) * UNIT_S[p[2]!]!, 0) as Seconds;
}
