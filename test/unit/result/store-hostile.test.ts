// result.json written over an old run drops that run's verdict; names from the script read back as data only.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { readRunResult, writeRunResult } from '../../../lib/result/store.js';
import { builtinDecls, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-store-h-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function result(names: string[]) {
  const file = join(dir, `k6-${names.length}-${names[0]!.length}.json`);
  const lines = [...builtinDecls()];
  for (let i = 0; i < 30; i++) lines.push(...requestLines({ timeMs: Date.UTC(2026, 0, 1) + i * 10, durationMs: 3, name: names[i % names.length]!, url: 'http://h/a', status: 200 }));
  writeFileSync(file, lines.join('\n') + '\n');
  return (await ingestK6Output(file, { source: 'analyze' })).whole;
}

describe('run result store, hostile cases', () => {
  it('removes a verdict.json left by the run that was in the folder before', async () => {
    const run = join(dir, 'run');
    writeRunResult(run, await result(['GET /a']));
    writeFileSync(join(run, 'verdict.json'), '{"status":"fail"}');
    writeRunResult(run, await result(['GET /a']));
    expect(existsSync(join(run, 'verdict.json'))).toBe(false);
    expect(existsSync(join(run, 'result.json'))).toBe(true);
  });

  it('reads name-keyed maps without a prototype: another run\'s `toString` is absent, `__proto__` is an endpoint', async () => {
    const run = join(dir, 'names');
    writeRunResult(run, await result(['__proto__', 'constructor']));
    const r = readRunResult(run);
    expect(Object.keys(r.endpoints)).toEqual(['__proto__', 'constructor']);
    expect(r.endpoints['__proto__']!.requests).toBe(15);
    expect(r.endpoints['toString']).toBeUndefined();
    expect('hasOwnProperty' in r.metrics).toBe(false);
    expect(r.overall.statusCodes['valueOf']).toBeUndefined();
    expect(r.overall.statusCodes['200']).toBe(30);
  });

  it('refuses a corrupt histogram with exit 7 naming the file and the key', async () => {
    const run = join(dir, 'corrupt');
    const r = await result(['GET /a']);
    for (const [h, why] of [['abc', 'not a histogram (base64 of the wrong length or alphabet)'], ['AAAAAAAA', 'not a histogram (Encoding not supported, only V2 is supported)']] as const) {
      writeRunResult(run, { ...r, endpoints: { 'GET /a': { ...r.endpoints['GET /a']!, histogram: h } } });
      expect(() => readRunResult(run)).toThrow(expect.objectContaining({ code: ExitCode.BAD_INPUT, message: `${join(run, 'result.json')}: endpoints.GET /a.histogram: ${why}` }));
    }
  });
});
