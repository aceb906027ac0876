// Parses `k6 version` output and decides whether a k6 build is one this toolkit accepts (pure).

import { K6_VERSION } from '../version.js';

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

/** `k6 v2.2.0 (commit/devel, go1.26.8, linux/amd64)` → {2,2,0}; undefined when it is not k6's version line. */
export function parseK6Version(output: string): SemVer | undefined {
  const m = /\bk6 v(\d+)\.(\d+)\.(\d+)/.exec(output);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function formatVersion(v: SemVer): string {
  return `v${v.major}.${v.minor}.${v.patch}`;
}

export const PINNED: SemVer = parseK6Version(`k6 ${K6_VERSION}`)!;

/**
 * The documented compatible range for a k6 found on PATH: same major as the pin and not older than it
 * (k6 keeps its JSON output, options and exit codes stable within a major; older minors lack options we set).
 */
export function isCompatible(v: SemVer, pin: SemVer = PINNED): boolean {
  if (v.major !== pin.major) return false;
  if (v.minor !== pin.minor) return v.minor > pin.minor;
  return v.patch >= pin.patch;
}
