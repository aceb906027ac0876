// The `analyze` command over the real ingest, with an in-memory Io.

import { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAnalyze } from '../../../cli/analyze.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { memoryIo, type Io } from '../../../lib/io.js';
import { readRunResult } from '../../../lib/result/store.js';
import { builtinDecls, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(args: string[], onInterrupt?: Io['onInterrupt']) {
  const io = { ...memoryIo({ cwd: dir }), ...(onInterrupt ? { onInterrupt } : {}) };
  const program = new Command().exitOverride();
  registerAnalyze(program, io, () => undefined);
  await program.parseAsync(['node', 'conecta-load', 'analyze', ...args]);
  return io;
}

describe('conecta-load analyze', () => {
  it('writes <dir>/result.json from a gzip k6 output and prints the compact summary', async () => {
    const lines = [...builtinDecls()];
    for (let i = 0; i < 40; i++) {
      lines.push(...requestLines({ timeMs: Date.UTC(2026, 0, 1) + i * 50, durationMs: 2 + (i % 4), name: i % 2 ? 'GET /a' : 'POST /b', url: 'http://127.0.0.1:9/x', status: i % 8 === 0 ? 429 : 200 }));
    }
    lines.push('{"metric":"http_reqs","type":"Po');
    writeFileSync(join(dir, 'k6-output'), gzipSync(lines.join('\n') + '\n'));
    const io = await analyze(['k6-output', '--out', 'res', '--profile', 'smoke', '--scenario', 'nightly']);
    const r = readRunResult(join(dir, 'res'));
    expect(r.meta).toMatchObject({ source: 'analyze', scenario: 'nightly', profile: 'smoke', target: 'http://127.0.0.1:9' });
    expect(r.overall.requests).toBe(40);
    expect(r.overall.rateLimited).toBe(5);
    expect(r.ingest.garbledLines).toBe(1);
    const out = io.out.join('');
    expect(out).toContain('40 requests');
    expect(out).toContain('error rate 12.50 % (5 failed), 5 rate-limited (429)');
    expect(out).toMatch(/latency ms: p50 \S+ {2}p95 \S+ {2}p99 /);
    expect(out).toContain('endpoints: 2');
    expect(out).toMatch(/ {2}GET \/a +20 req/);
    expect(out).toContain('1 garbled');
    expect(out).toContain(`result: ${join(dir, 'res', 'result.json')}`);
  });

  it("records dated outputs of one test in one series, named by k6's scenario tag, and says so in one line", async () => {
    for (const day of ['01', '02']) {
      const lines = [...builtinDecls()];
      for (let i = 0; i < 5; i++) lines.push(...requestLines({ timeMs: Date.UTC(2026, 11, Number(day)) + i * 50, durationMs: 3, url: 'http://127.0.0.1:9/a', status: 200, extraTags: { scenario: 'browse' } }));
      writeFileSync(join(dir, `nightly-2026-12-${day}.json`), lines.join('\n') + '\n');
    }
    const outs = [];
    for (const day of ['01', '02']) outs.push((await analyze([`nightly-2026-12-${day}.json`, '--out', `night-${day}`])).out.join(''));
    expect(readRunResult(join(dir, 'night-01')).meta.scenario).toBe('browse');
    expect(readRunResult(join(dir, 'night-02')).meta.scenario).toBe('browse');
    expect(outs[1]).toContain('series: scenario "browse" (k6 scenario tag), profile "unknown": history, change points and --baseline auto compare it with runs of that pair\n');
  });

  it("asks for --scenario (exit 2, nothing written) when k6's default scenario is all that names the output", async () => {
    writeFileSync(join(dir, 'unnamed.json'), [...builtinDecls(), ...requestLines({ timeMs: Date.UTC(2026, 0, 1), durationMs: 2, url: 'http://h/a', status: 200 })].join('\n') + '\n');
    const err = await analyze(['unnamed.json', '--out', 'unnamed']).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: ExitCode.USAGE, hint: 'give --scenario NAME, the same for every run of this test' });
    expect(existsSync(join(dir, 'unnamed'))).toBe(false);
  });

  it('fails with BAD_INPUT and writes nothing for a file that is not k6 output', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const err = await analyze(['notes.txt', '--out', 'nothing']).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConectaError);
    expect((err as ConectaError).code).toBe(ExitCode.BAD_INPUT);
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  });

  it('refuses to write result.json over the k6 output it reads (the same path, or a symlink to it)', async () => {
    mkdirSync(join(dir, 'o'));
    const raw = [...builtinDecls(), ...requestLines({ timeMs: Date.UTC(2026, 0, 1), durationMs: 2, url: 'http://h/a', status: 200 })].join('\n') + '\n';
    writeFileSync(join(dir, 'o', 'result.json'), raw);
    symlinkSync(join(dir, 'o', 'result.json'), join(dir, 'link.json'));
    for (const input of ['o/result.json', 'link.json']) {
      const err = (await analyze([input, '--out', 'o']).then(() => undefined, (e: unknown) => e)) as ConectaError;
      expect(err.code).toBe(ExitCode.USAGE);
      expect(err.message).toBe(`${input} is o/result.json: analyze would overwrite the k6 output it reads`);
    }
    expect(readFileSync(join(dir, 'o', 'result.json'), 'utf8')).toBe(raw);
  });

  it('stops on Ctrl-C with one line and exit 130, writing nothing when nothing was read', async () => {
    writeFileSync(join(dir, 'int.json'), [...builtinDecls(), ...requestLines({ timeMs: Date.UTC(2026, 0, 1), durationMs: 2, url: 'http://h/a', status: 200 })].join('\n') + '\n');
    const err = (await analyze(['int.json', '--out', 'int'], (handler) => {
      handler(); // the signal arrives as soon as the handler is there
      return () => undefined;
    }).then(() => undefined, (e: unknown) => e)) as ConectaError;
    expect(err.code).toBe(ExitCode.INTERRUPTED);
    expect(err.message).toBe('interrupted before any sample of int.json was read: nothing written');
    expect(existsSync(join(dir, 'int'))).toBe(false);
  });
});
