// The edge of `k8s testrun`: reads the scenario bundle (and users file), builds the manifests, writes them as YAML.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { peakVus } from '../../scenarios/profiles.js';
import { writeFileAtomic } from '../atomic-file.js';
import { bundleScenarios, bundlePath, packageRoot } from '../bundle/bundle.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { planRun, validateNames } from '../run/plan.js';
import type { ScriptSource } from '../run/script.js';
import { readUsersFile } from '../run/users-file.js';
import { buildManifests, type Manifests, type TestRunOptions } from './manifests.js';
import { runnerSize } from './sizing.js';

export const MANIFEST_FILES = {
  configMap: 'configmap.yaml',
  pvc: 'pvc.yaml',
  testRun: 'testrun.yaml',
  collector: 'collector.yaml',
} as const satisfies Record<keyof Manifests, string>;

export type TestRunCommandOptions = Omit<TestRunOptions, 'script' | 'usersFile' | 'cpu' | 'memory' | 'vus' | 'k6Args'> & {
  out: string;
  /** A user's own script (lib/run/script.ts, already bundled and read by k6) instead of the scenario's bundle: its
   *  own options (profile OWN_OPTIONS), or a closed profile's stages on its default scenario, as `run --script`. */
  script?: ScriptSource;
  usersFile?: string;
  cpu?: string;
  memory?: string;
};

export async function writeTestRun(opts: TestRunCommandOptions, io: Io): Promise<{ dir: string; manifests: Manifests; recipe: string }> {
  if (!(opts.scale > 0)) throw new ConectaError(`--scale must be a positive number, got ${opts.scale}`, ExitCode.USAGE);
  // A user's script is planned as `run --script` plans it (one owner): its name, peak VUs and any --stage flags.
  const plan = opts.script ? planRun({ ...opts, script: opts.script }) : undefined;
  const o = plan ? { ...opts, scenario: plan.scenario } : opts;
  if (!plan) validateNames(o.scenario, o.profile);
  const root = packageRoot();
  if (!plan && !existsSync(bundlePath(root, o.scenario))) {
    io.stderr('Scenario bundles are missing; bundling them first…\n');
    await bundleScenarios({ root, io });
  }
  // Checked as `run --users-file` checks it (one format), then shipped as text in the ConfigMap.
  const usersFile = o.usersFile !== undefined ? readUsersFile(o.usersFile, io.cwd).text : undefined;
  const vus = plan ? plan.profile.peakVus : peakVus(o.profile, o.scale);
  const size = runnerSize(Math.ceil(vus / o.parallelism));
  const manifests = buildManifests({
    ...o,
    script: opts.script ? opts.script.code : readFileSync(bundlePath(root, o.scenario), 'utf8'),
    ...(plan ? { vus, k6Args: plan.k6Args } : {}),
    ...(usersFile !== undefined ? { usersFile } : {}),
    cpu: o.cpu ?? size.cpu,
    memory: o.memory ?? size.memory,
  });
  const dir = resolve(io.cwd, o.out);
  mkdirSync(dir, { recursive: true });
  for (const [k, file] of Object.entries(MANIFEST_FILES)) {
    writeFileAtomic(join(dir, file), stringify(manifests[k as keyof Manifests], { lineWidth: 0 }));
  }
  return { dir, manifests, recipe: recipe(manifests, o, dir) };
}

/** The commands that run the test and bring its results home, printed after the files are written. */
function recipe(m: Manifests, o: TestRunCommandOptions, dir: string): string {
  const name = (m.testRun.metadata as { name: string }).name;
  const ns = o.namespace ? ` -n ${o.namespace}` : '';
  return [
    `kubectl apply${ns} -f ${dir}/${MANIFEST_FILES.configMap} -f ${dir}/${MANIFEST_FILES.pvc}`,
    `kubectl apply${ns} -f ${dir}/${MANIFEST_FILES.testRun}`,
    `kubectl wait${ns} testrun/${name} --for=jsonpath='{.status.stage}'=finished --timeout=2h`,
    `kubectl apply${ns} -f ${dir}/${MANIFEST_FILES.collector} && kubectl wait${ns} pod/${name}-collector --for=condition=Ready`,
    `kubectl cp${ns} ${name}-collector:/results ./${name}-outputs`,
    `conecta-load merge ./${name}-outputs/*.json.gz --scenario ${o.scenario} --profile ${o.profile} --scale ${o.scale} --out ./${name}-merged`,
    `conecta-load gate ./${name}-merged && conecta-load report ./${name}-merged`,
  ].join('\n');
}
