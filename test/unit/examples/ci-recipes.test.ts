// The CI recipes in examples/ci validate against the published schemas of their CI systems (kept as data in
// test/fixtures/ci-schemas), do the four things a pre-release gate needs (k6 cached between jobs, the verdict's
// Markdown shown, JUnit uploaded, the HTML report kept), and call conecta-load only with commands and flags it has.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/main.js';
import { memoryIo } from '../../../lib/io.js';

const ROOT = join(import.meta.dirname, '../../..');
const SCHEMAS = join(ROOT, 'test/fixtures/ci-schemas');
const GITHUB = join(ROOT, 'examples/ci/github/load-gate.yml');
const GITLAB = join(ROOT, 'examples/ci/gitlab/load-gate.gitlab-ci.yml');

/** Both schemas are draft-07; their `format`s (uri, regex…) are not checked, as the CI systems' own editors do not. */
function validator(file: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
}
const yamlOf = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
type GitlabJob = { script: string[]; before_script: string[]; after_script: string[]; cache: { paths: string[] }; artifacts: { when: string; paths: string[]; reports: { junit: string } }; variables: Record<string, string> };

/** Every `npx conecta-load <command> …` a recipe runs, as argv after the program name ($VARS and quotes kept as words). */
function conectaCalls(shell: string): string[][] {
  return [...shell.replace(/\s*\n\s*/g, ' ').matchAll(/npx conecta-load ([^;|&\n]+?)(?=\s*(?:\|\||&&|;|$|\n|\bfi\b))/g)]
    .map((m) => m[1]!.trim().split(/\s+/).map((w) => w.replace(/^"|"$/g, '')));
}

/** Parses argv with the real CLI's commander program, without running any action: unknown commands or flags throw. */
function parses(argv: string[]): void {
  const program = buildProgram(memoryIo(), () => undefined).exitOverride();
  const visit = (c: typeof program) => {
    c.exitOverride();
    c.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    c.action(() => undefined);
    c.commands.forEach((s) => visit(s as typeof program));
  };
  program.commands.forEach((c) => visit(c as typeof program));
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  program.parse(['node', 'conecta-load', ...argv]);
}

describe('CI recipes', () => {
  const github = validator('github-workflow.json');
  const gitlab = validator('gitlab-ci.json');

  it('the GitHub Actions workflow validates against the published workflow schema; a broken one does not', () => {
    const wf = yamlOf(GITHUB);
    expect(github(wf), JSON.stringify(github.errors)).toBe(true);
    const jobs = wf.jobs as Record<string, Record<string, unknown>>;
    expect(github({ ...wf, jobs: { 'load-gate': { ...jobs['load-gate'], 'runs-on': undefined, runs_on: 'ubuntu' } } })).toBe(false);
    expect(github({ ...wf, on: { pull_request: { branches: 'main', typo: true } } })).toBe(false);
  });

  it('the GitLab CI job validates against the published CI schema; a broken one does not', () => {
    const ci = yamlOf(GITLAB);
    expect(gitlab(ci), JSON.stringify(gitlab.errors)).toBe(true);
    const job = ci['load-gate'] as Record<string, unknown>;
    expect(gitlab({ ...ci, 'load-gate': { ...job, artifacts: { when: 'sometimes' } } })).toBe(false);
    expect(gitlab({ ...ci, 'load-gate': { ...job, script: 42 } })).toBe(false);
  });

  it('GitHub: k6 cached, verdict in the job summary, JUnit reported, HTML report kept', () => {
    const wf = yamlOf(GITHUB) as { env: Record<string, string>; jobs: { 'load-gate': { steps: Step[] } } };
    const steps = wf.jobs['load-gate'].steps;
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'))!;
    expect(wf.env.CONECTA_CACHE_DIR).toBe('${{ github.workspace }}/.conecta-cache');
    expect(cache.with?.path).toBe('.conecta-cache/k6-*');
    const run = steps.map((s) => s.run ?? '').join('\n');
    // `--markdown` also appends the verdict to $GITHUB_STEP_SUMMARY (cli/gate.ts); JUnit and the report follow.
    expect(run).toMatch(/--gate --junit "\$RESULTS\/junit\.xml" --markdown "\$RESULTS\/verdict\.md"/);
    expect(steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'))?.with?.report_paths).toBe('${{ env.RESULTS }}/junit.xml');
    expect(String(steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with?.path)).toContain('${{ env.RESULTS }}/report.html');
    expect(steps.findIndex((s) => s.run?.includes('conecta-load report'))).toBeGreaterThan(steps.findIndex((s) => s.run?.includes('--gate')));
  });

  it('GitLab: k6 cached, verdict as a merge-request note, JUnit reported, HTML report kept', () => {
    const job = yamlOf(GITLAB)['load-gate'] as GitlabJob;
    expect(job.variables.CONECTA_CACHE_DIR).toBe('$CI_PROJECT_DIR/.conecta-cache');
    expect(job.cache.paths).toEqual(['.conecta-cache/k6-v2.2.0/']);
    expect(job.after_script.join('\n')).toMatch(/body@\$RESULTS\/verdict\.md"\s+"\$CI_API_V4_URL\/projects\/\$CI_PROJECT_ID\/merge_requests\/\$CI_MERGE_REQUEST_IID\/notes"/);
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['$RESULTS/'], reports: { junit: '$RESULTS/junit.xml' } });
  });

  it('calls conecta-load only with commands and flags the CLI has', () => {
    const gh = yamlOf(GITHUB) as { jobs: { 'load-gate': { steps: Step[] } } };
    const gl = yamlOf(GITLAB)['load-gate'] as GitlabJob;
    const calls = [
      ...gh.jobs['load-gate'].steps.flatMap((s) => conectaCalls(s.run ?? '')),
      ...[...gl.before_script, ...gl.script, ...gl.after_script].flatMap(conectaCalls),
    ];
    expect(calls.map((c) => c.slice(0, c[0] === 'sandbox' ? 2 : 1).join(' ')).sort()).toEqual([
      'doctor', 'doctor', 'report', 'report', 'run', 'run', 'sandbox down', 'sandbox down', 'sandbox up', 'sandbox up',
    ]);
    for (const argv of calls) expect(() => parses(argv), argv.join(' ')).not.toThrow();
    expect(() => parses(['run', '--no-such-flag'])).toThrow();
  });
});
