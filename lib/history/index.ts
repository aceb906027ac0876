// lib/history: the pure operations on the run-history index (its file is read and written by ./store.ts).

export { entryOf } from './entry.js';
export { addEntry, emptyHistory, pruneHistory } from './record.js';
export { lastPass } from './last-pass.js';
