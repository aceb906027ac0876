// Keeps better-sqlite3's native addon, once compiled on this machine, where its installer looks before it
// compiles: prebuild-install first tries npm's prebuild cache (~/.npm/_prebuilds/<digest>-<file>), then GitHub,
// then falls back to a 60-s C++ build. Machines without GitHub access compiled it on every `npm ci` and again in
// every install of the packed tarball (the package test), two minutes of each CI run. The tarball is the one the
// release would hold (build/Release/better_sqlite3.node), named by version, Node ABI, platform and arch, so another
// Node or another better-sqlite3 finds no match and compiles as before. Runs after `npm ci`; does nothing when the
// addon came from the cache or is missing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
const addon = join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
const fromPkg = createRequire(join(pkgDir, 'package.json'));
const rc = fromPkg('prebuild-install/rc');
const util = fromPkg('prebuild-install/util');
const pkg = fromPkg('./package.json');

const cached = util.cachedPrebuild(util.getDownloadUrl({ ...rc(pkg), pkg }));
if (existsSync(cached)) {
  console.log(`better-sqlite3 ${pkg.version} (cache): ${cached}`);
} else if (!existsSync(addon)) {
  console.log(`better-sqlite3 ${pkg.version}: no compiled addon to cache`);
} else {
  mkdirSync(dirname(cached), { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  const r = spawnSync('tar', ['-czf', tmp, '-C', pkgDir, 'build/Release/better_sqlite3.node'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  renameSync(tmp, cached);
  console.log(`better-sqlite3 ${pkg.version}: compiled addon cached for later installs: ${cached}`);
}
