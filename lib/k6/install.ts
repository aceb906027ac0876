// Builds the pinned k6 with Go into the per-machine cache, once; falls back to the v1 line if v2 can't be fetched.

import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { K6_FALLBACK, K6_MODULE, K6_VERSION } from '../version.js';
import { cacheRoot, cachedK6Path, findK6, INSTALL_ROUTES, probeVersion, type K6Binary } from './locate.js';
import { formatVersion } from './version.js';

const run = promisify(execFile);

/** What we try, in order: the pin, then the last v1 release, so a machine that cannot fetch v2 still gets a k6. */
const BUILDS = [
  { module: K6_MODULE, version: K6_VERSION },
  K6_FALLBACK,
] as const;

type Env = Readonly<Record<string, string | undefined>>;

async function hasGo(env: Env): Promise<boolean> {
  try {
    await run('go', ['version'], { env: { ...env } as NodeJS.ProcessEnv, timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function lastLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  const text = (err.stderr || err.message || String(e)).trim().split('\n');
  return text[text.length - 1] ?? '';
}

/**
 * Builds one module version into `<cache>/k6-<version>/k6`. `go install mod@version` is the documented route;
 * when it fails only because the module proxy cannot list versions (it checks for deprecation), building the
 * downloaded module in place gives the same binary: `go mod download` + `go build` in the module folder.
 */
async function buildOne(env: Env, module: string, version: string, io: Io): Promise<string> {
  const target = cachedK6Path(env, version);
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const goEnv = { ...env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' } as NodeJS.ProcessEnv;
  const tmpBin = join(dir, `.k6-build-${process.pid}`);
  try {
    try {
      const tmpDir = `${tmpBin}.d`;
      mkdirSync(tmpDir, { recursive: true });
      await run('go', ['install', `${module}@${version}`], {
        env: { ...goEnv, GOBIN: tmpDir },
        timeout: 20 * 60_000,
        maxBuffer: 64 << 20,
      });
      renameSync(join(tmpDir, 'k6'), target);
      rmSync(tmpDir, { recursive: true, force: true });
      return target;
    } catch (e) {
      io.stderr(`  go install failed (${lastLine(e)}); building the downloaded module instead\n`);
      rmSync(`${tmpBin}.d`, { recursive: true, force: true });
    }
    const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@${version}`], {
      env: goEnv,
      timeout: 10 * 60_000,
      maxBuffer: 64 << 20,
    });
    const modDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
    if (!modDir) throw new Error(`go mod download gave no module folder for ${module}@${version}`);
    await run('go', ['build', '-trimpath', '-o', tmpBin, '.'], {
      cwd: modDir,
      env: { ...goEnv, GOFLAGS: '-mod=readonly' },
      timeout: 20 * 60_000,
      maxBuffer: 64 << 20,
    });
    renameSync(tmpBin, target); // atomic: a concurrent build never leaves half a binary at `target`
    return target;
  } finally {
    rmSync(tmpBin, { force: true });
  }
}

/** Finds k6, or builds it once into the cache. Throws ExitCode.K6_MISSING with every install route. */
export async function ensureK6(io: Io): Promise<K6Binary> {
  const found = await findK6(io.env);
  if (found) return found;
  if (!(await hasGo(io.env))) {
    throw new ConectaError(`k6 ${K6_VERSION} not found and Go is not installed to build it`, ExitCode.K6_MISSING, INSTALL_ROUTES);
  }
  const failures: string[] = [];
  for (const b of BUILDS) {
    io.stderr(`Building k6 ${b.version} with Go into ${cacheRoot(io.env)} (once per machine, a few minutes)…\n`);
    try {
      const path = await buildOne(io.env, b.module, b.version, io);
      const v = await probeVersion(path);
      if (!v) throw new Error('the built binary does not answer `k6 version`');
      if (b.version !== K6_VERSION) io.stderr(`  warning: using the fallback k6 ${b.version}, not the pinned ${K6_VERSION}\n`);
      return { path, version: formatVersion(v), source: 'cache' };
    } catch (e) {
      failures.push(`${b.module}@${b.version}: ${lastLine(e)}`);
    }
  }
  throw new ConectaError(`could not build k6 (${failures.join('; ')})`, ExitCode.K6_MISSING, INSTALL_ROUTES);
}
