// `capacity run` refuses a bad sweep before any load: one line, exit 2. The target is a closed port, so a refusal
// that came after the checks would show as another exit code.
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { memoryIo } from '../../../lib/io.js';
import { checkScaleCommand } from '../../../lib/capacity/scale-command.js';

async function capacity(...args: string[]): Promise<{ code: number; err: string }> {
  const mem = memoryIo({ env: {}, cwd: process.cwd(), now: Date.now });
  let code = 0;
  try {
    await buildProgram(mem, (c) => (code = c)).parseAsync(['node', 'conecta-load', 'capacity', 'run', '--target', 'http://127.0.0.1:9', ...args]);
  } catch (e) {
    code = exitCodeOf(e, mem);
  }
  return { code, err: mem.err.join('') };
}

describe('capacity run: sweep flags refused before any load', () => {
  it.each([
    [['--instances', '1,2', '--scale-command', 'kubectl scale deploy/api --replicas=3'], '--scale-command "kubectl scale deploy/api --replicas=3" has no {n}: it would run the same command at every count'],
    [['--instances', '1,2', '--scale-command', '  '], '--scale-command is empty: give a command with {n} where the instance count goes'],
    [['--instances', '1,2', '--scale-command', 'x {n}', '--stack', 'full'], '--scale-command resizes your own stack: --stack, --api-cpu and --api-mem apply to the bundled one'],
    [['--instances', '1,2', '--api-cpu', '0.2'], '--api-cpu and --api-mem size the full stack\'s instances: add --stack full'],
    [['--instances', '1,2', '--ready-url', 'http://127.0.0.1:9/health'], '--ready-url and --ready-timeout go with --scale-command'],
    [['--instances', '1,2', '--stack', 'big'], '--stack must be full or embedded, got "big"'],
    [['--api-cpu', '0.2', '--stack', 'full'], '--stack, --api-cpu, --api-mem, --scale-command and --ready-url resize the stack between counts: give --instances a list (e.g. 1,2,3)'],
    [['--instances', '1,2', '--stack', 'full', '--api-cpu', '0'], '--api-cpu must be a positive number, got "0"'],
    [['--instances', '1,2', '--stack', 'full', '--api-cpu', String(cpus().length + 1)], `sandbox: --api-cpu ${cpus().length + 1} is above this machine's ${cpus().length} CPU`],
    [['--instances', '1,64', '--stack', 'full', '--api-cpu', '0.5'], 'sandbox: 64 API instances × --api-cpu 0.5 = 32 CPU, more than the stack\'s CPU set'],
    [['--search', '--search-budget', 'soon'], 'duration "soon" is not valid'],
  ])('%j', async (args, line) => {
    const r = await capacity(...args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(line);
    expect(r.err.trim().split('\n').filter((l) => !/^hint|^\s/.test(l))).toHaveLength(1);
  });

  it('accepts a template with {n}', () => {
    expect(() => checkScaleCommand('kubectl scale deploy/api --replicas={n}')).not.toThrow();
  });
});
