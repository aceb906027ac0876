// `--ca-cert`: trust a stack whose TLS certificate comes from a private CA, without turning verification off.
// k6 has no CA option for HTTP (only insecureSkipTLSVerify, which we never set); it verifies with Go's crypto/x509,
// whose system pool on Linux reads the file SSL_CERT_FILE names (the system's certificate folders still count), so
// the run gives k6 that variable. The preflight's own request to the target trusts the same certificate.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { regularFile } from '../input-files.js';
import { LIMITS } from '../input-limits.js';

/** The variable Go's crypto/x509 (k6) reads on Linux for the file of trusted roots. */
export const CA_ENV = 'SSL_CERT_FILE';

export interface CaCert {
  /** Absolute path. */
  readonly path: string;
  /** The PEM text: one or more certificates. */
  readonly pem: string;
  /** The subject of each certificate, for the one line that says what is trusted. */
  readonly subjects: readonly string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads and checks a PEM file of CA certificates: bounded, regular, every block a certificate Node can parse. */
export function readCaCert(file: string, cwd: string): CaCert {
  const path = resolve(cwd, file);
  regularFile(path, LIMITS.maxCaCertBytes, ExitCode.BAD_INPUT);
  const pem = readFileSync(path, 'utf8');
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new ConectaError(`--ca-cert ${path}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`, ExitCode.BAD_INPUT);
  const subjects = blocks.map((b, i) => {
    try {
      return new X509Certificate(b).subject.replace(/\n/g, ', ');
    } catch (e) {
      throw new ConectaError(`--ca-cert ${path}: certificate ${i + 1} is not valid (${(e as Error).message})`, ExitCode.BAD_INPUT);
    }
  });
  return { path, pem, subjects };
}
