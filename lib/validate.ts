// Validates parsed JSON against a TypeBox schema and turns the first problem into one line: file, key, reason.

import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { readFileSync } from 'node:fs';
import { ConectaError, type ExitCode } from './exit-codes.js';

// TypeBox knows no string formats until they are registered; without this every `format: 'date-time'` fails.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)));
}

/** JSON pointer "/endpoints/GET ~1x/p95" → "endpoints.GET /x.p95" (what a user types). */
function keyOf(pointer: string): string {
  if (pointer === '') return '(top level)';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** Checks `data` against `schema`; throws a one-line ConectaError naming file, key and reason. */
export function validateOrThrow<T extends TSchema>(schema: T, data: unknown, file: string, code: ExitCode): Static<T> {
  if (Value.Check(schema, data)) return data as Static<T>;
  const first = Value.Errors(schema, data).First();
  const where = first ? keyOf(first.path) : '(top level)';
  const why = first ? first.message : 'does not match the schema';
  throw new ConectaError(`${file}: ${where}: ${why}`, code);
}

/** Reads and parses a JSON file; a missing file or bad JSON is a one-line ConectaError. */
export function readJsonFile(file: string, code: ExitCode): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ConectaError(`${file}: ${reason}`, code);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ConectaError(`${file}: not valid JSON (${(e as Error).message})`, code);
  }
}
