// cli/flags.ts: the shared flag parsers, and the per-address limits a lone --rate-limit or --login-limit asks for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEnv, limitsFromFlags, positive, positiveInt, positiveIntList, size, tcpPort } from '../../../cli/flags.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { refusalOf } from '../../conecta-error.js';

const usageError = (f: () => unknown): string => refusalOf(f, ExitCode.USAGE).message;

describe('flag parsers', () => {
  it('positive takes any number above zero', () => {
    expect(positive('--scale')('0.05')).toBe(0.05);
    expect(usageError(() => positive('--scale')('0'))).toBe('--scale must be a positive number, got "0"');
    expect(usageError(() => positive('--scale')('abc'))).toBe('--scale must be a positive number, got "abc"');
    expect(usageError(() => positive('--scale')(''))).toBe('--scale must be a positive number, got ""');
  });

  it('positiveInt takes whole numbers from 1', () => {
    expect(positiveInt('--segments')('3')).toBe(3);
    expect(usageError(() => positiveInt('--segments')('2.5'))).toBe('--segments must be a positive integer, got "2.5"');
    expect(usageError(() => positiveInt('--segments')('0'))).toBe('--segments must be a positive integer, got "0"');
  });

  it('positiveIntList takes a comma-separated list', () => {
    expect(positiveIntList('--levels')('500, 1000,2000')).toEqual([500, 1000, 2000]);
    expect(usageError(() => positiveIntList('--levels')('500,x'))).toBe('--levels takes positive integers separated by commas, got "500,x"');
    expect(usageError(() => positiveIntList('--levels')(','))).toBe('--levels takes positive integers separated by commas, got ","');
  });

  it('size takes bytes or a K/M/G size', () => {
    expect(size('--api-mem')('512M')).toBe(512 * 1024 ** 2);
    expect(size('--api-mem')('1G')).toBe(1024 ** 3);
    expect(usageError(() => size('--api-mem')('12X'))).toBe('--api-mem must be a size such as 512M or 1G, got "12X"');
  });

  it('tcpPort takes 1–65535 only', () => {
    expect(tcpPort('--port')('8100')).toBe(8100);
    expect(usageError(() => tcpPort('--port')('81OO'))).toBe('--port must be a port (1–65535), got "81OO"');
    expect(usageError(() => tcpPort('--port')('65536'))).toBe('--port must be a port (1–65535), got "65536"');
  });

  it('collectEnv gathers NAME=value pairs, the value may hold "="', () => {
    expect(collectEnv('MIX=70,20,10', collectEnv('TOKEN=a=b', {}))).toEqual({ TOKEN: 'a=b', MIX: '70,20,10' });
    expect(usageError(() => collectEnv('=x', {}))).toBe('--env takes NAME=value, got "=x"');
    expect(usageError(() => collectEnv('NOVALUE', {}))).toBe('--env takes NAME=value, got "NOVALUE"');
  });
});

describe('limitsFromFlags', () => {
  // A target that reports its limits as the bundled stacks do (GET /__sandbox/instances → lb.limits).
  let reported: unknown = { perMinute: 600, loginsPer5Min: 40 };
  let asked = 0;
  let server: Server;
  let target = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      asked++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/__sandbox/instances' ? { lb: { limits: reported } } : {}));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('leaves the limits to the run when neither flag is given, without asking the target', async () => {
    const before = asked;
    expect(await limitsFromFlags({}, target)).toBeUndefined();
    expect(asked).toBe(before);
  });

  it('--rate-limit alone keeps the login limit the target reports (not the document\'s 5)', async () => {
    reported = { perMinute: 600, loginsPer5Min: 40 };
    expect(await limitsFromFlags({ rateLimit: 300 }, target)).toEqual({ perMinute: 300, loginsPer5Min: 40 });
  });

  it('--login-limit alone keeps the rate limit the target reports', async () => {
    reported = { perMinute: 600, loginsPer5Min: 40 };
    expect(await limitsFromFlags({ loginLimit: 9 }, target)).toEqual({ perMinute: 600, loginsPer5Min: 9 });
  });

  it('both flags win without asking the target', async () => {
    const before = asked;
    expect(await limitsFromFlags({ rateLimit: 100, loginLimit: 3 }, target)).toEqual({ perMinute: 100, loginsPer5Min: 3 });
    expect(asked).toBe(before);
  });

  it('takes the document\'s figure for the other limit when the target does not say, or has none', async () => {
    expect(await limitsFromFlags({ rateLimit: 300 }, 'http://127.0.0.1:9')).toEqual({ perMinute: 300, loginsPer5Min: 5 });
    reported = null;
    expect(await limitsFromFlags({ loginLimit: 7 }, target)).toEqual({ perMinute: 150, loginsPer5Min: 7 });
  });
});
