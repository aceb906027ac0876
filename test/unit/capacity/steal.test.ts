import { describe, expect, it } from 'vitest';
import { stealNote } from '../../../lib/capacity/steal.js';

describe('the steal-time line', () => {
  const level = (users: number, steal: number | undefined) =>
    ({ users, generator: { hostCores: 2, ...(steal === undefined ? {} : { hostStealCores: steal }) } }) as unknown as Parameters<typeof stealNote>[0][number];

  it('names each level the hypervisor took 5 % of the cores or more from, and nothing below that', () => {
    expect(stealNote([level(500, 0.26), level(1000, 0.09), level(2000, 0.1)])).toBe(
      'Steal time: the hypervisor gave other guests 0.26 at 500, 0.10 at 2000 users (of 2 cores): CPU no cgroup in this ' +
      'machine isolates, so these levels move with the host\'s load, isolated or not.');
    expect(stealNote([level(500, 0.09), level(1000, undefined)])).toBeNull();
  });
});
