// Builds the pinned k6 with Go into the per-machine cache, once; falls back to the v1 line if v2 can't be fetched.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { buildGoBinary, hasGo, lastLine } from '../go/build.js';
import type { Io } from '../io.js';
import { K6_FALLBACK, K6_MODULE, K6_VERSION } from '../version.js';
import { cacheRoot, cachedK6Path, findK6, INSTALL_ROUTES, probeVersion, type K6Binary } from './locate.js';
import { formatVersion } from './version.js';

/** What we try, in order: the pin, then the last v1 release, so a machine that cannot fetch v2 still gets a k6. */
const BUILDS = [
  { module: K6_MODULE, version: K6_VERSION },
  K6_FALLBACK,
] as const;

/** Builds one module version into `<cache>/k6-<version>/k6`. */
function buildOne(env: Readonly<Record<string, string | undefined>>, module: string, version: string, io: Io): Promise<string> {
  return buildGoBinary(env, { module, version, pkg: '', binName: 'k6', target: cachedK6Path(env, version) }, io.stderr);
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
