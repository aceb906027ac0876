// `make store`: finds the object store's `weed` binary or builds it once per machine with Go (like k6), at the
// lowest CPU priority: the build takes minutes of two shared cores that load tests may be measuring on.

import { buildGoBinary, hasGo, lastLine } from '../../go/build.js';
import { ConectaError, ExitCode } from '../../exit-codes.js';
import type { Io } from '../../io.js';
import { cachedWeedPath, findWeed, WEED_MODULE, WEED_VERSION } from '../../../sandbox/full/object-storage.js';

export interface WeedBinary {
  path: string;
  source: 'found' | 'built';
  /** Seconds the build took (absent when found). */
  buildS?: number;
}

const ROUTES = 'install Go (Debian: golang-go; the project builds with Go 1.26) and run `make store`, or set WEED_BIN to a SeaweedFS `weed`';

export async function ensureWeed(io: Io): Promise<WeedBinary> {
  const found = findWeed(io.env);
  if (found) return { path: found, source: 'found' };
  if (!(await hasGo(io.env))) throw new ConectaError('SeaweedFS weed not found and Go is not installed to build it', ExitCode.SANDBOX, ROUTES);
  const target = cachedWeedPath(io.env);
  io.stderr(`Building SeaweedFS weed ${WEED_VERSION} with Go into ${target} (once per machine, several minutes, nice 19)…\n`);
  const t0 = io.now();
  try {
    await buildGoBinary(io.env, { module: WEED_MODULE, version: WEED_VERSION, pkg: 'weed', binName: 'weed', target, nice: true }, io.stderr);
  } catch (e) {
    throw new ConectaError(`could not build SeaweedFS weed (${WEED_MODULE}@${WEED_VERSION}): ${lastLine(e)}`, ExitCode.SANDBOX, ROUTES);
  }
  return { path: target, source: 'built', buildS: Math.round((io.now() - t0) / 1000) };
}
