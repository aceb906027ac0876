// Entry `morador`: the morador persona alone. Bundled to dist/scenarios/morador.js.

import { entry } from '../lib/entry.js';

const e = entry('morador');
export const options = e.options;
export const setup = e.setup;
export default e.iteration;
