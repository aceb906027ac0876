// Reads `concurrency,throughput` CSV (like the usl command-line tools) into USL points, pure.

import { ConectaError, ExitCode } from '../exit-codes.js';
import type { UslPoint } from './usl.js';

/**
 * Accepts comma, semicolon, tab or space separated lines; an optional header line (any non-numeric first line);
 * `#` comments and blank lines. The first two columns are N and X; more columns are ignored.
 */
export function parseUslCsv(text: string, file: string): UslPoint[] {
  const points: UslPoint[] = [];
  const lines = text.split(/\r?\n/);
  let sawData = false;
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const cells = line.split(/\s*[,;\t ]\s*/).filter((c) => c !== '');
    const n = Number(cells[0]);
    const x = Number(cells[1]);
    if (cells.length < 2 || !Number.isFinite(n) || !Number.isFinite(x)) {
      if (!sawData && points.length === 0 && i === lines.findIndex((l) => l.replace(/#.*$/, '').trim() !== '')) return; // header
      throw new ConectaError(`${file}: line ${i + 1}: expected "concurrency,throughput" numbers, got "${raw.trim()}"`, ExitCode.BAD_INPUT);
    }
    if (n <= 0 || x < 0) throw new ConectaError(`${file}: line ${i + 1}: concurrency must be > 0 and throughput ≥ 0`, ExitCode.BAD_INPUT);
    sawData = true;
    points.push({ n, x });
  });
  if (points.length === 0) throw new ConectaError(`${file}: no data rows`, ExitCode.BAD_INPUT);
  return points;
}
