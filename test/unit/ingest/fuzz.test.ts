// Property test over the ingest with fast-check: k6 output as a careless user or an attacker would write it —
// valid request lines whose tags, times and values are anything, JavaScript's own names, Metric lines with any
// thresholds, truncated and garbage lines, a CSV header. Properties: the ingest either gives a result or refuses
// with one line (ConectaError, BAD_INPUT), never another error; memory stays bounded (the result's timeline and
// size); what analyze writes, readRunResult, the gate and the report read, and their text carries no ESC byte and
// no line starting a workflow command. Bounded in time: it stops trying after FUZZ_MS.

import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { judge } from '../../../lib/gate/judge.js';
import { renderMarkdown } from '../../../lib/gate/render-markdown.js';
import { renderText } from '../../../lib/gate/render-text.js';
import { formatSummary } from '../../../lib/ingest/summary.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { LIMITS } from '../../../lib/input-limits.js';
import { reportMarkdown } from '../../../lib/report/render.js';
import { reportView } from '../../../lib/report/view.js';
import { readRunResult, writeRunResult } from '../../../lib/result/store.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';

const FUZZ_MS = 15_000;
const dir = mkdtempSync(join(tmpdir(), 'conecta-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const OWN_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ''];
const HOSTILE = ['x\n::error::X', '\u001b]0;t\u0007\u001b[2J', '<script>alert(1)</script>', '`a``b`', 'a|b', '\\', '"', '\u2028', '%E0%A4%A'];

const tagValue = fc.oneof(fc.constantFrom(...OWN_NAMES, ...HOSTILE), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
const metricName = fc.oneof(
  fc.constantFrom('http_reqs', 'http_req_duration', 'http_req_failed', 'vus', 'iterations', 'checks', 'dropped_iterations', 'http_req_waiting'),
  fc.constantFrom(...OWN_NAMES),
  fc.string({ maxLength: 10 }),
);
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -5_000, max: 60_000 }).map((d) => new Date(T0 + d).toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('9999-01-01T00:00:00Z', '2023-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'x', '') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400 * 86_400 }).map((s) => new Date(T0 + s * 1000).toISOString()) },
);
const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 5000, noNaN: true }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '1e999', '-1e999', '0', '1', '1.5', '1e308', 'null', '"5"', '1e-320') },
);
const tags = fc.dictionary(fc.constantFrom('name', 'method', 'url', 'status', 'scenario', 'check', 'group', ...OWN_NAMES), tagValue, { maxKeys: 6 });

const pointLine = fc.tuple(metricName, time, value, tags).map(([m, t, v, tg]) =>
  `{"metric":${JSON.stringify(m)},"type":"Point","data":{"time":${JSON.stringify(t)},"value":${v},"tags":${JSON.stringify(tg)}}}`);
const metricLine = fc.tuple(metricName, fc.constantFrom('trend', 'counter', 'rate', 'gauge', 'x'), fc.array(fc.oneof(fc.constantFrom('p(95)<300', 'rate<0.01', 'count>0'), fc.string({ maxLength: 8 })), { maxLength: 3 }), fc.array(fc.tuple(fc.string({ maxLength: 6 }), tags), { maxLength: 2 }))
  .map(([m, type, th, subs]) => JSON.stringify({
    metric: m, type: 'Metric',
    data: { name: m, type, contains: 'default', thresholds: th, submetrics: subs.map(([n, t]) => ({ name: `${m}{${n}}`, tags: t })) },
  }));
const line = fc.oneof(
  { weight: 10, arbitrary: pointLine },
  { weight: 2, arbitrary: metricLine },
  { weight: 1, arbitrary: pointLine.chain((l) => fc.nat({ max: l.length }).map((n) => l.slice(0, n))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata') },
  { weight: 1, arbitrary: fc.tuple(metricName, fc.integer({ min: 0, max: 2e9 }), value, tagValue).map(([m, ts, v, n]) => `${m},${ts},${v},,,,,,GET,${JSON.stringify(n)},,,,200,,,,a=%E0&b=1,`) },
);
const file = fc.array(line, { minLength: 0, maxLength: 60 }).map((ls) => ls.join('\n') + '\n');

const THRESHOLDS = parseThresholds({ schema: 'conecta-load/thresholds@1', minSamples: 1, targets: { p95: '<300ms', errorRate: '<1%' } }, 'thresholds.json');

function inert(text: string): void {
  expect(text).not.toContain('\u001b');
  for (const l of text.split('\n')) expect(l.trimStart().startsWith('::')).toBe(false);
}

let n = 0;
async function property(content: string): Promise<void> {
  const f = join(dir, `in-${n++}.json`);
  writeFileSync(f, content);
  let result;
  try {
    result = (await ingestK6Output(f, { source: 'analyze' })).whole;
  } catch (e) {
    // A refusal is fine when it is one line with BAD_INPUT; anything else (a TypeError, a RangeError) is a bug.
    if (!(e instanceof ConectaError)) throw e;
    expect(e.code).toBe(ExitCode.BAD_INPUT);
    expect(e.message).not.toContain('\n');
    return;
  }
  // Memory bounded: one timeline point per second of the run, and the run is at most LIMITS.maxSpanS long.
  expect(result.timeline.length).toBeLessThanOrEqual(LIMITS.maxSpanS + 1);
  expect(Object.keys(result.scenarios ?? {}).length).toBeLessThanOrEqual(LIMITS.maxScenarios + 1);
  const run = join(dir, `run-${n}`);
  writeRunResult(run, result);
  const back = readRunResult(run);
  inert(formatSummary(back));
  const verdict = judge(back, THRESHOLDS, { profile: back.meta.profile });
  inert(renderText(verdict));
  expect(renderMarkdown(verdict)).not.toContain('\u001b');
  const view = reportView({ kind: 'run', dir: run, file: join(run, 'result.json'), result: back }, {});
  const md = reportMarkdown(view, new Map());
  expect(md).not.toContain('\u001b');
  // Raw HTML only outside code spans (inside one it is shown, not run).
  expect(md.replace(/(`+)[^`][\s\S]*?\1/g, '')).not.toMatch(/<script|<img/i);
  rmSync(run, { recursive: true, force: true });
  rmSync(f, { force: true });
}

describe('ingest property test (fast-check)', () => {
  it(`never crashes, stays bounded, and writes what gate and report read (${FUZZ_MS / 1000} s of inputs)`, async () => {
    const started = Date.now();
    const heap0 = process.memoryUsage().heapUsed;
    const out = await fc.check(fc.asyncProperty(file, property), { numRuns: 1_000_000, interruptAfterTimeLimit: FUZZ_MS, markInterruptAsFailure: false, seed: Number(process.env.CONECTA_FUZZ_SEED ?? 20261202) });
    const heapGrowthMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    // The figures, for the record: how many inputs were tried in how long.
    console.log(`fuzz: ${out.numRuns} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s, heap +${heapGrowthMb.toFixed(0)} MB`);
    if (out.failed) throw new Error(`${fc.defaultReportMessage(out) ?? 'property failed'}\n${String((out.errorInstance as Error | undefined)?.stack ?? out.errorInstance)}`);
    expect(out.numRuns).toBeGreaterThan(100);
    expect(heapGrowthMb).toBeLessThan(512);
  }, FUZZ_MS + 20_000);
});
