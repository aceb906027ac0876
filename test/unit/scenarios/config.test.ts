import { describe, expect, it } from 'vitest';
import {
  mixRequestsPerIteration, parseMix, personaForVu, readScenarioEnv, REQUESTS_PER_ITERATION, tuningFromEnv, type Persona,
} from '../../../scenarios/config.js';

describe('scenario environment', () => {
  it('defaults every variable of the runner contract', () => {
    expect(readScenarioEnv({})).toEqual({
      target: 'http://127.0.0.1:8100', profile: 'smoke', scale: 1, thinkMinS: 1, thinkMaxS: 5,
      mix: { morador: 70, porteiro: 20, sindico: 10 },
    });
  });

  it('reads and checks each variable', () => {
    const e = readScenarioEnv({
      TARGET: 'http://127.0.0.1:9000/', PROFILE: 'load-500-open', SCALE: '0.05', STEADY_S: '30', THINK_MIN_S: '0.5',
      THINK_MAX_S: '1.5', MIX: '50, 30, 20', USERS_FILE: '/tmp/u.json',
    });
    expect(e).toEqual({
      target: 'http://127.0.0.1:9000', profile: 'load-500-open', scale: 0.05, steadyS: 30, thinkMinS: 0.5, thinkMaxS: 1.5,
      mix: { morador: 50, porteiro: 30, sindico: 20 }, usersFile: '/tmp/u.json',
    });
    expect(tuningFromEnv(e, 8)).toEqual({
      scale: 0.05, steadyS: 30, thinkMeanS: 1, requestsPerIteration: 8,
    });
    expect(readScenarioEnv({ THINK_MIN_S: '7' }).thinkMaxS).toBe(7);
    expect(() => readScenarioEnv({ SCALE: '0' })).toThrow("SCALE: must be a positive number, got '0'");
    expect(() => readScenarioEnv({ SCALE: 'big' })).toThrow("SCALE: must be a number ≥ 0, got 'big'");
    expect(() => readScenarioEnv({ STEADY_S: '0' })).toThrow("STEADY_S: must be a number ≥ 1, got '0'");
    expect(() => readScenarioEnv({ THINK_MIN_S: '3', THINK_MAX_S: '2' })).toThrow('THINK_MAX_S (2) must not be below THINK_MIN_S (3)');
  });

  it('parses MIX as three non-negative weights', () => {
    expect(parseMix('1,0,0')).toEqual({ morador: 1, porteiro: 0, sindico: 0 });
    for (const bad of ['70,20', '70,20,10,5', '0,0,0', '-1,2,3', 'a,b,c']) expect(() => parseMix(bad)).toThrow(/^MIX: expected three weights/);
  });

  it('weights requests per iteration by the mix', () => {
    expect(mixRequestsPerIteration({ morador: 70, porteiro: 20, sindico: 10 })).toBeCloseTo(0.7 * 9 + 0.2 * 9 + 0.1 * 10.25, 12);
    expect(mixRequestsPerIteration({ morador: 0, porteiro: 1, sindico: 0 })).toBe(REQUESTS_PER_ITERATION.porteiro);
  });
});

describe('personaForVu', () => {
  const split = (n: number, mix = { morador: 70, porteiro: 20, sindico: 10 }) => {
    const counts: Record<Persona, number> = { morador: 0, porteiro: 0, sindico: 0 };
    for (let vu = 1; vu <= n; vu++) {
      const { persona, ordinal } = personaForVu(vu, mix);
      expect(ordinal).toBe(counts[persona]); // ordinals number each persona's VUs 0, 1, 2, …
      counts[persona]++;
    }
    return counts;
  };

  it('gives the first VUs one persona each, heaviest first, so a 3-VU smoke covers all', () => {
    expect([1, 2, 3].map((vu) => personaForVu(vu, { morador: 70, porteiro: 20, sindico: 10 }).persona)).toEqual(['morador', 'porteiro', 'sindico']);
    expect([1, 2].map((vu) => personaForVu(vu, { morador: 10, porteiro: 0, sindico: 30 }).persona)).toEqual(['sindico', 'morador']);
  });

  it('splits 70/20/10 exactly at every 10 VUs and within one VU of the share from VU 4 on', () => {
    expect(split(10)).toEqual({ morador: 7, porteiro: 2, sindico: 1 });
    expect(split(100)).toEqual({ morador: 70, porteiro: 20, sindico: 10 });
    expect(split(1000)).toEqual({ morador: 700, porteiro: 200, sindico: 100 });
    for (let n = 4; n <= 200; n++) {
      const c = split(n);
      expect(Math.abs(c.morador - 0.7 * n)).toBeLessThan(1 + 1e-9);
      expect(Math.abs(c.porteiro - 0.2 * n)).toBeLessThan(1 + 1e-9);
      expect(Math.abs(c.sindico - 0.1 * n)).toBeLessThan(1 + 1e-9);
    }
  });

  it('keeps a lopsided mix within 2 VUs of its share (the seeding puts the light personas ahead)', () => {
    const mix = { morador: 98, porteiro: 1, sindico: 1 };
    for (let n = 1; n <= 300; n++) {
      const c = split(n, mix);
      for (const p of ['morador', 'porteiro', 'sindico'] as const) expect(Math.abs(c[p] - (n * mix[p]) / 100)).toBeLessThan(2);
    }
    expect(split(100, mix)).toEqual({ morador: 98, porteiro: 1, sindico: 1 });
  });

  it('gives every VU the persona and ordinal of the rule replayed from VU 1, far past the first cycles', () => {
    // The rule as documented, replayed from VU 1 for each VU (the O(vuId) form personaForVu skips cycles of).
    const oracle = (n: number, mix: Record<Persona, number>) => {
      const active = (['morador', 'porteiro', 'sindico'] as const).filter((p) => mix[p] > 0).sort((a, b) => mix[b] - mix[a]);
      const total = active.reduce((s, p) => s + mix[p], 0);
      const counts: Record<Persona, number> = { morador: 0, porteiro: 0, sindico: 0 };
      const out: Array<{ persona: Persona; ordinal: number }> = [];
      for (let i = 1; i <= n; i++) {
        let chosen: Persona = active[0]!;
        if (i <= active.length) chosen = active[i - 1]!;
        else {
          let best = -Infinity;
          for (const p of active) if ((i * mix[p]) / total - counts[p] > best + 1e-9) (best = (i * mix[p]) / total - counts[p]), (chosen = p);
        }
        out.push({ persona: chosen, ordinal: counts[chosen] });
        counts[chosen]++;
      }
      return out;
    };
    const mixes = [
      { morador: 70, porteiro: 20, sindico: 10 }, { morador: 50, porteiro: 30, sindico: 20 }, { morador: 1, porteiro: 1, sindico: 1 },
      { morador: 98, porteiro: 1, sindico: 1 }, { morador: 3, porteiro: 0, sindico: 7 }, { morador: 0.5, porteiro: 0.3, sindico: 0.2 },
    ];
    for (const mix of mixes) {
      const want = oracle(2500, mix);
      for (let vu = 1; vu <= 2500; vu++) expect(personaForVu(vu, mix), `${JSON.stringify(mix)} VU ${vu}`).toEqual(want[vu - 1]);
    }
  });

  it('never picks a persona of weight 0', () => {
    expect(split(50, { morador: 1, porteiro: 0, sindico: 1 })).toEqual({ morador: 25, porteiro: 0, sindico: 25 });
  });
});
