#!/usr/bin/env node
// Entry point: everything lives in the compiled CLI (`make build` produces dist/).
import { main } from '../dist/node/cli/main.js';
main(process.argv);
