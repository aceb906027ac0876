// Fault plans a careless user or an attacker writes: every problem fails the plan before any load, in one short line.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExecCommands } from '../../../lib/chaos/exec-check.js';
import { parseChaosFlags, parsePlanSteps } from '../../../lib/chaos/plan.js';
import { readPlan } from '../../../lib/chaos/prepare.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { refusalOf } from '../../conecta-error.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-plan-h-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const usage = (f: () => unknown): string => refusalOf(f, ExitCode.USAGE).message;

describe('fault plan validation', () => {
  it('refuses an empty argv, a NUL byte and an oversized argument, without echoing the argument', () => {
    expect(usage(() => parsePlanSteps([{ at: '1s', action: 'exec', argv: [''] }], 'plan.json'))).toBe('chaos "plan.json: chaos.0": exec needs a command');
    expect(usage(() => parsePlanSteps([{ at: '1s', action: 'exec', argv: ['echo', 'a\u0000b'] }], 'plan.json'))).toBe('chaos "plan.json: chaos.0": exec argument 1 holds a NUL byte');
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const msg = usage(() => parseChaosFlags([`exec:echo ${huge}@1s`]));
    expect(msg).toBe(`chaos "exec:echo ${'x'.repeat(67)}…": exec argument 1 is 10485760 bytes, more than 4096`);
  });

  it('refuses an exec command that is not on PATH or not runnable', () => {
    const plan = parseChaosFlags(['exec:no-such-binary-conecta --x@1s', 'exec:./missing.sh@2s']);
    expect(usage(() => checkExecCommands([plan[0]!], dir, '/usr/bin:/bin'))).toBe('chaos "exec:no-such-binary-conecta --x@1s": no command "no-such-binary-conecta" on PATH');
    expect(usage(() => checkExecCommands([plan[1]!], dir, '/usr/bin:/bin'))).toBe('chaos "exec:./missing.sh@2s": no command "./missing.sh" that may be run');
    expect(() => checkExecCommands(parseChaosFlags(['exec:sh -c true@1s']), dir, '/usr/bin:/bin')).not.toThrow();
  });

  it('refuses unknown top-level keys in a plan file', () => {
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify({ chaos: [{ at: '1s', action: 'promote-replica' }], chaoss: [] }));
    expect(usage(() => readPlan({ flags: [], planFile: 'plan.json', cwd: dir }))).toBe('plan.json: chaoss: Unexpected property');
  });
});
