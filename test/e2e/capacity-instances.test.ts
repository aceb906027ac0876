// End to end: the instance sweep with --scale-command on the embedded stack: the user's command (here
// `conecta-load sandbox scale`) resizes a running stack between counts, awaited on its /health, and instances.json
// records each count's measurement and how the stack was resized.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInstanceSweep, sweepStarter } from '../../lib/capacity/sweep.js';
import { memoryIo } from '../../lib/io.js';
import { sandboxStatus, startSandbox } from '../../lib/sandbox/control.js';

const out = mkdtempSync(join(tmpdir(), 'conecta-instances-'));
const io = () => memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('capacity run --instances', () => {
  it('resizes a running stack by --scale-command between counts, awaiting its readiness', async () => {
    const port = 8405;
    const sb = await startSandbox({ port, instances: 1, noLimits: true, dataDir: join(out, 'embedded'), seedScale: 0.05 });
    try {
      const cli = resolve('bin/conecta-load.js');
      const s = sweepStarter({ scaleCommand: `node ${cli} sandbox scale --port ${port} --instances {n}` }, [1, 2], sb.url);
      const { scaling } = await runInstanceSweep({
        counts: [2, 1], ...s,
        run: { target: sb.url, levels: [100], scale: 0.05, steadyS: 10, coolDownS: 1, outDir: join(out, 'scaled'), env: { THINK_MIN_S: '0.5', THINK_MAX_S: '1' }, progress: false },
      }, io());
      expect(scaling.instanceSize).toEqual({ cpu: null, memBytes: null, how: `your stack, resized by: node ${cli} sandbox scale --port ${port} --instances {n}` });
      expect(scaling.points.map((p) => [p.instances, p.peakThroughputRps > 0])).toEqual([[1, true], [2, true]]);
      // The last count the sweep asked for (in ascending order) is what runs now, and the stack the user owns still runs.
      const status = await sandboxStatus(port);
      expect(status.running).toBe(true);
      expect(status.components.filter((c) => c.role === 'api')).toHaveLength(2);
    } finally {
      await sb.stop();
    }
  }, 150_000);
});
