// `make store`: finds SeaweedFS's weed (the full stack's object store) or builds it once into the per-machine cache.
import { ensureWeed } from '../dist/node/lib/sandbox/full/weed-install.js';
import { formatError, ConectaError } from '../dist/node/lib/exit-codes.js';
import { processIo } from '../dist/node/lib/io.js';

try {
  const w = await ensureWeed(processIo());
  console.log(`weed (${w.source}${w.buildS === undefined ? '' : ` in ${w.buildS} s`}): ${w.path}`);
} catch (e) {
  if (!(e instanceof ConectaError)) throw e;
  console.error(`conecta-load: ${formatError(e)}`);
  process.exit(e.code);
}
