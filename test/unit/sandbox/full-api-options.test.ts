import { describe, expect, it } from 'vitest';
import { parseSentinels } from '../../../sandbox/cache/redis.js';
import { apiOptionsFrom, poolShare } from '../../../sandbox/full/api-options.js';

const env = { CONECTA_PG_PRIMARY: 'postgresql://c:pw@127.0.0.1:5/conecta', CONECTA_REDIS_PASSWORD: 'rp', CONECTA_JWT_SECRET: 'js' };
const base = ['--port', '8120', '--redis-sentinels', '127.0.0.1:8107'];

describe('full-stack API options', () => {
  it('takes secrets from the environment and defaults the rest', () => {
    expect(apiOptionsFrom(base, env)).toEqual({
      name: 'api-1', port: 8120, workers: 1, poolSize: 10, pgPrimary: env.CONECTA_PG_PRIMARY, pgReplica: undefined,
      sentinels: [{ host: '127.0.0.1', port: 8107 }], redisMaster: 'conecta', redisPassword: 'rp', jwtSecret: 'js',
      tokenTtlS: 900, cacheTtlS: 5, seed: undefined, drainMs: 10_000, logFile: undefined,
    });
  });

  it('lets flags win over the environment and checks the seed', () => {
    const o = apiOptionsFrom([...base, '--name', 'api-3', '--workers', '4', '--pool-size', '30', '--pg-replica', 'postgresql://r',
      '--redis-password', 'flag', '--seed-scale', '0.5', '--seed', '7'], { ...env, CONECTA_PG_REPLICA: 'postgresql://env' });
    expect(o).toMatchObject({ name: 'api-3', workers: 4, poolSize: 30, pgReplica: 'postgresql://r', redisPassword: 'flag', seed: { scale: 0.5, seed: 7 } });
  });

  it('refuses bad input with one line naming what is wrong', () => {
    expect(() => apiOptionsFrom(['--redis-sentinels', 'h:1'], env)).toThrow('--port is required');
    expect(() => apiOptionsFrom([...base, '--workers', '0'], env)).toThrow('--workers must be an integer from 1 to 64, got "0"');
    expect(() => apiOptionsFrom(base, { ...env, CONECTA_PG_PRIMARY: undefined })).toThrow('no PostgreSQL primary');
    expect(() => apiOptionsFrom(base, { ...env, CONECTA_JWT_SECRET: '' })).toThrow('CONECTA_JWT_SECRET is not set');
    expect(() => apiOptionsFrom([...base, '--seed-scale', '11'], env)).toThrow('--seed-scale must be a number in (0, 10], got "11"');
    expect(() => parseSentinels('127.0.0.1:1,nohost')).toThrow('--redis-sentinels: "nohost" is not host:port');
    expect(parseSentinels('a:1, b:2')).toEqual([{ host: 'a', port: 1 }, { host: 'b', port: 2 }]);
  });

  it('shares the instance pool over its workers: the shares add up, one connection at least', () => {
    expect([0, 1, 2].map((i) => poolShare(10, 3, i))).toEqual([4, 3, 3]);
    expect([0, 1, 2, 3].map((i) => poolShare(8, 4, i))).toEqual([2, 2, 2, 2]);
    expect([0, 1, 2].map((i) => poolShare(2, 3, i))).toEqual([1, 1, 1]);
    expect(poolShare(20, 1, 0)).toBe(20);
  });
});
