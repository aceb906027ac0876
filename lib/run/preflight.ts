// Checks before any load is sent: the target answers /health in time, and this machine has file descriptors for the VUs.

import { execFile } from 'node:child_process';
import { get } from 'node:https';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Milliseconds } from '../units.js';

const run = promisify(execFile);

export const HEALTH_TIMEOUT_MS: Milliseconds = 5000;

/** GET <target>/health must answer 2xx within 5 s; otherwise a one-line error naming the URL. `caPem` (`--ca-cert`)
 *  is trusted beside the usual roots, as k6 will trust it. */
export async function checkTarget(target: string, timeoutMs: Milliseconds = HEALTH_TIMEOUT_MS, caPem?: string): Promise<void> {
  let url: URL;
  try {
    url = new URL('/health', target);
  } catch {
    throw new ConectaError(`--target ${JSON.stringify(target)} is not a URL`, ExitCode.USAGE, 'e.g. http://127.0.0.1:8100');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConectaError(`--target ${target}: only http and https are supported`, ExitCode.USAGE);
  }
  let status: number;
  try {
    status = caPem !== undefined && url.protocol === 'https:' ? await httpsStatus(url, caPem, timeoutMs) : await fetchStatus(url, timeoutMs);
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : causeOf(e);
    // Node's names for a certificate no trusted root vouches for (OpenSSL's verify errors).
    const untrusted = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(why);
    throw new ConectaError(`target ${url.href} is unreachable: ${why}`, ExitCode.TARGET_UNREACHABLE,
      untrusted ? (caPem !== undefined ? 'the certificate given with --ca-cert does not vouch for this one'
        : 'its certificate is not from a trusted CA: give the CA that signed it with --ca-cert FILE')
        : 'start it (e.g. `conecta-load sandbox up`) or fix --target');
  }
  if (status < 200 || status >= 300) {
    throw new ConectaError(`target ${url.href} answered ${status}, not healthy`, ExitCode.TARGET_UNREACHABLE);
  }
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as { code?: string }).code ?? (e as Error).message;
}

async function fetchStatus(url: URL, timeoutMs: Milliseconds): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  return res.status;
}

/** A GET trusting `caPem` beside Node's roots: fetch() takes no CA of its own in Node 20. */
function httpsStatus(url: URL, caPem: string, timeoutMs: Milliseconds): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { ca: [...rootCertificates, caPem], timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    req.on('error', reject);
  });
}

/**
 * File descriptors one VU may hold: its keep-alive connections (k6 opens up to --batch-per-host=6 per host in
 * http.batch, 1–2 otherwise) plus slack; k6 (Go) raises its soft limit to the hard limit by itself, so the hard
 * limit is what counts.
 */
export const FDS_PER_VU = 2;
export const FD_SLACK = 256;

export function fdsNeeded(peakVus: number): number {
  return peakVus * FDS_PER_VU + FD_SLACK;
}

/** The hard limit on open files for processes started from here (`ulimit -Hn`); Infinity when unlimited. */
export async function hardFdLimit(): Promise<number> {
  const { stdout } = await run('/bin/sh', ['-c', 'ulimit -Hn']);
  const text = stdout.trim();
  return text === 'unlimited' ? Infinity : Number(text);
}

export async function checkFdLimit(peakVus: number): Promise<void> {
  const limit = await hardFdLimit();
  const need = fdsNeeded(peakVus);
  if (limit < need) {
    throw new ConectaError(
      `${peakVus} VUs need about ${need} open files, but the hard limit here is ${limit}`,
      ExitCode.USAGE,
      `raise it (ulimit -Hn ${need}, or LimitNOFILE in systemd) or lower --scale`,
    );
  }
}
