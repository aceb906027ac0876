import { describe, expect, it } from 'vitest';
import { formatVersion, isCompatible, parseK6Version, PINNED } from '../../../lib/k6/version.js';

describe('k6 version', () => {
  it('parses `k6 version` output', () => {
    expect(parseK6Version('k6 v2.2.0 (commit/devel, go1.26.8, linux/amd64)')).toEqual({ major: 2, minor: 2, patch: 0 });
    expect(parseK6Version('k6 v0.52.0 (go1.22.4, linux/amd64)\nExtensions: …')).toEqual({ major: 0, minor: 52, patch: 0 });
    expect(parseK6Version('Usage: something else')).toBeUndefined();
  });
  it('pins v2.2.0 and accepts newer releases of the same major only', () => {
    expect(formatVersion(PINNED)).toBe('v2.2.0');
    expect(isCompatible({ major: 2, minor: 2, patch: 0 })).toBe(true);
    expect(isCompatible({ major: 2, minor: 2, patch: 3 })).toBe(true);
    expect(isCompatible({ major: 2, minor: 5, patch: 0 })).toBe(true);
    expect(isCompatible({ major: 2, minor: 1, patch: 9 })).toBe(false);
    expect(isCompatible({ major: 1, minor: 8, patch: 1 })).toBe(false);
    expect(isCompatible({ major: 3, minor: 0, patch: 0 })).toBe(false);
  });
});
