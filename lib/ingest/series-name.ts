// Which history series a result of foreign k6 output joins. History, change points and `--baseline auto` compare
// runs of one scenario and profile, so the scenario must be a name that stays the same from one night to the next:
// the one given, else the script's name, else the k6 `scenario` tags the requests carried; never the output file's
// name (nightly-2026-12-01.json and nightly-2026-12-02.json would be two series). Pure.

import { basename } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';

/** The scenario key of requests without a `scenario` tag (setup and teardown). */
export const NO_SCENARIO = '(none)';

/** k6's tag for the scenario of a script without `options.scenarios`: every such script has it, so it names none. */
export const K6_DEFAULT_SCENARIO = 'default';

export type ScenarioSource = 'given' | 'script name' | 'k6 scenario tag';

export interface SeriesScenario {
  scenario: string;
  from: ScenarioSource;
}

/** A script's name without folder and extension: `tests/checkout.test.ts` is "checkout.test". */
export function scriptScenario(script: string): string {
  return basename(script).replace(/\.(js|mjs|cjs|ts|mts|cts)$/, '');
}

/** The k6 scenarios the requests ran in, sorted and joined by "+"; undefined when only k6's default one (or none). */
export function tagScenario(tags: readonly string[]): string | undefined {
  const named = [...new Set(tags)].filter((t) => t !== NO_SCENARIO && t !== K6_DEFAULT_SCENARIO && t !== '').sort();
  return named.length ? named.join('+') : undefined;
}

/**
 * The scenario a result is recorded under. `flag` names the option that sets it, for the one-line question asked when
 * nothing names the series (exit 2).
 */
export function seriesScenario(o: { given?: string; script?: string; tags: readonly string[]; source: string; flag: string }): SeriesScenario {
  if (o.given !== undefined) return { scenario: o.given, from: 'given' };
  if (o.script !== undefined) return { scenario: scriptScenario(o.script), from: 'script name' };
  const tagged = tagScenario(o.tags);
  if (tagged !== undefined) return { scenario: tagged, from: 'k6 scenario tag' };
  throw new ConectaError(
    `${o.source}: nothing names the history series this output belongs to (no script given, and k6's only scenario tag is "${K6_DEFAULT_SCENARIO}")`,
    ExitCode.USAGE,
    `give ${o.flag} NAME, the same for every run of this test`,
  );
}

/** The one line that says which series a result joined. */
export function seriesLine(s: SeriesScenario, profile: string): string {
  return `series: scenario "${s.scenario}" (${s.from}), profile "${profile}": history, change points and --baseline auto compare it with runs of that pair`;
}
