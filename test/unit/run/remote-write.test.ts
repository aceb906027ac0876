import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { chooseRemoteWrite, isRemoteWriteLine, remoteWriteFailures, remoteWriteK6 } from '../../../lib/run/remote-write.js';
import { refusalOf } from '../../conecta-error.js';

describe('chooseRemoteWrite', () => {
  it('writes to the bundled stack by default, to the URL given, or nowhere', () => {
    expect(chooseRemoteWrite(undefined, 'http://127.0.0.1:8808')).toEqual({ url: 'http://127.0.0.1:8808' });
    expect(chooseRemoteWrite(undefined, undefined)).toBeUndefined();
    expect(chooseRemoteWrite(false, 'http://127.0.0.1:8808')).toBeUndefined();
    expect(chooseRemoteWrite('https://prom.example:9090/api/v1/write', 'http://127.0.0.1:8808')).toEqual({ url: 'https://prom.example:9090' });
    expect(chooseRemoteWrite('http://10.0.0.5:9090/', undefined)).toEqual({ url: 'http://10.0.0.5:9090' });
  });

  it('refuses what is not an http(s) URL, before any load', () => {
    expect(refusalOf(() => chooseRemoteWrite('no url', undefined), ExitCode.USAGE).message)
      .toBe('--prometheus-rw: "no url" is not a URL (e.g. http://127.0.0.1:9090)');
    expect(refusalOf(() => chooseRemoteWrite('ftp://h/', undefined), ExitCode.USAGE).message)
      .toBe('--prometheus-rw: "ftp://h/" is not an http(s) URL');
  });
});

describe('remoteWriteK6', () => {
  it("is k6's remote-write output with native histograms, pushed every second, tagged with the run's id", () => {
    expect(remoteWriteK6({ url: 'http://127.0.0.1:8808' }, '20261202-mix-smoke')).toEqual({
      args: ['--out', 'experimental-prometheus-rw', '--features', 'native-histograms', '--tag', 'testid=20261202-mix-smoke'],
      env: { K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:8808/api/v1/write', K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s' },
    });
  });
});

describe('remoteWriteFailures', () => {
  // Lines as k6 v2.2.0 writes them (--no-color) when nothing listens on the remote-write URL.
  const refused = 'time="2026-12-02T13:48:56Z" level=error msg="Failed to send the time series data to the endpoint" ' +
    'error="HTTP POST request failed: Post \\"http://127.0.0.1:8899/api/v1/write\\": dial tcp 127.0.0.1:8899: connect: connection refused" ' +
    'output="Prometheus remote write"';
  const scriptError = 'time="2026-12-02T13:48:57Z" level=error msg="TypeError: x is undefined" source=console';

  it('counts the failed pushes and keeps the first reason; other errors are not its', () => {
    expect(remoteWriteFailures([refused, scriptError, refused, ''].join('\n'))).toEqual({
      count: 2,
      first: 'HTTP POST request failed: Post "http://127.0.0.1:8899/api/v1/write": dial tcp 127.0.0.1:8899: connect: connection refused',
    });
    expect(remoteWriteFailures(scriptError)).toBeUndefined();
    expect(isRemoteWriteLine(refused)).toBe(true);
    expect(isRemoteWriteLine(scriptError)).toBe(false);
  });
});
