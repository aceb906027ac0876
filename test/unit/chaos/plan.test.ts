import { describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { checkPlan, parseChaosFlags, parsePlanSteps, splitList, type Capabilities } from '../../../lib/chaos/plan.js';
import { expandPlan } from '../../../lib/chaos/runner.js';
import { refusalOf } from '../../conecta-error.js';

const embedded: Capabilities = {
  description: 'the embedded sandbox',
  instances: ['api-1', 'api-2', 'api-3'],
  cannot: (k) => (k === 'promote-replica' ? 'no replica' : undefined),
};

const usage = (f: () => unknown): string => refusalOf(f, ExitCode.USAGE).message;

describe('parseChaosFlags', () => {
  it('parses every action kind, comma lists and repeated flags', () => {
    const plan = parseChaosFlags(['restart:api-2@61s,kill:api-1@1m30s', 'scale:5@10', 'promote-replica@2m,failover:redis@150s', 'rolling-restart@5s'], 20);
    expect(plan.map((p) => [p.atS, p.action])).toEqual([
      [61, { kind: 'restart', instance: 'api-2' }],
      [90, { kind: 'kill', instance: 'api-1' }],
      [10, { kind: 'scale', count: 5 }],
      [120, { kind: 'promote-replica' }],
      [150, { kind: 'failover', service: 'redis' }],
      [5, { kind: 'rolling-restart', gapS: 20 }],
    ]);
  });

  it('keeps an exec command whole, commas and @ included, as an argument vector', () => {
    expect(splitList('exec:curl -d a,b http://x@y@30s,restart:api-1@40s')).toEqual(['exec:curl -d a,b http://x@y@30s', 'restart:api-1@40s']);
    const [e] = parseChaosFlags(['exec:docker  compose restart api-1@30s']);
    expect(e).toEqual({ atS: 30, action: { kind: 'exec', argv: ['docker', 'compose', 'restart', 'api-1'] }, source: 'exec:docker  compose restart api-1@30s' });
  });

  it('rejects what it does not know with one line', () => {
    expect(usage(() => parseChaosFlags(['reboot@3s']))).toBe('chaos "reboot@3s": unknown action "reboot"');
    expect(usage(() => parseChaosFlags(['restart:web-1@3s']))).toBe('chaos "restart:web-1@3s": instance must be api-N (e.g. api-2)');
    expect(usage(() => parseChaosFlags(['failover:postgres@3s']))).toBe('chaos "failover:postgres@3s": only failover:redis is known');
    expect(usage(() => parseChaosFlags(['kill:api-1']))).toBe('chaos "kill:api-1": missing "@<time>" (e.g. restart:api-2@61s)');
    expect(usage(() => parseChaosFlags(['kill:api-1@soon']))).toBe('chaos "kill:api-1@soon": time "soon" is not a duration (e.g. 61s, 1m30s)');
    expect(usage(() => parseChaosFlags(['exec:@3s']))).toBe('chaos "exec:@3s": exec needs a command');
    expect(usage(() => parseChaosFlags(['scale:0@3s']))).toBe('chaos "scale:0@3s": scale needs at least 1 instance');
  });
});

describe('kill:object-storage', () => {
  it('names the object store as a kill target, and only where the stack runs one', () => {
    const [p] = parseChaosFlags(['kill:object-storage@20s']);
    expect(p!.action).toEqual({ kind: 'kill', instance: 'object-storage' });
    expect(usage(() => parseChaosFlags(['kill:postgres-primary@3s']))).toBe('chaos "kill:postgres-primary@3s": kill: names api-N (e.g. api-2) or object-storage');
    expect(usage(() => parseChaosFlags(['restart:object-storage@3s']))).toBe('chaos "restart:object-storage@3s": instance must be api-N (e.g. api-2)');
    const full: Capabilities = { ...embedded, description: 'the full stack', components: ['object-storage'] };
    expect(() => checkPlan([p!], 45, full)).not.toThrow();
    expect(usage(() => checkPlan([p!], 45, embedded))).toBe('chaos "kill:object-storage@20s": the embedded sandbox has no object-storage (it has api-1, api-2, api-3)');
  });
});

describe('parsePlanSteps', () => {
  it('reads a plan file\'s steps, exec with its argv as given', () => {
    const plan = parsePlanSteps([
      { at: '30s', action: 'exec', argv: ['docker', 'compose', 'restart', 'api 1'] },
      { at: 5, action: 'rolling-restart', gap: '10s' },
    ], 'plan.json');
    expect(plan.map((p) => [p.atS, p.action])).toEqual([
      [30, { kind: 'exec', argv: ['docker', 'compose', 'restart', 'api 1'] }],
      [5, { kind: 'rolling-restart', gapS: 10 }],
    ]);
    expect(usage(() => parsePlanSteps([{ at: 1, action: 'kill:api-1', argv: ['x'] }], 'plan.json'))).toBe('chaos "plan.json: chaos.0": argv is only for the exec action');
  });
});

describe('checkPlan', () => {
  it('accepts a plan inside the run on a target that can do it', () => {
    expect(() => checkPlan(parseChaosFlags(['rolling-restart@5s', 'kill:api-3@44s'], 19), 45, embedded)).not.toThrow();
  });

  it('refuses times past the end (a rolling restart by its last step), unknown instances and actions the target lacks', () => {
    expect(usage(() => checkPlan(parseChaosFlags(['kill:api-1@45s']), 45, embedded))).toBe('chaos "kill:api-1@45s": 45 s is past the run\'s end at 45 s');
    expect(usage(() => checkPlan(parseChaosFlags(['rolling-restart@5s'], 20), 45, embedded))).toBe(
      'chaos "rolling-restart@5s": its last restart (45 s) is past the run\'s end at 45 s');
    expect(usage(() => checkPlan(parseChaosFlags(['restart:api-4@5s']), 45, embedded))).toBe(
      'chaos "restart:api-4@5s": the embedded sandbox has no api-4 (it has api-1, api-2, api-3)');
    expect(usage(() => checkPlan(parseChaosFlags(['promote-replica@5s']), 45, embedded))).toBe(
      'chaos "promote-replica@5s": the embedded sandbox cannot promote-replica: no replica');
  });
});

describe('expandPlan', () => {
  it('turns a rolling restart into one restart per instance, gap apart, all steps in time order', () => {
    const steps = expandPlan(parseChaosFlags(['kill:api-2@12s', 'rolling-restart@5s', 'exec:true@5s'], 10), ['api-1', 'api-2', 'api-3']);
    expect(steps.map((s) => [s.index, s.atS, s.label, s.group ?? null, s.deploy])).toEqual([
      [1, 5, 'restart:api-1', 'rolling-restart@5s', true],
      [2, 5, 'exec:true', null, false],
      [3, 12, 'kill:api-2', null, false],
      [4, 15, 'restart:api-2', 'rolling-restart@5s', true],
      [5, 25, 'restart:api-3', 'rolling-restart@5s', true],
    ]);
  });
});
