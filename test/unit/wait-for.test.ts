// The tests' event wait: it returns the probe's first value, and past its bound it fails naming the event.
import { describe, expect, it } from 'vitest';
import { progressRequests, waitFor } from '../wait-for.js';

describe('waitFor', () => {
  it('returns the first value the probe gives, polling until then', async () => {
    let calls = 0;
    expect(await waitFor('the third call', () => (++calls === 3 ? 'three' : undefined), { everyMs: 1 })).toBe('three');
    expect(calls).toBe(3);
    expect(await waitFor('zero', async () => 0)).toBe(0);
  });

  it('fails past its bound, naming what it waited for and the last thing seen', async () => {
    await expect(waitFor('the impossible', () => false, { timeoutMs: 30, everyMs: 5, seen: () => 'nothing' }))
      .rejects.toThrow('timed out after 0.03 s waiting for the impossible (last seen: nothing)');
  });
});

describe('progressRequests', () => {
  it('reads the request count of the newest progress line', () => {
    const stderr = 'Running mix/smoke ×1 against http://127.0.0.1:1 (k6 v2.2.0) → x\n' +
      '     2s  VUs     1  requests        0  failed 0.00 %\n' +
      '    14s  VUs     3  requests      238  failed 0.00 %\n';
    expect(progressRequests(stderr)).toBe(238);
    expect(progressRequests('Running mix/smoke\n')).toBeUndefined();
  });
});
