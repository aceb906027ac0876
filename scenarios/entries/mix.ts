// Entry `mix`: the weighted persona mix (MIX, default 70,20,10), the main scenario. Bundled to dist/scenarios/mix.js.

import { entry } from '../lib/entry.js';

const e = entry('mix');
export const options = e.options;
export const setup = e.setup;
export default e.iteration;
