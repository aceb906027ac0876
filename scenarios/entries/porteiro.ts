// Entry `porteiro`: the porteiro persona alone. Bundled to dist/scenarios/porteiro.js.

import { entry } from '../lib/entry.js';

const e = entry('porteiro');
export const options = e.options;
export const setup = e.setup;
export default e.iteration;
