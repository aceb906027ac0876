import { describe, expect, it } from 'vitest';
import { parseUslCsv } from '../../../lib/capacity/csv.js';
import { formatUslFit, uslFitJson } from '../../../lib/capacity/format.js';
import { fitUsl } from '../../../lib/capacity/usl.js';

describe('parseUslCsv', () => {
  it('reads a header, comments, blank lines and several separators', () => {
    expect(parseUslCsv('concurrency,throughput\n# sdm91\n1,64.9\n\n18;995.9\n36\t1652.4\n72 1853.2,extra\n', 'x.csv')).toEqual([
      { n: 1, x: 64.9 }, { n: 18, x: 995.9 }, { n: 36, x: 1652.4 }, { n: 72, x: 1853.2 },
    ]);
  });

  it('names the file and line of a bad row', () => {
    expect(() => parseUslCsv('N,X\n1,2\n3,abc\n', 'data.csv')).toThrow('data.csv: line 3: expected "concurrency,throughput" numbers, got "3,abc"');
    expect(() => parseUslCsv('0,5\n', 'd.csv')).toThrow(/line 1: concurrency must be > 0/);
    expect(() => parseUslCsv('N,X\n', 'e.csv')).toThrow('e.csv: no data rows');
  });
});

describe('fit views', () => {
  const fit = fitUsl([1, 18, 36, 72, 108, 144, 216].map((n, i) => ({ n, x: [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2][i]! })));

  it('prints σ, κ, λ, N*, X_max and R²', () => {
    const text = formatUslFit(fit);
    expect(text).toMatch(/^sigma +0\.0277285/m);
    expect(text).toMatch(/^kappa +0\.000104365/m);
    expect(text).toMatch(/^lambda +89\.9952/m);
    expect(text).toMatch(/^N\* +96\.52$/m);
    expect(text).toMatch(/^X_max +1883\.9/m);
    expect(text).toMatch(/^R² +0\.989561/m);
  });

  it('gives the JSON keys the CLI promises', () => {
    expect(Object.keys(uslFitJson(fit))).toEqual(expect.arrayContaining(['sigma', 'kappa', 'lambda', 'peakConcurrency', 'maxThroughput', 'rSquared']));
  });
});
