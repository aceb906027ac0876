// Ingest benchmark: a generated k6 v2 JSON output (gzip) of ≥ 2 M requests, ingested in a child process.
// Prints MB/s, lines/s, peak RSS, and the ratio of ingest speed to `gzip -dc file | wc -l` on the same file.
// Targets: ratio ≥ 0.7, peak RSS < 300 MB whatever the file size.
//
//   npx vite-node bench/ingest/run.ts [--requests 2000000] [--runs 1]
// The generated file is cached in .cache/bench-ingest/ (git-ignored); reruns skip generation.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateK6Output, LINES_PER_REQUEST } from './generate.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const requests = arg('requests', 2_000_000);
const runs = arg('runs', 1);
const cache = join(root, '.cache', 'bench-ingest');
mkdirSync(cache, { recursive: true });
const file = join(cache, `k6-v2-${requests}.json.gz`);
const mb = (b: number) => b / 1e6;

if (existsSync(file)) {
  console.log(`using cached ${file}`);
} else {
  console.log(`generating ${requests} requests (≈${LINES_PER_REQUEST} lines each) into ${file} …`);
  const t = performance.now();
  const g = await generateK6Output(file, { requests });
  console.log(`generated ${g.lines} lines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const gzBytes = statSync(file).size;

// The measured child: the ingest bundled by esbuild (npm packages left external), run by plain node.
const child = join(cache, 'child.mjs');
await build({
  entryPoints: [join(root, 'bench', 'ingest', 'child.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: child,
  logLevel: 'error',
});

function timeGzipWc(): { seconds: number; lines: number } {
  const t = performance.now();
  const out = execFileSync('sh', ['-c', `gzip -dc '${file}' | wc -l`], { encoding: 'utf8' });
  return { seconds: (performance.now() - t) / 1000, lines: Number(out.trim()) };
}

interface ChildResult {
  seconds: number; maxRssBytes: number; lines: number; bytes: number; garbled: number; requests: number;
  endpoints: number; timeline: number; p99: number;
}
function timeLinesOnly(mode = '--lines-only'): { seconds: number; lines: number } {
  const p = spawnSync(process.execPath, [child, file, mode], { encoding: 'utf8', cwd: root });
  if (p.status !== 0) throw new Error(`lines-only child failed: ${p.stderr}`);
  return JSON.parse(p.stdout) as { seconds: number; lines: number };
}

function timeIngest(): ChildResult & { wallSeconds: number } {
  const t = performance.now();
  const p = spawnSync(process.execPath, [child, file], { encoding: 'utf8', cwd: root });
  if (p.status !== 0) throw new Error(`ingest child failed: ${p.stderr}`);
  return { ...(JSON.parse(p.stdout) as ChildResult), wallSeconds: (performance.now() - t) / 1000 };
}

// gzip and ingest alternate within each run, so load from other work on the machine hits both alike.
const ratios: number[] = [];
const floorRatios: number[] = [];
const rss: number[] = [];
for (let run = 1; run <= runs; run++) {
  const base = timeGzipWc();
  const ing = timeIngest();
  const floor = timeLinesOnly();
  const inflate = timeLinesOnly('--inflate-only');
  ratios.push(base.seconds / ing.seconds);
  floorRatios.push(inflate.seconds / ing.seconds);
  rss.push(ing.maxRssBytes);
  const uncompressed = ing.bytes;
  console.log(`\nrun ${run}/${runs}: ${file}`);
  console.log(`  file: ${mb(gzBytes).toFixed(0)} MB gzip, ${mb(uncompressed).toFixed(0)} MB uncompressed, ${ing.lines} lines, ${ing.requests} requests`);
  console.log(`  gzip -dc | wc -l: ${base.seconds.toFixed(2)} s  (${mb(uncompressed / base.seconds).toFixed(0)} MB/s, ${(base.lines / base.seconds / 1e6).toFixed(2)} M lines/s)`);
  console.log(`  ingest:           ${ing.seconds.toFixed(2)} s  (${mb(uncompressed / ing.seconds).toFixed(0)} MB/s uncompressed, ${mb(gzBytes / ing.seconds).toFixed(0)} MB/s gzip, ${(ing.lines / ing.seconds / 1e6).toFixed(2)} M lines/s; ${ing.wallSeconds.toFixed(2)} s with process start)`);
  console.log(`  node gunzip + line split only: ${floor.seconds.toFixed(2)} s (the floor; ingest spends ${(ing.seconds / floor.seconds).toFixed(2)}× that)`);
  console.log(`  zlib inflate to nowhere (1 MiB chunks): ${inflate.seconds.toFixed(2)} s: the floor of any Node ingest; ratio floor / ingest ${(inflate.seconds / ing.seconds).toFixed(2)}×   (aim ≥ 0.85)`);
  console.log(`  peak RSS:         ${mb(ing.maxRssBytes).toFixed(0)} MB   (target < 300 MB)`);
  console.log(`  speed ratio ingest / (gzip -dc | wc -l): ${(base.seconds / ing.seconds).toFixed(2)}   (target ≥ 0.7)`);
  console.log(`  check: lines ${ing.lines === base.lines ? 'match' : `DIFFER (wc ${base.lines})`}, ${ing.garbled} garbled, ${ing.endpoints} endpoints, ${ing.timeline} timeline points, p99 ${ing.p99} ms`);
}
if (runs > 1) {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  console.log(`\nover ${runs} runs: speed ratio median ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}), peak RSS max ${mb(Math.max(...rss)).toFixed(0)} MB`);
}
{
  const s = [...floorRatios].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  console.log(`median ratio to the floor (zlib inflate to nowhere / ingest) over ${runs} run(s): ${median.toFixed(2)}×   (aim ≥ 0.85)`);
}
