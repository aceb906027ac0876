import { describe, expect, it } from 'vitest';
import { checkBundleSizes, formatBytes, MAX_BUNDLE_BYTES } from '../../../lib/bundle/size.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';

describe('bundle size limit', () => {
  it('is the 1 MiB a k6-operator ConfigMap holds', () => {
    expect(MAX_BUNDLE_BYTES).toBe(1_048_576);
  });

  it('passes bundles at or under the limit and names every one over it', () => {
    expect(() => checkBundleSizes([{ name: 'a', file: 'a.js', bytes: 100 }], 100)).not.toThrow();
    let err: unknown;
    try {
      checkBundleSizes(
        [{ name: 'a', file: 'dist/a.js', bytes: 101 }, { name: 'b', file: 'dist/b.js', bytes: 50 }, { name: 'c', file: 'dist/c.js', bytes: 2048 }],
        100,
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConectaError);
    expect((err as ConectaError).code).toBe(ExitCode.USAGE);
    expect((err as ConectaError).message).toBe('bundle over the 100 B limit: dist/a.js is 101 B, dist/c.js is 2.0 KiB');
  });

  it('formats sizes for the build listing', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(24_883)).toBe('24.3 KiB');
    expect(formatBytes(1_048_576)).toBe('1.00 MiB');
  });
});
