import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { memoryIo } from '../../../lib/io.js';

async function cli(args: string[]) {
  const io = memoryIo();
  let code = 0;
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(['node', 'conecta-load', ...args]);
  } catch (e) {
    code = exitCodeOf(e, io);
  }
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('conecta-load capacity fit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fit-'));
  const csv = join(dir, 'sdm91.csv');
  writeFileSync(csv, 'concurrency,throughput\n1,64.9\n18,995.9\n36,1652.4\n72,1853.2\n108,1828.9\n144,1775.0\n216,1702.2\n');

  it('prints the fit as JSON with the promised keys', async () => {
    const r = await cli(['capacity', 'fit', '--csv', csv, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, number>;
    expect(j.sigma).toBeCloseTo(0.02773, 5);
    expect(j.kappa).toBeCloseTo(0.0001044, 7);
    expect(j.lambda).toBeCloseTo(89.995, 2);
    expect(j.peakConcurrency).toBeCloseTo(96.5, 1);
    expect(j.rSquared).toBeGreaterThan(0.98);
  });

  it('prints text without --json', async () => {
    const r = await cli(['capacity', 'fit', '--csv', csv]);
    expect(r.out).toMatch(/^N\* +96\.52$/m);
  });

  it('exits 7 with one line for a missing file', async () => {
    const r = await cli(['capacity', 'fit', '--csv', join(dir, 'none.csv')]);
    expect(r.code).toBe(7);
    expect(r.err).toBe(`conecta-load: ${join(dir, 'none.csv')}: no such file\n`);
  });
});
