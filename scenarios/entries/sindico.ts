// Entry `sindico`: the sindico persona alone. Bundled to dist/scenarios/sindico.js.

import { entry } from '../lib/entry.js';

const e = entry('sindico');
export const options = e.options;
export const setup = e.setup;
export default e.iteration;
