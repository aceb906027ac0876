import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeralRange, freePortBlock } from '../../lib/free-port.js';

const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
});
const hold = (port: number) => new Promise<void>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(port, '127.0.0.1', () => (held.push(s), resolve()));
});

describe('ephemeralRange', () => {
  it('reads the kernel range, and falls back to Linux\'s default', () => {
    expect(ephemeralRange(() => '32768\t60999\n')).toEqual([32768, 60999]);
    expect(ephemeralRange(() => '40000 50000')).toEqual([40000, 50000]);
    expect(ephemeralRange(() => 'garbage')).toEqual([32768, 60999]);
    expect(ephemeralRange(() => { throw new Error('ENOENT'); })).toEqual([32768, 60999]);
  });
});

describe('freePortBlock', () => {
  it('gives a whole free block below the ephemeral range, and steps past a block with a port in use', async () => {
    const salt = 12345;
    const a = await freePortBlock(50, salt);
    expect(a).toBeGreaterThanOrEqual(20_000);
    expect(a + 50).toBeLessThanOrEqual(ephemeralRange()[0]);
    expect((a - 20_000) % 50).toBe(0);
    await hold(a + 37);
    const b = await freePortBlock(50, salt);
    expect(b).not.toBe(a);
    expect(Math.abs(b - a)).toBeGreaterThanOrEqual(50);
  });
});
