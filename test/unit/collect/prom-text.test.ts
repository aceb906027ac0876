import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../lib/collect/prom-text.js';
import { counterRates, sumSeries } from '../../../lib/collect/types.js';

describe('parsePromText', () => {
  it('reads HELP, TYPE, labels with escapes, special values and timestamps', () => {
    const text = [
      '# HELP http_requests_total The total\\nnumber of requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '# a plain comment',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      'nan_metric NaN',
      'trailing_comma{a="1",} -Inf',
      '',
    ].join('\n');
    const p = parsePromText(text);
    expect(p.families.get('http_requests_total')).toEqual({ name: 'http_requests_total', type: 'counter', help: 'The total\nnumber of requests.' });
    expect(p.samples[0]).toEqual({ name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestamp: 1395066363000 });
    expect(p.samples[1]!.value).toBe(3);
    expect(p.samples[2]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(p.samples[2]!.value).toBe(1458255915);
    expect(p.samples[3]).toEqual({ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 });
    expect(p.samples[4]!.value).toBe(Number.POSITIVE_INFINITY);
    expect(p.samples[4]!.timestamp).toBe(-3982045);
    expect(Number.isNaN(p.samples[5]!.value)).toBe(true);
    expect(p.samples[6]).toEqual({ name: 'trailing_comma', labels: { a: '1' }, value: Number.NEGATIVE_INFINITY });
    expect(p.samples).toHaveLength(7);
  });

  it('names the line of a malformed sample', () => {
    expect(() => parsePromText('ok 1\nbad{a="x" 2\n')).toThrow(/^line 2: /);
    expect(() => parsePromText('ok 1\nno_value\n')).toThrow(/^line 2: bad value ""/);
    expect(() => parsePromText('x{a=1} 2')).toThrow(/line 1: expected " for label a/);
  });
});

describe('series helpers', () => {
  it('turns a counter into per-second rates, treating a drop as a reset', () => {
    expect(counterRates([{ t: 0, value: 10 }, { t: 2000, value: 14 }, { t: 3000, value: 2 }, { t: 3000, value: 5 }])).toEqual([
      { t: 2000, value: 2 }, { t: 3000, value: 2 },
    ]);
  });

  it('sums instances only at timestamps they all have', () => {
    const a = { status: 'ok' as const, resource: 'memory', instance: 'a', unit: 'bytes' as const, samples: [{ t: 1, value: 1 }, { t: 2, value: 2 }] };
    const b = { ...a, instance: 'b', samples: [{ t: 2, value: 10 }, { t: 3, value: 30 }] };
    expect(sumSeries('memory', 'bytes', [a, b])!.samples).toEqual([{ t: 2, value: 12 }]);
    expect(sumSeries('memory', 'bytes', [])).toBeNull();
  });

  // Kept hand-written (prom-client writes this format but cannot read it; the one npm parser has no types, folds
  // histograms and summaries into families and cannot name a bad line): so it is pinned to a real exporter's output,
  // Debian's prometheus-node-exporter 1.5.0 (--collector.loadavg/meminfo/cpu), captured verbatim and trimmed to
  // whole families.
  it('reads real prometheus-node-exporter 1.5.0 output: every family and sample, summaries as plain samples', () => {
    const p = parsePromText(readFileSync(join(import.meta.dirname, '../../fixtures/node-exporter-1.5.0.prom'), 'utf8'));
    expect(p.families.size).toBe(12);
    expect(p.samples).toHaveLength(37);
    expect(p.families.get('go_gc_duration_seconds')).toMatchObject({ type: 'summary', help: 'A summary of the pause duration of garbage collection cycles.' });
    expect(p.samples.filter((s) => s.name === 'go_gc_duration_seconds').map((s) => s.labels.quantile)).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(p.samples.find((s) => s.name === 'node_load1')!.value).toBe(11.34);
    expect(p.samples.find((s) => s.name === 'node_memory_MemTotal_bytes')!.value).toBe(25276510208);
    expect(p.samples.find((s) => s.name === 'node_exporter_build_info')!.labels).toEqual({
      branch: 'debian/sid', goarch: 'amd64', goos: 'linux', goversion: 'go1.19.8', revision: '1.5.0-1+b6', version: '1.5.0',
    });
    expect(p.samples.filter((s) => s.name === 'node_cpu_seconds_total')).toHaveLength(16);
    expect(p.samples.find((s) => s.name === 'node_cpu_seconds_total' && s.labels.cpu === '0' && s.labels.mode === 'idle')!.value).toBe(496.91);
  });
});
