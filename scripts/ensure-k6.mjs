// `make k6`: finds the pinned k6 or builds it once into the per-machine cache; prints where it is.
import { ensureK6 } from '../dist/node/lib/k6/install.js';
import { formatError, ConectaError } from '../dist/node/lib/exit-codes.js';
import { processIo } from '../dist/node/lib/io.js';

try {
  const k6 = await ensureK6(processIo());
  console.log(`k6 ${k6.version} (${k6.source}): ${k6.path}`);
} catch (e) {
  if (!(e instanceof ConectaError)) throw e;
  console.error(`conecta-load: ${formatError(e)}`);
  process.exit(e.code);
}
