// The baseline a gate compares with: the newest passing (pass or warn) run of the same scenario and profile, not
// one of the runs being judged, and not one whose directory is gone.
import { describe, expect, it } from 'vitest';
import { lastPass } from '../../../lib/history/last-pass.js';
import { HISTORY_SCHEMA } from '../../../lib/history/schema.js';
import { historyEntry } from './fixtures.js';

const h = {
  schema: HISTORY_SCHEMA,
  runs: [
    historyEntry(4, 40, { verdict: 'warn' }),
    historyEntry(2, 20),
    historyEntry(5, 50, { verdict: 'fail' }),
    historyEntry(6, 60, { scenario: 'auth' }),
    historyEntry(3, 30),
  ],
};

describe('lastPass', () => {
  it('is the newest pass or warn of the scenario and profile, by start time', () => {
    expect(lastPass(h, 'mix', 'smoke', [])?.p95Ms).toBe(40);
    expect(lastPass(h, 'auth', 'smoke', [])?.p95Ms).toBe(60);
    expect(lastPass(h, 'mix', 'load-500', [])).toBeUndefined();
  });

  it('leaves out the runs being judged and runs whose directory is gone', () => {
    expect(lastPass(h, 'mix', 'smoke', ['/runs/run-04'])?.p95Ms).toBe(30);
    expect(lastPass(h, 'mix', 'smoke', [], (d) => d !== '/runs/run-04' && d !== '/runs/run-03')?.p95Ms).toBe(20);
  });
});
