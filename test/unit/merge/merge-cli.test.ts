// The `merge` and `k8s testrun` commands through the whole CLI (buildProgram), with an in-memory Io: one line and
// an exit code for a refusal, files written otherwise.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { ExitCode } from '../../../lib/exit-codes.js';
import { memoryIo } from '../../../lib/io.js';
import { readRunResult } from '../../../lib/result/store.js';
import { builtinDecls, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-merge-cli-'));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  let code: number = ExitCode.OK;
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(['node', 'conecta-load', ...args]);
  } catch (e) {
    code = exitCodeOf(e, io);
  }
  return { code, out: io.out.join(''), err: io.err.join('') };
}

function rawOutput(file: string, startMs: number, n: number): void {
  const lines = [...builtinDecls()];
  for (let i = 0; i < n; i++) lines.push(...requestLines({ timeMs: startMs + i * 100, durationMs: 1 + (i % 7), name: 'GET /a', url: 'http://127.0.0.1:9/a', status: 200 }));
  writeFileSync(join(dir, file), lines.join('\n') + '\n');
}

describe('conecta-load merge', () => {
  it('merges raw runner outputs into one result.json', async () => {
    rawOutput('r1.json', Date.UTC(2026, 0, 1), 50);
    rawOutput('r2.json', Date.UTC(2026, 0, 1) + 40, 70);
    const r = await cli(['merge', 'r1.json', 'r2.json', '--scenario', 'mix', '--profile', 'load-500', '--out', 'm']);
    expect(r.err).toBe('');
    expect(r.code).toBe(ExitCode.OK);
    expect(r.out).toContain('merged 2 runners');
    expect(readRunResult(join(dir, 'm')).overall.requests).toBe(120);
  });

  it("merges runner outputs of one test without --scenario: their k6 scenario tag names them, not their file names", async () => {
    for (const [f, off] of [['runner-0.json', 0], ['runner-1.json', 30]] as const) {
      const lines = [...builtinDecls()];
      for (let i = 0; i < 20; i++) lines.push(...requestLines({ timeMs: Date.UTC(2026, 0, 1) + off + i * 100, durationMs: 2, name: 'GET /a', url: 'http://127.0.0.1:9/a', status: 200, extraTags: { scenario: 'browse' } }));
      writeFileSync(join(dir, f), lines.join('\n') + '\n');
    }
    const r = await cli(['merge', 'runner-0.json', 'runner-1.json', '--profile', 'load-500', '--out', 'm-tag']);
    expect(r.err).toBe('');
    expect(r.code).toBe(ExitCode.OK);
    const merged = readRunResult(join(dir, 'm-tag'));
    expect(merged.meta.scenario).toBe('browse');
    expect(merged.overall.requests).toBe(40);
  });

  it('refuses runs that did not overlap in one line, exit 7, and merges them with --force', async () => {
    rawOutput('late.json', Date.UTC(2026, 0, 2), 10);
    const args = ['merge', 'r1.json', 'late.json', '--scenario', 'mix', '--profile', 'load-500', '--out', 'm2'];
    const r = await cli(args);
    expect(r.code).toBe(ExitCode.BAD_INPUT);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^conecta-load: late\.json starts at 2026-01-02T00:00:00\.000Z, after r1\.json ended at .*: the runs did not overlap \(--force merges them anyway\)\n$/);
    expect(existsSync(join(dir, 'm2', 'result.json'))).toBe(false);
    expect((await cli([...args, '--force'])).code).toBe(ExitCode.OK);
  });
});

describe('conecta-load k8s testrun', () => {
  it('writes the manifests and prints the recipe; refuses a bad --parallelism in one line', async () => {
    const r = await cli(['k8s', 'testrun', '--profile', 'load-500', '--parallelism', '3', '--target', 'https://x.example', '--out', 'k8s']);
    expect(r.code).toBe(ExitCode.OK);
    for (const f of ['configmap.yaml', 'pvc.yaml', 'testrun.yaml', 'collector.yaml']) expect(existsSync(join(dir, 'k8s', f))).toBe(true);
    expect(r.out).toContain('kubectl apply');
    const bad = await cli(['k8s', 'testrun', '--profile', 'load-500', '--parallelism', '2.5', '--target', 'https://x.example', '--out', 'k8s2']);
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.err).toBe('conecta-load: --parallelism must be a positive integer, got "2.5"\n');
  });
});
