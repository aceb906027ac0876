// `--ca-cert`: the file is checked before any load (one line, exit 7), and the preflight trusts it as k6 will
// (SSL_CERT_FILE): a self-signed listener is refused without it, with the hint to give it, and answers with it.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode, formatError } from '../../../lib/exit-codes.js';
import { readCaCert } from '../../../lib/run/ca-cert.js';
import { checkTarget } from '../../../lib/run/preflight.js';
import { refusalOf } from '../../conecta-error.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-ca-'));
let server: Server;
let url = '';

/** A self-signed certificate as the full stack makes its own (sandbox/full/nginx.ts). */
function certificate(name: string, cn: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`)], { stdio: 'ignore' });
}

beforeAll(async () => {
  certificate('stack', 'test stack');
  certificate('other', 'someone else');
  server = createServer({ key: readFileSync(join(dir, 'stack.key')), cert: readFileSync(join(dir, 'stack.pem')) }, (_q, r) => r.end('{"status":"healthy"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<ConectaError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ConectaError);
  return e as ConectaError;
}

describe('readCaCert', () => {
  it('reads a PEM file and names what it trusts', () => {
    const ca = readCaCert('stack.pem', dir);
    expect(ca.path).toBe(join(dir, 'stack.pem'));
    expect(ca.subjects).toEqual(['CN=test stack']);
  });

  it('refuses, in one line with exit 7: a missing file, one with no certificate, a broken certificate', () => {
    const code = ExitCode.BAD_INPUT;
    expect(refusalOf(() => readCaCert('nope.pem', dir), code).message).toBe(`${join(dir, 'nope.pem')}: no such file`);
    expect(refusalOf(() => readCaCert('stack.key', dir), code).message).toBe(`--ca-cert ${join(dir, 'stack.key')}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
    writeFileSync(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(refusalOf(() => readCaCert('broken.pem', dir), code).message).toMatch(new RegExp(`^--ca-cert ${join(dir, 'broken.pem')}: certificate 1 is not valid \\(`));
  });
});

describe('checkTarget with a private CA', () => {
  it('refuses a certificate no trusted root vouches for (exit 5), saying to give --ca-cert', async () => {
    const e = await refusal(checkTarget(url));
    expect(e.code).toBe(ExitCode.TARGET_UNREACHABLE);
    expect(formatError(e)).toBe(`target ${url}/health is unreachable: DEPTH_ZERO_SELF_SIGNED_CERT (its certificate is not from a trusted CA: give the CA that signed it with --ca-cert FILE)`);
  });

  it('passes trusting the stack\'s certificate', async () => {
    await expect(checkTarget(url, 5000, readCaCert('stack.pem', dir).pem)).resolves.toBeUndefined();
  });

  it('still refuses with another CA given', async () => {
    const e = await refusal(checkTarget(url, 5000, readCaCert('other.pem', dir).pem));
    expect(formatError(e)).toBe(`target ${url}/health is unreachable: DEPTH_ZERO_SELF_SIGNED_CERT (the certificate given with --ca-cert does not vouch for this one)`);
  });
});
