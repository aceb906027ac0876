import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { OWN_OPTIONS, ownProfile, planRun } from '../../../lib/run/plan.js';
import { scriptOptions, type ScriptSource } from '../../../lib/run/script.js';
import { refusalOf } from '../../conecta-error.js';

const T = 'http://127.0.0.1:8100';

// `k6 inspect --execution-requirements` of a script with `vus: 4, duration: '7s'` and a submetric threshold
// (k6 v2.2.0's output, the fields the plan reads and a few it does not).
const VUS_DURATION = {
  vus: 4, duration: '7s', stages: null, iterations: null,
  scenarios: { default: { executor: 'constant-vus', startTime: null, exec: null, vus: 4, duration: '7s' } },
  thresholds: { 'http_req_duration{name:x}': ['p(95)\u003c300'], checks: [{ threshold: 'rate>0.99', abortOnFail: true }] },
  totalDuration: '37s', maxVUs: 4,
};
// …and of one with a named scenario only.
const NAMED = {
  vus: null, duration: null, stages: null, thresholds: null,
  scenarios: { s: { executor: 'constant-vus', exec: 'foo', vus: 3, duration: '20s' } },
  totalDuration: '50s', maxVUs: 3,
};

const source = (json: unknown, exports = ['default', 'options']): ScriptSource =>
  ({ file: '/x/shop.ts', name: 'shop', code: '', exports, options: scriptOptions(json) });

describe('a user script\'s options as k6 reads them', () => {
  it('keeps VUs, duration, scenarios, thresholds (objects as their expression), peak VUs and total length', () => {
    expect(scriptOptions(VUS_DURATION)).toEqual({
      vus: 4, durationS: 7, scenarios: { default: { executor: 'constant-vus' } },
      thresholds: { 'http_req_duration{name:x}': ['p(95)<300'], checks: ['rate>0.99'] }, maxVUs: 4, totalDurationS: 37,
    });
    expect(scriptOptions(NAMED)).toEqual({ scenarios: { s: { executor: 'constant-vus', exec: 'foo' } }, thresholds: {}, maxVUs: 3, totalDurationS: 50 });
  });

  it('becomes the run\'s profile: stages with plateaus where the target holds, else VUs × duration, else the peak over the whole test', () => {
    const staged = ownProfile({ stages: [{ durationS: 10, target: 5 }, { durationS: 30, target: 5 }, { durationS: 5, target: 0 }], scenarios: {}, thresholds: {}, maxVUs: 5, totalDurationS: 75 });
    expect(staged.stages).toEqual([{ durationS: 10, users: 5, steady: false }, { durationS: 30, users: 5, steady: true }, { durationS: 5, users: 0, steady: false }]);
    expect(staged.peakVus).toBe(5);
    expect(ownProfile(scriptOptions(VUS_DURATION)).stages).toEqual([{ durationS: 7, users: 4, steady: true }]);
    expect(ownProfile(scriptOptions(NAMED)).stages).toEqual([{ durationS: 50, users: 3, steady: true }]);
  });
});

describe('planRun with a user script', () => {
  it('keeps the script\'s own options without a profile: only TARGET and the user\'s variables, no k6 flags', () => {
    const p = planRun({ scenario: 'mix', profile: OWN_OPTIONS, target: T, script: source(VUS_DURATION), env: { VUS: '9' } });
    expect(p.scenario).toBe('shop');
    expect(p.env).toEqual({ TARGET: T, VUS: '9' });
    expect(p.k6Args).toEqual([]);
    expect(p.profile.peakVus).toBe(4);
  });

  it('runs a profile\'s stages as k6 --stage flags on the default scenario', () => {
    const p = planRun({ scenario: 'mix', profile: 'load-100', target: T, scale: 0.1, steadyS: 30, script: source(NAMED) });
    expect(p.k6Args).toEqual(['--stage', '5s:10', '--stage', '30s:10', '--stage', '1s:0']);
    expect(p.env).toEqual({ TARGET: T, PROFILE: 'load-100', SCALE: '0.1', STEADY_S: '30' });
    expect(p.profile.peakVus).toBe(10);
  });

  it('says what to add to a script without a default export, and refuses what only a profile or a scenario has', () => {
    const e = refusalOf(() => planRun({ scenario: 'mix', profile: 'smoke', target: T, script: source(NAMED, ['options', 'foo']) }), ExitCode.USAGE);
    expect(e.message).toBe('/x/shop.ts has no default export, so the toolkit cannot set its stages');
    expect(e.hint).toMatch(/^add `export default function \(\) \{ … \}`/);
    expect(refusalOf(() => planRun({ scenario: 'mix', profile: 'load-100-open', target: T, script: source(NAMED) }), ExitCode.USAGE).message)
      .toBe('profile "load-100-open" with --script: an open profile needs the toolkit\'s scenarios');
    expect(refusalOf(() => planRun({ scenario: 'mix', profile: OWN_OPTIONS, target: T, steadyS: 30, script: source(NAMED) }), ExitCode.USAGE).message)
      .toMatch(/^--duration and --scale shape a profile/);
    expect(refusalOf(() => planRun({ scenario: 'mix', profile: OWN_OPTIONS, target: T }), ExitCode.USAGE).message).toBe('unknown profile "own"');
  });
});
