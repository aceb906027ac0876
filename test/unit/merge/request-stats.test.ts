// Merging runners keeps k6's timing phases: each phase's histograms merge exactly (lib/histogram.ts), its mean is
// the count-weighted one, and the merged phases equal those of one ingest of every runner's lines taken together.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../../lib/histogram.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { mergeResults } from '../../../lib/merge/merge.js';
import { mergePhases, mergeRequestStats } from '../../../lib/merge/request-stats.js';
import type { RunResult } from '../../../lib/result/schema.js';
import { builtinDecls, point } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-merge-phases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(lines: string[]): string {
  const file = join(dir, `r${n++}.json`);
  writeFileSync(file, [...builtinDecls(), ...lines].join('\n') + '\n');
  return file;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const PHASE_METRICS = ['blocked', 'connecting', 'tls_handshaking', 'sending', 'waiting', 'receiving'] as const;
type Ph = Record<(typeof PHASE_METRICS)[number], number>;

/** One request's lines (duration = sending + waiting + receiving, as k6 reports it), with or without its phases. */
function request(i: number, ph: Ph, withPhases = true): string[] {
  const tags = { name: '/a', method: 'GET', url: 'http://127.0.0.1:8100/a', status: '200', scenario: 'default', expected_response: 'true' };
  const t = T0 + i * 10;
  const lines = [point('http_reqs', t, 1, tags), point('http_req_duration', t, ph.sending + ph.waiting + ph.receiving, tags)];
  if (withPhases) for (const p of PHASE_METRICS) lines.push(point(`http_req_${p}`, t, ph[p], tags));
  lines.push(point('http_req_failed', t, 0, tags));
  return lines;
}

// Below 2.048 ms the histogram holds every value exactly (3 significant digits of µs): the P95s below are exact.
const A: Ph[] = [
  { blocked: 1.0, connecting: 0.5, tls_handshaking: 0, sending: 0.01, waiting: 1.0, receiving: 0.1 },
  { blocked: 0.01, connecting: 0, tls_handshaking: 0, sending: 0.02, waiting: 1.2, receiving: 0.2 },
  { blocked: 0.01, connecting: 0, tls_handshaking: 0, sending: 0.03, waiting: 1.4, receiving: 0.3 },
  { blocked: 0.02, connecting: 0, tls_handshaking: 0, sending: 0.04, waiting: 2.0, receiving: 0.4 },
];
const B: Ph[] = [
  { blocked: 0.1, connecting: 0, tls_handshaking: 0, sending: 0.1, waiting: 0.5, receiving: 0.1 },
  { blocked: 0.3, connecting: 0.2, tls_handshaking: 0, sending: 0.1, waiting: 0.7, receiving: 0.1 },
];

async function ingest(lines: string[]): Promise<RunResult> {
  return (await ingestK6Output(write(lines), { source: 'analyze', scenario: 'mix', profile: 'smoke' })).whole;
}

describe('merge: k6 timing phases', () => {
  it('merges each phase exactly: counts add, count-weighted means, P95 off the merged histogram', async () => {
    const a = await ingest(A.flatMap((ph, i) => request(i, ph)));
    const b = await ingest(B.flatMap((ph, i) => request(i, ph)));
    const m = mergeRequestStats([a.overall, b.overall], 1).phases!;
    expect(m.waiting.count).toBe(6);
    expect(m.waiting.meanMs).toBeCloseTo(6.8 / 6, 12);
    // waiting sorted: 0.5 0.7 1.0 1.2 1.4 2.0; rank 0.95·5 = 4.75: 1.4 + 0.75·(2.0 − 1.4)
    expect(m.waiting.p95Ms).toBeCloseTo(1.85, 9);
    expect(m.blocked.meanMs).toBeCloseTo(1.44 / 6, 12);
    expect(m.connecting.meanMs).toBeCloseTo(0.7 / 6, 12);
    // connecting sorted: 0 0 0 0 0.2 0.5; rank 4.75: 0.2 + 0.75·(0.5 − 0.2)
    expect(m.connecting.p95Ms).toBeCloseTo(0.425, 9);
    expect([m.tlsHandshaking.count, m.tlsHandshaking.meanMs, m.tlsHandshaking.p95Ms]).toEqual([6, 0, 0]);
    expect(m.sending.meanMs).toBeCloseTo(0.3 / 6, 12);
    expect(m.receiving.meanMs).toBeCloseTo(1.2 / 6, 12);
    expect(decodeHistogram(m.waiting.histogram).totalCount).toBe(6);
  });

  it('gives the phases one ingest of all the lines gives, overall and per endpoint, through mergeResults', async () => {
    const aLines = A.flatMap((ph, i) => request(i, ph));
    const bLines = B.flatMap((ph, i) => request(i + 100, ph));
    const [a, b, whole] = await Promise.all([ingest(aLines), ingest(bLines), ingest([...aLines, ...bLines])]);
    const merged = mergeResults([{ source: 'a', result: a }, { source: 'b', result: b }], { force: true });
    for (const key of ['blocked', 'connecting', 'tlsHandshaking', 'sending', 'waiting', 'receiving'] as const) {
      for (const [m, w] of [[merged.overall.phases!, whole.overall.phases!], [merged.endpoints['/a']!.phases!, whole.endpoints['/a']!.phases!]] as const) {
        expect(m[key].count).toBe(w[key].count);
        expect(m[key].meanMs).toBeCloseTo(w[key].meanMs, 12);
        expect(m[key].p95Ms).toBe(w[key].p95Ms);
      }
    }
  });

  it('keeps no phases when a runner that sent requests kept none: they would describe only part of the requests', async () => {
    const a = await ingest(A.flatMap((ph, i) => request(i, ph)));
    const bare = await ingest(B.flatMap((ph, i) => request(i, ph, false)));
    expect(bare.overall.phases).toBeUndefined();
    expect(mergePhases([a.overall, bare.overall])).toBeUndefined();
    expect(mergeRequestStats([a.overall, bare.overall], 1).phases).toBeUndefined();
    // A runner without requests (and so without phases) takes nothing away.
    const idle = { ...bare.overall, requests: 0 };
    expect(mergePhases([a.overall, idle])!.waiting.count).toBe(4);
  });
});
