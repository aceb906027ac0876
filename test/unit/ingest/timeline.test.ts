import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { TimelineBuilder, WINDOW_S } from '../../../lib/ingest/timeline.js';
import { point, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-timeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const S = 1_767_323_045; // an epoch second
const at = (second: number, ms = 0) => (S + second) * 1000 + ms;
const req = (second: number, ms: number, durationMs: number, status = 200) =>
  requestLines({ timeMs: at(second, ms), durationMs, name: 'GET /x', url: 'http://h/x', status });

describe('timeline', () => {
  it('has one point per second: requests, errors, 429s, VUs and percentiles of that second', async () => {
    const lines = [
      // Second 1 comes first; second 0 arrives just after it (k6 flushes VUs' samples out of order).
      ...req(1, 500, 1.5, 429),
      point('vus', at(1, 0), 5, {}),
      ...req(0, 100, 1),
      ...req(0, 900, 2, 503),
      point('vus', at(0, 0), 4, {}),
      // Durations under 2.048 ms are exact in the histogram (3 significant digits of microseconds).
      // Second 2: nothing at all. Second 3: VUs change, one request.
      point('vus', at(3, 10), 8, {}),
      ...req(3, 20, 0.5),
    ];
    const file = join(dir, 'small.json');
    writeFileSync(file, lines.join('\n') + '\n');
    const { whole: r } = await ingestK6Output(file, { source: 'analyze' });
    // Each second with requests also carries its histogram (for `merge`); the figures are compared here.
    expect(r.timeline.map(({ histogram: _h, ...p }) => p)).toEqual([
      { t: S, requests: 2, errors: 1, rateLimited: 0, vus: 4, p50Ms: 1.5, p95Ms: 1.95, p99Ms: 1.99 }, // k6: rank p·(n−1)
      { t: S + 1, requests: 1, errors: 1, rateLimited: 1, vus: 5, p50Ms: 1.5, p95Ms: 1.5, p99Ms: 1.5 },
      { t: S + 2, requests: 0, errors: 0, rateLimited: 0, vus: 5, p50Ms: 0, p95Ms: 0, p99Ms: 0 },
      { t: S + 3, requests: 1, errors: 0, rateLimited: 0, vus: 8, p50Ms: 0.5, p95Ms: 0.5, p99Ms: 0.5 },
    ]);
    expect(r.ingest.lateSamples).toBe(0);
    expect(r.vusMax).toBe(8);
  });

  it('counts a sample older than the open window as late and adds it to the oldest open second', () => {
    const tl = new TimelineBuilder();
    tl.request(at(0), false);
    tl.request(at(WINDOW_S + 5), false); // closes seconds 0–5; seconds 6…15 stay open
    tl.request(at(0, 300), true); // late
    const points = tl.finish();
    expect(tl.lateSamples).toBe(1);
    expect(points.map((p) => p.t)).toEqual(Array.from({ length: WINDOW_S + 6 }, (_, i) => S + i));
    expect(points[0]).toMatchObject({ requests: 1, rateLimited: 0 });
    expect(points[6]).toMatchObject({ t: S + 6, requests: 1, rateLimited: 1 });
    expect(points.at(-1)).toMatchObject({ t: S + WINDOW_S + 5, requests: 1 });
    expect(points.reduce((a, p) => a + p.requests, 0)).toBe(3);
  });

  it('fills a gap longer than the window with empty seconds carrying the VU count', () => {
    const tl = new TimelineBuilder();
    tl.vus(at(0), 3);
    tl.request(at(0), false);
    tl.request(at(40), false);
    const points = tl.finish();
    expect(points).toHaveLength(41);
    expect(points.slice(1, 40).every((p) => p.requests === 0 && p.vus === 3)).toBe(true);
    expect(points[40]).toMatchObject({ t: S + 40, requests: 1, vus: 3 });
  });
});
