import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { readRunResult, writeRunResult } from '../../../lib/result/store.js';
import { builtinDecls, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sampleResult() {
  const file = join(dir, 'k6.json');
  const lines = [...builtinDecls()];
  for (let i = 0; i < 50; i++) {
    lines.push(...requestLines({ timeMs: Date.UTC(2026, 0, 1) + i * 100, durationMs: 3 + i, name: 'GET /a', url: 'http://h/a', status: i % 10 ? 200 : 500 }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return (await ingestK6Output(file, { source: 'analyze', labels: { level: '1' } })).whole;
}

describe('run result store', () => {
  it('writes an ingested result that reads back equal and valid', async () => {
    const r = await sampleResult();
    const file = writeRunResult(join(dir, 'run'), r);
    expect(file).toBe(join(dir, 'run', 'result.json'));
    expect(readRunResult(join(dir, 'run'))).toEqual(r);
    expect(readRunResult(file).overall.failed).toBe(5);
  });

  it('rejects another schema version and an invalid field with one line naming file and key', async () => {
    const r = await sampleResult();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...r, schema: 'conecta-load/run-result@3' }));
    expect(() => readRunResult(bad)).toThrow(/bad\.json: schema is "conecta-load\/run-result@3"/);
    writeFileSync(bad, JSON.stringify({ ...r, overall: { ...r.overall, errorRate: 2 } }));
    let err: unknown;
    try {
      readRunResult(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConectaError);
    expect((err as ConectaError).code).toBe(ExitCode.BAD_INPUT);
    expect((err as ConectaError).message).toMatch(/bad\.json: overall\.errorRate: /);
    expect(readFileSync(bad, 'utf8')).toContain('"errorRate":2');
  });

  it('reads a v1 result: the generator CPU it kept among the metrics becomes the typed generator field', async () => {
    const r = await sampleResult();
    const v1 = join(dir, 'v1.json');
    const host = { ...r.meta.host, cpus: 4 };
    writeFileSync(v1, JSON.stringify({
      ...r, schema: 'conecta-load/run-result@1', meta: { ...r.meta, host },
      metrics: { ...r.metrics, k6_cpu_ratio: { type: 'gauge', value: 0.375, count: 30 }, k6_cpu_cores_mean: { type: 'gauge', value: 0.5, count: 30 } },
    }));
    const read = readRunResult(v1);
    expect(read.schema).toBe('conecta-load/run-result@2');
    expect(read.generator).toEqual({ peakCores: 1.5, meanCores: 0.5, cores: 4, samples: 30 });
    expect(read.metrics).toEqual(r.metrics);
    writeFileSync(v1, JSON.stringify({ ...r, schema: 'conecta-load/run-result@1' }));
    expect(readRunResult(v1)).toEqual(r);
  });
});
