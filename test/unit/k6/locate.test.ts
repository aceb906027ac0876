// Resolution order of the k6 binary, with the real k6 build (found the way the toolkit finds it) in temp folders.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { ensureK6 } from '../../../lib/k6/install.js';
import { cachedK6Path, findK6, INSTALL_ROUTES } from '../../../lib/k6/locate.js';
import { memoryIo } from '../../../lib/io.js';

let realK6: string;
const tmp = mkdtempSync(join(tmpdir(), 'k6-locate-'));

beforeAll(async () => {
  const found = await findK6(process.env);
  if (!found) throw new Error('these tests need k6: run `make install` first');
  realK6 = found.path;
});

describe('findK6', () => {
  it('honours K6_BIN first', async () => {
    const k = await findK6({ K6_BIN: realK6, PATH: '', CONECTA_CACHE_DIR: join(tmp, 'none') });
    expect(k).toMatchObject({ path: realK6, source: 'K6_BIN', version: 'v2.2.0' });
  });

  it('rejects a K6_BIN that is not k6', async () => {
    await expect(findK6({ K6_BIN: '/bin/true', PATH: '' })).rejects.toMatchObject({ code: ExitCode.K6_MISSING });
  });

  it('takes a compatible k6 on PATH and skips an incompatible one', async () => {
    const old = join(tmp, 'old');
    const good = join(tmp, 'good');
    mkdirSync(old, { recursive: true });
    mkdirSync(good, { recursive: true });
    writeFileSync(join(old, 'k6'), '#!/bin/sh\necho "k6 v0.45.0 (go1.20, linux/amd64)"\n');
    chmodSync(join(old, 'k6'), 0o755);
    symlinkSync(realK6, join(good, 'k6'));
    const k = await findK6({ PATH: `${old}:${good}`, CONECTA_CACHE_DIR: join(tmp, 'none') });
    expect(k).toMatchObject({ path: join(good, 'k6'), source: 'PATH' });
  });

  it('falls back to the per-version cache folder', async () => {
    const cache = join(tmp, 'cache');
    const path = cachedK6Path({ CONECTA_CACHE_DIR: cache });
    expect(path).toBe(join(cache, 'k6-v2.2.0', 'k6'));
    mkdirSync(join(cache, 'k6-v2.2.0'), { recursive: true });
    symlinkSync(realK6, path);
    expect(await findK6({ PATH: '', CONECTA_CACHE_DIR: cache })).toMatchObject({ path, source: 'cache' });
  });

  it('fails with every install route when neither k6 nor Go is there', async () => {
    const io = memoryIo({ env: { PATH: join(tmp, 'empty'), CONECTA_CACHE_DIR: join(tmp, 'none') } });
    const err = await ensureK6(io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConectaError);
    expect((err as ConectaError).code).toBe(ExitCode.K6_MISSING);
    expect((err as ConectaError).hint).toBe(INSTALL_ROUTES);
    for (const route of ['go install go.k6.io/k6/v2@v2.2.0', 'apt', 'brew', 'grafana/k6']) {
      expect(INSTALL_ROUTES).toContain(route);
    }
  });
});
