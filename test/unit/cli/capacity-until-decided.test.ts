// `capacity run --until-decided`'s options refused in one line, exit 2, before any load: nothing listens on the
// target and no ladder directory is made, so an option that passed would show as another code or a folder.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { ExitCode } from '../../../lib/exit-codes.js';
import { memoryIo } from '../../../lib/io.js';

const tmp = mkdtempSync(join(tmpdir(), 'conecta-capacity-until-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const thresholds = join(tmp, 'thresholds.json');
writeFileSync(thresholds, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<1%' } }));
const throughput = join(tmp, 'throughput.json');
writeFileSync(throughput, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { throughput: '>10' } }));

async function capacityRun(args: string[]) {
  const io = memoryIo({ cwd: tmp, tmpdir: tmp });
  let code: number = ExitCode.OK;
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync([
      'node', 'conecta-load', 'capacity', 'run', '--target', 'http://127.0.0.1:1', '--out', join(tmp, 'ladder'), '--thresholds', thresholds, ...args,
    ]);
  } catch (e) {
    code = exitCodeOf(e, io);
  }
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('capacity run --until-decided: bad options', () => {
  it.each([
    [['--until-decided'], "--until-decided needs --per-level: a staircase's levels share one k6 run, which cannot stop when one level is decided"],
    [['--per-level', '--max-duration', '1m'], '--max-duration goes with --until-decided'],
    [['--per-level', '--until-decided', '--duration', '1m'], '--duration and --until-decided do not go together: give --max-duration'],
    [['--per-level', '--until-decided', '--max-duration', '0'], '--max-duration must be a positive duration, got 0'],
    [['--per-level', '--until-decided', '--thresholds', throughput],
      'the sequential gate cannot judge overall throughput ">10": throughput is a rate of requests, not a share of them ' +
      '(remove that criterion, or judge the run at its end without the sequential gate)'],
  ])('%j → exit 2, one line', async (args, line) => {
    const r = await capacityRun(args);
    expect([r.code, r.out, r.err]).toEqual([ExitCode.USAGE, '', `conecta-load: ${line}\n`]);
    expect(existsSync(join(tmp, 'ladder'))).toBe(false);
  });
});
