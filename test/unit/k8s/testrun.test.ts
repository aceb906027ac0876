// Every TestRun `k8s testrun` generates validates against the TestRun fields the project carries
// (lib/k8s/testrun-fields.schema.json, stated from k6-operator's CRD) and, where a checkout has it beside it
// (../shared/k6-operator), against the full CRD too: each test's name says which schema it used. A TestRun with one
// field made invalid is refused by both.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { memoryIo } from '../../../lib/io.js';
import { MANIFEST_FILES, writeTestRun } from '../../../lib/k8s/command.js';
import { buildManifests, CONFIGMAP_MAX_BYTES, type TestRunOptions } from '../../../lib/k8s/manifests.js';
import { segmentArgs } from '../../../lib/run/segments.js';
import { bundleScript } from '../../../lib/bundle/script.js';
import { OWN_OPTIONS } from '../../../lib/run/plan.js';
import { scriptOptions, type ScriptSource } from '../../../lib/run/script.js';
import { refusalOf } from '../../conecta-error.js';

const CRD_FILE = join(__dirname, '../../../../shared/k6-operator/k6.io_testruns.yaml');
const CARRIED_FILE = join(__dirname, '../../../lib/k8s/testrun-fields.schema.json');
const HAVE_CRD = existsSync(CRD_FILE);

/**
 * The CRD's schema as a JSON Schema. Kubernetes' strict field validation (kubectl's default) refuses unknown
 * fields; a JSON Schema allows them unless told: every object with `properties` gets additionalProperties false
 * (except where the CRD preserves unknown fields).
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== 'object') return node;
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) o[k] = strict(v);
  if (o.properties !== undefined && o.additionalProperties === undefined && !o['x-kubernetes-preserve-unknown-fields']) {
    o.additionalProperties = false;
  }
  return o;
}

/** The CRD's v1alpha1 openAPIV3Schema (280 KB), made strict. */
function crdSchema(): object {
  const crd = parse(readFileSync(CRD_FILE, 'utf8')) as {
    spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
  };
  expect(crd.spec.group).toBe('k6.io');
  expect(crd.spec.names.kind).toBe('TestRun');
  return strict(crd.spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema) as object;
}

const carriedSchema = (): Record<string, unknown> => JSON.parse(readFileSync(CARRIED_FILE, 'utf8')) as Record<string, unknown>;

const compiled = new Map<string, ValidateFunction>();

/** Compiled once per source. Kubernetes' own keywords (x-kubernetes-*) and formats (int32…) are not JSON Schema's. */
function validator(source: Source): ValidateFunction {
  const hit = compiled.get(source);
  if (hit) return hit;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const v = ajv.compile(source === 'crd' ? crdSchema() : carriedSchema());
  compiled.set(source, v);
  return v;
}

type Source = 'carried' | 'crd';
const SOURCES: { source: Source; label: string }[] = [
  { source: 'carried', label: 'carried schema' },
  ...(HAVE_CRD ? [{ source: 'crd' as const, label: 'full CRD' }] : []),
];

const BASE: TestRunOptions = {
  scenario: 'mix', profile: 'load-500', scale: 1, parallelism: 3, target: 'https://staging.conecta.example',
  script: 'export default function () {}\n//# sourceMappingURL=mix.js.map\n', cpu: '1', memory: '1Gi',
};

describe('k8s testrun manifests', () => {
  it.runIf(HAVE_CRD)('the carried schema states only what the CRD states: every keyword but properties is the CRD\'s, at the same path', () => {
    const carried = carriedSchema();
    expect(carried.$comment).toMatch(/k6-operator.*Apache-2\.0.*e2c9571/);
    const paths: string[] = [];
    // Walk the carried schema beside the full one: a carried node's keywords must equal the CRD's (strict) node's.
    const walk = (mine: Record<string, unknown>, theirs: Record<string, unknown>, at: string) => {
      paths.push(at);
      for (const [k, v] of Object.entries(mine)) {
        if (k === '$comment' || k === 'properties' || k === 'items') continue;
        if (k === 'additionalProperties' && typeof v === 'object') { walk(v as never, theirs[k] as never, `${at}/*`); continue; }
        expect({ at, k, v: theirs[k] }).toEqual({ at, k, v });
      }
      for (const [k, v] of Object.entries((mine.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        const theirsProps = theirs.properties as Record<string, Record<string, unknown>> | undefined;
        expect(theirsProps?.[k], `${at}/${k} is not in the CRD`).toBeDefined();
        walk(v, theirsProps![k]!, `${at}/${k}`);
      }
      if (mine.items) walk(mine.items as never, theirs.items as never, `${at}/[]`);
    };
    walk(carried, crdSchema() as Record<string, unknown>, '');
    expect(paths).toContain('/spec/runner/resources/limits/*');
    expect(paths.length).toBeGreaterThan(30);
  }, 120_000);

  it.skipIf(HAVE_CRD)('without ../shared/k6-operator, the carried schema alone is used', () => {
    expect(SOURCES.map((s) => s.source)).toEqual(['carried']);
  });

  it.each(SOURCES)('every generated TestRun validates against $label', ({ source }) => {
    const validate = validator(source);
    const variants: TestRunOptions[] = [
      BASE,
      { ...BASE, parallelism: 1, separate: true, namespace: 'load', name: 'nightly-5000' },
      { ...BASE, profile: 'load-5000-open', scale: 0.5, steadyS: 600, env: { MIX: '70,20,10', THINK_MIN_S: '1' }, usersFile: '[]' },
      { ...BASE, scenario: 'porteiro', profile: 'soak', parallelism: 10, accessMode: 'ReadWriteOnce', storageClass: 'standard', image: 'registry/k6:custom' },
    ];
    for (const v of variants) {
      const m = buildManifests(v);
      // Through YAML and back, as kubectl reads it.
      const testRun = parse(JSON.stringify(m.testRun));
      const ok = validate(testRun);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it.each(SOURCES)('$label refuses a TestRun with one field made invalid', ({ source }) => {
    const validate = validator(source);
    const good = buildManifests(BASE).testRun as { spec: Record<string, unknown> };
    const bad = (mutate: (spec: Record<string, unknown>) => void) => {
      const copy = structuredClone(good);
      mutate(copy.spec);
      return validate(copy);
    };
    expect(validate(structuredClone(good))).toBe(true);
    expect(bad((s) => (s.parallelism = 'three'))).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/spec/parallelism', keyword: 'type' });
    expect(bad((s) => (s.cleanup = 'always'))).toBe(false);
    expect(bad((s) => delete s.script)).toBe(false);
    expect(bad((s) => ((s.script as { configMap: { name?: string } }).configMap = { file: 'mix.js' } as never))).toBe(false);
    expect(bad((s) => ((s.runner as Record<string, unknown>).envs = []))).toBe(false);
    expect(bad((s) => ((s.runner as { resources: { limits: { memory: string } } }).resources.limits.memory = '2 GB'))).toBe(false);
  });

  it('gives the runners what the script needs, and writes their raw outputs to the PVC it declares', () => {
    const m = buildManifests({ ...BASE, steadyS: 120, env: { MIX: '1,1,1' }, usersFile: '[{"email":"a","password":"b","role":"morador"}]' });
    const spec = m.testRun.spec as {
      parallelism: number; arguments: string; script: { configMap: { name: string; file: string } };
      initializer: { env: { name: string; value: string }[] };
      runner: { env: { name: string; value?: string }[]; volumes: { persistentVolumeClaim: { claimName: string } }[]; volumeMounts: { mountPath: string }[] };
    };
    expect(m.testRun).toMatchObject({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: 'conecta-mix-load-500' } });
    expect(spec.parallelism).toBe(3);
    expect(spec.arguments).toBe('--no-thresholds');
    expect(spec.script.configMap).toEqual({ name: 'conecta-mix-load-500', file: 'mix.js' });
    const env = Object.fromEntries(spec.runner.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      TARGET: BASE.target, PROFILE: 'load-500', SCALE: '1', STEADY_S: '120', MIX: '1,1,1', USERS_FILE: '/test/users.json',
      CONECTA_VU_METADATA: '1', K6_OUT: 'json=/results/$(POD_NAME).json.gz',
    });
    // POD_NAME is declared before K6_OUT, which Kubernetes expands it into.
    expect(spec.runner.env.findIndex((e) => e.name === 'POD_NAME')).toBeLessThan(spec.runner.env.findIndex((e) => e.name === 'K6_OUT'));
    expect(Object.fromEntries(spec.initializer.env.map((e) => [e.name, e.value]))).toMatchObject({ PROFILE: 'load-500', SCALE: '1' });
    expect(spec.runner.volumes[0]!.persistentVolumeClaim.claimName).toBe((m.pvc.metadata as { name: string }).name);
    expect(spec.runner.volumeMounts[0]!.mountPath).toBe('/results');
    expect(m.pvc.spec).toMatchObject({ accessModes: ['ReadWriteMany'] });
    const data = m.configMap.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['mix.js', 'users.json']);
    expect(data['mix.js']).not.toContain('sourceMappingURL');
    // The same split `run --segments` makes locally (k6-operator adds it to each runner itself).
    expect(segmentArgs(0, 3).slice(0, 4)).toEqual(['--execution-segment', '0:1/3', '--execution-segment-sequence', '0,1/3,2/3,1']);
  });

  it('refuses a script over 1 MiB and a name Kubernetes would refuse, in one line', () => {
    expect(() => buildManifests({ ...BASE, script: 'x'.repeat(CONFIGMAP_MAX_BYTES) })).toThrow(
      expect.objectContaining({ code: ExitCode.USAGE, message: expect.stringMatching(/over Kubernetes' 1 MiB/) }),
    );
    expect(() => buildManifests({ ...BASE, name: 'Nightly_Run' })).toThrow(/is not a Kubernetes name/);
    expect(() => buildManifests({ ...BASE, parallelism: 0 })).toThrow(/--parallelism must be a positive integer/);
    expect(() => buildManifests({ ...BASE, memory: '2 GB' })).toThrow('--memory "2 GB" is not a Kubernetes quantity');
  });

  it('writes the four manifests of the real bundle, each one valid YAML, the TestRun valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-k8s-'));
    const io = memoryIo({ cwd: dir });
    const { recipe } = await writeTestRun({
      scenario: 'mix', profile: 'load-500', scale: 1, parallelism: 3, target: 'https://staging.conecta.example', out: dir,
    }, io);
    const docs = Object.fromEntries(Object.entries(MANIFEST_FILES).map(([k, f]) => [k, parse(readFileSync(join(dir, f), 'utf8'))]));
    for (const { source } of SOURCES) expect(validator(source)(docs.testRun)).toBe(true);
    expect((docs.configMap as { data: Record<string, string> }).data['mix.js']).toContain('export');
    // 500 users over 3 runners: each asks for what the measured k6 needs for its share.
    expect((docs.testRun as { spec: { runner: { resources: unknown } } }).spec.runner.resources).toMatchObject({
      requests: { cpu: expect.any(String), memory: expect.stringMatching(/Mi$/) },
    });
    expect(recipe).toContain('conecta-load merge ./conecta-mix-load-500-outputs/*.json.gz --scenario mix --profile load-500 --scale 1');
  });
});

describe('k8s testrun --script: a user\'s script in the manifests', () => {
  const FIXTURE = join(__dirname, '../../fixtures/own-script/users-over-tls.js');
  // The script bundled for real; its options as `k6 inspect --execution-requirements` reports them for it.
  const loaded = async (): Promise<ScriptSource> => ({
    ...(await bundleScript(FIXTURE, __dirname)),
    options: scriptOptions({ vus: 2, duration: '5s', thresholds: { http_req_failed: ['rate==0'] }, scenarios: { default: { executor: 'constant-vus' } }, maxVUs: 2, totalDurationS: '35s' }),
  });
  const BASE_CMD = { scenario: 'mix', scale: 1, target: 'https://staging.conecta.example' };
  const read = (dir: string) => Object.fromEntries(Object.entries(MANIFEST_FILES).map(([k, f]) => [k, parse(readFileSync(join(dir, f), 'utf8'))])) as {
    configMap: { data: Record<string, string> }; testRun: { metadata: { name: string }; spec: { arguments: string; parallelism: number; script: { configMap: { file: string } } } };
  };

  it('ships the bundled script under its own name with its own options, the TestRun valid against every schema here', async () => {
    const script = await loaded();
    const dir = mkdtempSync(join(tmpdir(), 'conecta-k8s-script-'));
    const { recipe } = await writeTestRun({ ...BASE_CMD, script, profile: OWN_OPTIONS, parallelism: 2, out: dir, usersFile: undefined }, memoryIo({ cwd: dir }));
    const docs = read(dir);
    for (const { source } of SOURCES) {
      const validate = validator(source);
      expect(validate(docs.testRun)).toBe(true);
      expect(validate.errors ?? []).toEqual([]);
    }
    expect(docs.testRun.metadata.name).toBe('conecta-users-over-tls-own');
    expect(docs.testRun.spec.script.configMap.file).toBe('users-over-tls.js');
    expect(docs.testRun.spec.arguments).toBe('--no-thresholds');
    expect(Object.keys(docs.configMap.data)).toEqual(['users-over-tls.js']);
    expect(docs.configMap.data['users-over-tls.js']).toContain('/api/v1/auth/login');
    expect(docs.configMap.data['users-over-tls.js']).not.toContain('sourceMappingURL');
    expect(recipe).toContain('--scenario users-over-tls --profile own --scale 1');
  });

  it('runs a profile\'s stages on the script\'s default scenario, as `run --script --profile` does', async () => {
    const script = await loaded();
    const dir = mkdtempSync(join(tmpdir(), 'conecta-k8s-script-'));
    await writeTestRun({ ...BASE_CMD, script, profile: 'load-100', scale: 0.1, steadyS: 60, parallelism: 5, out: dir }, memoryIo({ cwd: dir }));
    const docs = read(dir);
    for (const { source } of SOURCES) expect(validator(source)(docs.testRun)).toBe(true);
    expect(docs.testRun.spec.arguments).toMatch(/^--no-thresholds( --stage \d+s:\d+)+$/);
    expect(docs.testRun.spec.arguments).toContain('--stage 60s:10');
  });

  it('refuses more runners than the script\'s VUs, and --scale without a profile, in one line', async () => {
    const script = await loaded();
    const dir = mkdtempSync(join(tmpdir(), 'conecta-k8s-script-'));
    const io = memoryIo({ cwd: dir });
    const refused = async (o: Partial<Parameters<typeof writeTestRun>[0]>) => {
      const e = await writeTestRun({ ...BASE_CMD, script, profile: OWN_OPTIONS, parallelism: 1, out: dir, ...o }, io).then(() => undefined, (x: unknown) => x);
      return refusalOf(() => { throw e; }, ExitCode.USAGE).message;
    };
    expect(await refused({ parallelism: 3 })).toBe('--parallelism 3 is more than the 2 VUs of own × 1');
    expect(await refused({ scale: 2 })).toMatch(/^--duration and --scale shape a profile: with --script, give --profile too/);
  });
});
