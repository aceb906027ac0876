// The one way tests catch a refusal: the ConectaError a call throws, checked for its exit code, so a test of "one
// clear line and the right code" never passes on a call that did not throw.

import { expect } from 'vitest';
import { ConectaError, type ExitCode } from '../lib/exit-codes.js';

/** The ConectaError `f` throws, with exit code `code`; fails the test when `f` returns or throws anything else. */
export function refusalOf(f: () => unknown, code: ExitCode): ConectaError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConectaError);
    expect((e as ConectaError).code).toBe(code);
    return e as ConectaError;
  }
  throw new Error(`expected a refusal with exit code ${code}`);
}
