// End to end: the instance sweep. (1) The bundled full stack restarted at 1 and 2 API instances, each in a cgroup
// of 0.2 CPU, the same small ladder measured at each (real k6, the stack's Prometheus): instances.json states the
// size, and two quota-bound instances serve more than one. (2) --scale-command on the embedded stack: the user's
// command (here `conecta-load sandbox scale`) resizes a running stack between counts, awaited on its /health.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInstanceSweep, sweepStarter } from '../../lib/capacity/sweep.js';
import { formatScaling, type InstanceScaling } from '../../lib/capacity/scaling.js';
import { memoryIo } from '../../lib/io.js';
import { fullStackUnavailable } from '../../lib/sandbox/index.js';
import { sandboxStatus, startSandbox } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/state.js';
import { freeBlock } from './full-stack-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'conecta-instances-'));
const io = () => memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('capacity run --instances', () => {
  it.skipIf(fullStackUnavailable() !== undefined)('measures the full stack at 1 and 2 instances of 0.2 CPU each and fits per instance', async () => {
    const port = await freeBlock();
    const target = `http://127.0.0.1:${port}`;
    const s = sweepStarter({ stack: 'full', apiCpu: 0.2 }, [1, 2], target, { dataDir: join(out, 'full'), seedScale: 0.05, noLimits: true });
    const { dir, scaling } = await runInstanceSweep({
      counts: [1, 2], ...s,
      run: { target, levels: [2000, 8000], scale: 0.02, steadyS: 15, coolDownS: 1, outDir: join(out, 'sweep'), env: { THINK_MIN_S: '0.05', THINK_MAX_S: '0.2' }, progress: false },
    }, io());
    console.log(formatScaling(scaling));
    expect(JSON.parse(readFileSync(join(dir, 'instances.json'), 'utf8'))).toEqual(scaling);
    expect(scaling.schema).toBe('conecta-load/instance-scaling@2');
    expect(scaling.instanceSize).toEqual({ cpu: 0.2, memBytes: null, how: 'the full stack restarted at each count, each API instance in a cgroup of 0.2 CPU' });
    expect(scaling.points.map((p) => p.instances)).toEqual([1, 2]);
    const [one, two] = scaling.points;
    // Each count measured on its own stack: 160 VUs at ~7 requests a second each ask more than one instance of 0.2 CPU
    // serves (it held 80 VUs at ~480 rps, P95 143 ms, its CPU at 0.19 cores), so one instance breaks and two serve more.
    expect(one!.maxUsersHeld ?? 0).toBeLessThan(8000);
    expect(two!.peakThroughputRps).toBeGreaterThan(one!.peakThroughputRps * 1.2);
    expect(scaling.fit.perInstanceRps).toBeGreaterThan(0);
    // The stack is stopped after the last count: no state left on its port.
    expect(readFullState(port)).toBeUndefined();
  }, 240_000);

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
