// cli/main.ts exitCodeOf: every kind of thrown thing becomes one line on stderr and its own exit code; a bug's
// stack goes to a file in the temporary folder, never to the terminal.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { memoryIo } from '../../../lib/io.js';

function freshIo() {
  const tmp = mkdtempSync(join(tmpdir(), 'conecta-exit-code-'));
  return { io: memoryIo({ cwd: tmp, tmpdir: tmp, now: () => Date.UTC(2026, 11, 2, 10, 0, 0) }), tmp };
}

/** An error shaped as Node's file system throws it (code, errno, syscall, path). */
function fsError(code: string, syscall: string, path: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall} '${path}'`), { code, errno: -28, syscall, path });
}

describe('exitCodeOf', () => {
  it('prints a ConectaError as its one line and returns its code', () => {
    const { io } = freshIo();
    const code = exitCodeOf(new ConectaError('thresholds.json: targets.p95: bad\ncriterion', ExitCode.USAGE, 'e.g. <300ms'), io);
    expect(code).toBe(ExitCode.USAGE);
    expect(io.err).toEqual(['conecta-load: thresholds.json: targets.p95: bad criterion (e.g. <300ms)\n']);
  });

  it('maps a commander error to the usage code (commander printed it) and help to 0', () => {
    const { io } = freshIo();
    expect(exitCodeOf(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--nope'"), io)).toBe(ExitCode.USAGE);
    expect(exitCodeOf(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), io)).toBe(ExitCode.OK);
    expect(io.err).toEqual([]);
  });

  it('maps a file-system refusal (ENOSPC) to the I/O code with one line naming the path and what the disk said', () => {
    const { io, tmp } = freshIo();
    const code = exitCodeOf(fsError('ENOSPC', 'write', '/results/run-1/k6-output.json.gz', 'no space left on device'), io);
    expect(code).toBe(ExitCode.IO);
    expect(io.err).toEqual(['conecta-load: /results/run-1/k6-output.json.gz: no space left on the device (ENOSPC on write)\n']);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('maps real file-in-the-way and folder-for-a-file refusals to the I/O code', () => {
    const { io, tmp } = freshIo();
    const file = join(tmp, 'results');
    writeFileSync(file, 'not a folder');
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('expected a throw');
    };
    expect(exitCodeOf(thrown(() => mkdirSync(file)), io)).toBe(ExitCode.IO);
    expect(exitCodeOf(thrown(() => mkdirSync(join(file, 'run-1'), { recursive: true })), io)).toBe(ExitCode.IO);
    expect(exitCodeOf(thrown(() => writeFileSync(tmp, 'x')), io)).toBe(ExitCode.IO);
    // Reading a folder: Node names no path, the line still says what the disk said.
    expect(exitCodeOf(thrown(() => readFileSync(tmp)), io)).toBe(ExitCode.IO);
    expect(io.err).toEqual([
      `conecta-load: ${file}: a file is in the way where a folder is needed (EEXIST on mkdir)\n`,
      `conecta-load: ${join(file, 'run-1')}: a part of the path is a file where a folder is needed (ENOTDIR on mkdir)\n`,
      `conecta-load: ${tmp}: is a folder where a file is needed (EISDIR on open)\n`,
      'conecta-load: the file system: is a folder where a file is needed (EISDIR on read)\n',
    ]);
  });

  it('leaves EEXIST outside mkdir (two writers racing) and EACCES on a port (not the disk) to the bug path', () => {
    const { io } = freshIo();
    expect(exitCodeOf(fsError('EEXIST', 'open', '/tmp/x.lock', 'file already exists'), io)).toBe(ExitCode.INTERNAL);
    const port = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES', syscall: 'listen' });
    expect(exitCodeOf(port, io)).toBe(ExitCode.INTERNAL);
    expect(io.err.map((l) => l.split(';')[0])).toEqual([
      "conecta-load: internal error (a bug): EEXIST: file already exists, open '/tmp/x.lock'",
      'conecta-load: internal error (a bug): listen EACCES: permission denied 0.0.0.0:80',
    ]);
  });

  it('maps a read-only file system to the I/O code', () => {
    const { io } = freshIo();
    expect(exitCodeOf(fsError('EROFS', 'mkdir', '/mnt/ro/results', 'read-only file system'), io)).toBe(ExitCode.IO);
    expect(exitCodeOf(fsError('EACCES', 'open', '/etc/results.json', 'permission denied'), io)).toBe(ExitCode.IO);
    expect(io.err).toEqual([
      'conecta-load: /mnt/ro/results: the file system is read-only (EROFS on mkdir)\n',
      'conecta-load: /etc/results.json: permission denied (EACCES on open)\n',
    ]);
  });

  it('reports a bug on one line, exit 10, with the stack in a file of the temporary folder', () => {
    const { io, tmp } = freshIo();
    const bug = new TypeError("Cannot read properties of undefined (reading 'p95')\n    at somewhere");
    const code = exitCodeOf(bug, io);
    expect(code).toBe(ExitCode.INTERNAL);
    expect(io.err).toHaveLength(1);
    const line = io.err[0]!;
    const files = readdirSync(tmp);
    expect(files).toHaveLength(1);
    const file = join(tmp, files[0]!);
    expect(files[0]).toMatch(/^conecta-load-bug-20261202-100000-[0-9a-f]{8}\.txt$/);
    expect(line).toBe(`conecta-load: internal error (a bug): Cannot read properties of undefined (reading 'p95'); details in ${file}\n`);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).not.toContain('    at ');
    const details = readFileSync(file, 'utf8');
    expect(details).toContain(bug.stack!);
    expect(details).toContain('2026-12-02T10:00:00.000Z');
  });

  it('keeps the causes of a bug in its file', () => {
    const { io, tmp } = freshIo();
    const root = new RangeError('index 7 out of range');
    expect(exitCodeOf(new Error('level 2 could not be cut', { cause: root }), io)).toBe(ExitCode.INTERNAL);
    const details = readFileSync(join(tmp, readdirSync(tmp)[0]!), 'utf8');
    expect(details).toContain('caused by:\n' + root.stack!);
  });

  it('still prints one line and exits 10 when the details cannot be written', () => {
    const { io: base, tmp } = freshIo();
    const io = { ...base, tmpdir: join(tmp, 'missing', 'folder') };
    expect(exitCodeOf('a thrown string', io)).toBe(ExitCode.INTERNAL);
    expect(base.err).toHaveLength(1);
    expect(base.err[0]).toMatch(/^conecta-load: internal error \(a bug\): a thrown string; its details could not be written \(ENOENT: no such file or directory, open '.*'\)\n$/);
  });

  it('turns a bad flag value into the usage code through the whole CLI', async () => {
    const { io } = freshIo();
    let code: number = ExitCode.OK;
    try {
      await buildProgram(io, (c) => (code = c)).parseAsync(['node', 'conecta-load', 'history', '--limit', '0']);
    } catch (e) {
      code = exitCodeOf(e, io);
    }
    expect(code).toBe(ExitCode.USAGE);
    expect(io.err.join('')).toBe('conecta-load: --limit must be a positive integer, got "0"\n');
  });
});
