// End to end: `run --ca-cert` against the full stack's own HTTPS port (nginx, its certificate self-signed at first
// start: its own private CA), with a foreign script that takes its logins from `--users-file`. Trusting only that
// certificate, the run succeeds with no TLS error; without it the preflight refuses (exit 5, saying what to give) and
// k6 itself, run on the same script, reports x509 errors. insecureSkipTLSVerify is never set. Needs `make build`,
// k6 and the full stack's Debian packages.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../lib/exit-codes.js';
import { findK6 } from '../../lib/k6/locate.js';
import type { RunningFullStack } from '../../lib/sandbox/control.js';
import { readRunResult } from '../../lib/result/store.js';
import { runCli } from './cli-process.js';
import { http, startFull } from './full-stack-helpers.js';

const SCRIPT = resolve(import.meta.dirname, '../fixtures/own-script/users-over-tls.js');
let sb: RunningFullStack;
let dir = '';
let cleanup = async () => {};
let caCert = '';
let users = '';

beforeAll(async () => {
  ({ sb, dir, cleanup } = await startFull({ instances: 1 }));
  caCert = (await sb.status()).httpsCaCert;
  // The logins a real stack's owner would hand over: here, two of the seeded síndicos.
  users = join(dir, 'users.json');
  writeFileSync(users, (await http(sb.port, '/__sandbox/users?role=sindico&limit=2')).body);
}, 300_000);
afterAll(async () => {
  await cleanup();
}, 120_000);

describe('run --ca-cert against the full stack\'s HTTPS port', () => {
  it('runs trusting only the stack\'s certificate: every request answered, no TLS error', async () => {
    const out = join(dir, 'tls-run');
    const r = await runCli(dir, ['run', '--script', SCRIPT, '--target', sb.https, '--ca-cert', caCert, '--users-file', users,
      '-e', 'DURATION=4s', '--out', out, '--no-prometheus-rw']);
    expect(r.stderr).not.toMatch(/conecta-load: /);
    expect(r.code).toBe(0);
    const result = readRunResult(out);
    expect(result.meta.complete).toBe(true);
    expect(result.endpoints.login!.requests).toBe(2);
    expect(result.endpoints.dashboard!.requests).toBeGreaterThan(4);
    expect(result.overall.failed).toBe(0);
    expect(readFileSync(join(out, 'k6.log'), 'utf8')).not.toMatch(/x509|tls:/i);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { options: { caCert?: string } };
    expect(record.options.caCert).toBe(caCert);
  }, 180_000);

  it('without it: the preflight refuses in one line (exit 5), and k6 alone reports x509 errors', async () => {
    const r = await runCli(dir, ['run', '--script', SCRIPT, '--target', sb.https, '--users-file', users, '-e', 'DURATION=2s', '--no-prometheus-rw']);
    expect(r.code).toBe(ExitCode.TARGET_UNREACHABLE);
    expect(r.stderr.trim().split('\n')).toEqual([
      `conecta-load: target ${sb.https}/health is unreachable: DEPTH_ZERO_SELF_SIGNED_CERT (its certificate is not from a trusted CA: give the CA that signed it with --ca-cert FILE)`,
    ]);
    // The same script through k6 itself, as the run would start it but with no SSL_CERT_FILE: Go's verification.
    const k6 = (await findK6(process.env))!.path;
    const env: NodeJS.ProcessEnv = { ...process.env, TARGET: sb.https, USERS_FILE: users, DURATION: '1s' };
    delete env.SSL_CERT_FILE;
    const k = await promisify(execFile)(k6, ['run', '--quiet', SCRIPT], { env }).then(
      (x) => ({ out: x.stdout + x.stderr }), (e: { stdout: string; stderr: string }) => ({ out: e.stdout + e.stderr }));
    expect(k.out).toMatch(/x509: /);
  }, 120_000);
});
