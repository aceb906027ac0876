// The bundle size limit: a k6-operator test script travels in a Kubernetes ConfigMap, which holds at most 1 MiB.

import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Bytes } from '../units.js';

export const MAX_BUNDLE_BYTES: Bytes = 1024 * 1024;

export interface BundleSize {
  name: string;
  file: string;
  bytes: Bytes;
}

/** Throws a one-line ConectaError naming every bundle over `limit`; returns quietly otherwise. */
export function checkBundleSizes(bundles: readonly BundleSize[], limit: Bytes = MAX_BUNDLE_BYTES): void {
  const over = bundles.filter((b) => b.bytes > limit);
  if (over.length === 0) return;
  const list = over.map((b) => `${b.file} is ${formatBytes(b.bytes)}`).join(', ');
  throw new ConectaError(
    `bundle over the ${formatBytes(limit)} limit: ${list}`,
    ExitCode.USAGE,
    'k6-operator ships a script in a ConfigMap (1 MiB at most): drop large inline data, load it with open() instead',
  );
}

/** "812 B", "24.3 KiB", "1.00 MiB". */
export function formatBytes(bytes: Bytes): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
