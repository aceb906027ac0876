// Builds a Go program from the module proxy into a cache path, once: k6 and the object store's `weed` both come
// this way, so the fall-back for a proxy that cannot answer a vanity lookup or a `go install` refusal lives here.

import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

type Env = Readonly<Record<string, string | undefined>>;

export interface GoBuild {
  module: string;
  version: string;
  /** The main package's folder inside the module ('' for the module root, e.g. 'weed'). */
  pkg: string;
  /** The name `go install` gives the binary (the main package folder's last element). */
  binName: string;
  /** Where the binary ends up (renamed into place: a concurrent build never leaves half a binary there). */
  target: string;
  /** `nice -n 19`: a long build on shared cores yields to load tests that measure time. */
  nice?: boolean;
}

export async function hasGo(env: Env): Promise<boolean> {
  try {
    await run('go', ['version'], { env: { ...env } as NodeJS.ProcessEnv, timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** The last line a failed command printed (the one that says why). */
export function lastLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  const text = (err.stderr || err.message || String(e)).trim().split('\n');
  return text[text.length - 1] ?? '';
}

/**
 * `go install mod/pkg@version` is the documented route; when it fails (the proxy cannot list versions for a
 * deprecation check, or the module's go.mod has replace directives, which `go install` refuses), building the
 * downloaded module in place gives the same binary: `go mod download` + `go build` in the package folder.
 */
export async function buildGoBinary(env: Env, b: GoBuild, say: (line: string) => void): Promise<string> {
  const dir = dirname(b.target);
  mkdirSync(dir, { recursive: true });
  const goEnv = { ...env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' } as NodeJS.ProcessEnv;
  const go = (args: string[]) => (b.nice ? ['nice', ['-n', '19', 'go', ...args]] : ['go', args]) as [string, string[]];
  const tmpBin = join(dir, `.${b.binName}-build-${process.pid}`);
  const path = b.pkg ? `${b.module}/${b.pkg}` : b.module;
  try {
    try {
      const tmpDir = `${tmpBin}.d`;
      mkdirSync(tmpDir, { recursive: true });
      await run(...go(['install', `${path}@${b.version}`]), { env: { ...goEnv, GOBIN: tmpDir }, timeout: 30 * 60_000, maxBuffer: 64 << 20 });
      renameSync(join(tmpDir, b.binName), b.target);
      rmSync(tmpDir, { recursive: true, force: true });
      return b.target;
    } catch (e) {
      say(`  go install failed (${lastLine(e)}); building the downloaded module instead\n`);
      rmSync(`${tmpBin}.d`, { recursive: true, force: true });
    }
    const { stdout } = await run(...go(['mod', 'download', '-json', `${b.module}@${b.version}`]), { env: goEnv, timeout: 15 * 60_000, maxBuffer: 64 << 20 });
    const modDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
    if (!modDir) throw new Error(`go mod download gave no module folder for ${b.module}@${b.version}`);
    await run(...go(['build', '-trimpath', '-o', tmpBin, '.']), {
      cwd: b.pkg ? join(modDir, b.pkg) : modDir,
      env: { ...goEnv, GOFLAGS: '-mod=readonly' },
      timeout: 30 * 60_000,
      maxBuffer: 64 << 20,
    });
    renameSync(tmpBin, b.target);
    return b.target;
  } finally {
    rmSync(tmpBin, { force: true });
  }
}
