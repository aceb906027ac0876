import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMs } from '../../../lib/histogram.js';
import { startLiveServer } from '../../../lib/live/server.js';
import { ConectaError } from '../../../lib/exit-codes.js';

const h = createHistogram();
recordMs(h, 12);
const second = { t: 1000, requests: 1, failed: 0, rateLimited: 0, minMs: 12, maxMs: 12, histogram: encodeHistogram(h), vus: 3 };

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live server (loopback)', () => {
  it('serves the page and the view, pushes events, and sends the end as it closes', async () => {
    const s = await startLiveServer(0, 'demo');
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/`);
    const page = await get(s.port, '/');
    expect([page.status, page.body.includes('<h1>demo</h1>')]).toEqual([200, true]);
    // The event stream: the view at once, the published second, then the end when the server closes.
    const stream = get(s.port, '/events');
    s.publish({ kind: 'second', second });
    const view = JSON.parse((await get(s.port, '/view.json')).body) as { status: string; figures: { id: string; value: string }[] };
    expect([view.status, view.figures.find((f) => f.id === 'vus')?.value]).toEqual(['running', '3']);
    expect((await get(s.port, '/nothing')).status).toBe(404);
    // A page on another host name (DNS rebinding) gets nothing.
    expect((await get(s.port, '/view.json', 'evil.example:80')).status).toBe(403);
    await s.close();
    const events = (await stream).body.split('\n\n').filter((e) => e.startsWith('event:')).map((e) => e.split('\n')[0]);
    expect(events.at(-1)).toBe('event: end');
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a port in use in one line, exit 2', async () => {
    const a = await startLiveServer(0, 'a');
    try {
      const e = await startLiveServer(a.port, 'b').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConectaError);
      expect([(e as ConectaError).code, (e as Error).message]).toEqual([2, `--live: cannot listen on 127.0.0.1:${a.port} (in use); give another port, or none for a free one`]);
    } finally {
      await a.close();
    }
  });
});
