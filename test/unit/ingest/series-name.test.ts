// Which history series a foreign k6 output joins: given, else the script's name, else its k6 scenario tags, else ask.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { NO_SCENARIO, scriptScenario, seriesLine, seriesScenario, tagScenario } from '../../../lib/ingest/series-name.js';

const ask = { source: 'nightly-2026-12-01.json', flag: '--scenario' };

describe('series name', () => {
  it('names a script by its file name without folder and extension', () => {
    expect(scriptScenario('tests/load/checkout.ts')).toBe('checkout');
    expect(scriptScenario('/abs/checkout.test.js')).toBe('checkout.test');
    expect(scriptScenario('plain')).toBe('plain');
  });

  it("names k6's scenarios sorted and joined, without setup/teardown's and k6's default", () => {
    expect(tagScenario(['browse'])).toBe('browse');
    expect(tagScenario(['buy', NO_SCENARIO, 'browse', 'buy'])).toBe('browse+buy');
    expect(tagScenario(['default', NO_SCENARIO])).toBeUndefined();
    expect(tagScenario([])).toBeUndefined();
  });

  it('prefers what is given, then the script, then the tags', () => {
    expect(seriesScenario({ ...ask, given: 'nightly', script: 'x.js', tags: ['a'] })).toEqual({ scenario: 'nightly', from: 'given' });
    expect(seriesScenario({ ...ask, script: 'load/checkout.ts', tags: ['a'] })).toEqual({ scenario: 'checkout', from: 'script name' });
    expect(seriesScenario({ ...ask, tags: ['default', 'browse'] })).toEqual({ scenario: 'browse', from: 'k6 scenario tag' });
  });

  it('asks in one line, exit 2, naming the flag, when nothing names the series', () => {
    expect(() => seriesScenario({ ...ask, tags: ['default'] })).toThrow(expect.objectContaining({
      code: ExitCode.USAGE,
      message: 'nightly-2026-12-01.json: nothing names the history series this output belongs to (no script given, and k6\'s only scenario tag is "default")',
      hint: 'give --scenario NAME, the same for every run of this test',
    }));
  });

  it('says which series in one line', () => {
    expect(seriesLine({ scenario: 'browse', from: 'k6 scenario tag' }, 'unknown')).toBe(
      'series: scenario "browse" (k6 scenario tag), profile "unknown": history, change points and --baseline auto compare it with runs of that pair',
    );
  });
});
