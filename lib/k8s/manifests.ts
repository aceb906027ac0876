// The Kubernetes manifests of a distributed run with k6-operator: the bundled script in a ConfigMap, a PVC for the
// runners' raw outputs, the TestRun (k6.io/v1alpha1) and a collector pod to copy the outputs out. Pure: objects in,
// objects out; lib/k8s/command.ts writes them as YAML.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { peakVus } from '../../scenarios/profiles.js';
import { K6_VERSION } from '../version.js';

/** Kubernetes refuses a ConfigMap over 1 MiB (etcd's object limit). */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** Where k6-operator mounts a ConfigMap script in the runner (and initializer) pods. */
export const SCRIPT_MOUNT = '/test';
/** Where the runners write their raw outputs, on the PVC. */
export const RESULTS_MOUNT = '/results';
/** The grafana/k6 image runs as this user: the PVC is made group-writable for it. */
export const K6_IMAGE_GID = 12345;

export interface TestRunOptions {
  scenario: string;
  profile: string;
  scale: number;
  parallelism: number;
  target: string;
  /** The bundled k6 script (dist/scenarios/<scenario>.js, or a user's `--script` as bundled). */
  script: string;
  /** Peak VUs when the script, not a profile, says (a user's script, as k6 reads it); default: the profile's. */
  vus?: number;
  /** k6 flags the run's plan adds (a profile's `--stage`s on a user's script), before the operator's own. */
  k6Args?: readonly string[];
  /** JSON users file for USERS_FILE, shipped in the same ConfigMap (the real stack has no /__sandbox/users). */
  usersFile?: string;
  steadyS?: number;
  /** More script variables (THINK_MIN_S, MIX, …). */
  env?: Record<string, string>;
  name?: string;
  namespace?: string;
  image?: string;
  /** Per runner: CPU (e.g. "2") and memory (e.g. "2Gi"), as requests and limits. */
  cpu: string;
  memory: string;
  /** Size of the PVC for the raw outputs; default DEFAULT_STORAGE. */
  storage?: string;
  storageClass?: string;
  /** ReadWriteMany lets runners on different nodes share the PVC; ReadWriteOnce needs them on one node. */
  accessMode?: 'ReadWriteMany' | 'ReadWriteOnce';
  /** One runner per node (k6-operator's `separate`): runners do not share a node's CPU and network. */
  separate?: boolean;
}

/** The PVC's size when none is asked: room for the raw k6 outputs of a long run of every runner. */
export const DEFAULT_STORAGE = '10Gi';

export type Manifest = Record<string, unknown>;

export interface Manifests {
  configMap: Manifest;
  pvc: Manifest;
  testRun: Manifest;
  collector: Manifest;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Kubernetes quantity ("2", "500m", "1792Mi", "10Gi"), as the API server parses it. */
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** A positive quantity: the API server takes "-1" as a quantity, but no runner gets negative or zero CPU. */
function checkQuantity(flag: string, v: string): string {
  const hint = 'e.g. 2, 500m, 1792Mi, 10Gi';
  if (!QUANTITY.test(v)) throw new ConectaError(`${flag} "${v}" is not a Kubernetes quantity`, ExitCode.USAGE, hint);
  if (v.startsWith('-') || !(parseFloat(v.replace(/^\+/, '')) > 0)) throw new ConectaError(`${flag} "${v}" must be more than 0`, ExitCode.USAGE, hint);
  return v;
}

/** A DNS-1123 subdomain (storage class names): dot-separated labels, at most 253 characters. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An OCI image reference: [registry[:port]/]path[:tag][@sha256:digest], lower-case path components. */
const IMAGE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** What the API server (and the runner pods) would refuse, refused here: one line each, before any file is written. */
function checkNames(o: TestRunOptions): void {
  const fail = (msg: string, hint: string): never => {
    throw new ConectaError(msg, ExitCode.USAGE, hint);
  };
  if (o.namespace !== undefined && (!DNS_LABEL.test(o.namespace) || o.namespace.length > 63)) {
    fail(`--namespace "${o.namespace}" is not a Kubernetes namespace`, 'lower-case letters, digits and "-", at most 63 characters');
  }
  if (o.storageClass !== undefined && (!DNS_SUBDOMAIN.test(o.storageClass) || o.storageClass.length > 253)) {
    fail(`--storage-class "${o.storageClass}" is not a storage class name`, 'lower-case letters, digits, "-" and ".", at most 253 characters');
  }
  if (o.image !== undefined && (!IMAGE.test(o.image) || o.image.length > 512)) {
    fail(`--image "${o.image}" is not an image reference`, 'e.g. grafana/k6:1.4.2 or registry.example:5000/team/k6@sha256:…');
  }
  let url: URL | undefined;
  try {
    url = new URL(o.target);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    fail(`--target "${o.target}" is not an http(s) URL`, 'the base URL the runner pods reach, e.g. http://conecta-api.conecta:8080');
  }
}

/** A DNS-1123 label, short enough that k6-operator's "<name>-<index>" runner jobs and "<name>-results" stay valid. */
export function checkName(name: string): string {
  if (!DNS_LABEL.test(name) || name.length > 50) {
    throw new ConectaError(`--name "${name}" is not a Kubernetes name`, ExitCode.USAGE, 'lower-case letters, digits and "-", at most 50 characters');
  }
  return name;
}

export function defaultName(scenario: string, profile: string): string {
  return `conecta-${scenario}-${profile}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+$/, '').slice(0, 50);
}

/** The variables the scenario bundle reads (docs/ARCHITECTURE.md, "Scenario bundle ↔ runner"). */
export function scriptEnv(o: TestRunOptions): Record<string, string> {
  return {
    TARGET: o.target,
    PROFILE: o.profile,
    SCALE: String(o.scale),
    ...(o.steadyS !== undefined ? { STEADY_S: String(o.steadyS) } : {}),
    ...(o.usersFile !== undefined ? { USERS_FILE: `${SCRIPT_MOUNT}/users.json` } : {}),
    // Each sample carries the VU's id in the whole test: k6's own `vu` restarts at 1 in every runner.
    CONECTA_VU_METADATA: '1',
    ...o.env,
  };
}

const envList = (env: Record<string, string>) => Object.entries(env).map(([name, value]) => ({ name, value }));

export function buildManifests(o: TestRunOptions): Manifests {
  if (!Number.isInteger(o.parallelism) || o.parallelism < 1) {
    throw new ConectaError(`--parallelism must be a positive integer, got ${o.parallelism}`, ExitCode.USAGE);
  }
  // More runners than VUs would leave runners without a VU (k6 refuses an empty execution segment).
  const vus = o.vus ?? peakVus(o.profile, o.scale);
  if (o.parallelism > vus) {
    throw new ConectaError(`--parallelism ${o.parallelism} is more than the ${vus} VUs of ${o.profile} × ${o.scale}`, ExitCode.USAGE, 'at most one runner per VU');
  }
  checkNames(o);
  const name = checkName(o.name ?? defaultName(o.scenario, o.profile));
  checkQuantity('--cpu', o.cpu);
  checkQuantity('--memory', o.memory);
  checkQuantity('--storage', o.storage ?? DEFAULT_STORAGE);
  const meta = (n: string) => ({
    name: n,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    labels: { 'app.kubernetes.io/part-of': 'conecta-load', 'conecta-load/run': name },
  });
  const file = `${o.scenario}.js`;
  // The source map is not shipped: k6 does not need it to run.
  const script = o.script.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const data: Record<string, string> = { [file]: script, ...(o.usersFile !== undefined ? { 'users.json': o.usersFile } : {}) };
  const bytes = Object.entries(data).reduce((s, [k, v]) => s + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > CONFIGMAP_MAX_BYTES) {
    throw new ConectaError(
      `the script ConfigMap would be ${(bytes / 1024).toFixed(0)} KiB, over Kubernetes' 1 MiB`,
      ExitCode.USAGE,
      'ship the script on a volume instead (TestRun spec.script.volumeClaim)',
    );
  }
  const configMap: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), data };
  const claim = `${name}-results`;
  const pvc: Manifest = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(claim),
    spec: {
      accessModes: [o.accessMode ?? 'ReadWriteMany'],
      resources: { requests: { storage: o.storage ?? DEFAULT_STORAGE } },
      ...(o.storageClass ? { storageClassName: o.storageClass } : {}),
    },
  };
  const env = scriptEnv(o);
  const resources = { requests: { cpu: o.cpu, memory: o.memory }, limits: { cpu: o.cpu, memory: o.memory } };
  const testRun: Manifest = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(name),
    spec: {
      parallelism: o.parallelism,
      // k6-operator adds --execution-segment, --execution-segment-sequence and --tag instance_id=<i> to each runner.
      // Runners do not judge thresholds: one runner's share says nothing of the test; `conecta-load merge` then
      // `gate` judge the whole.
      arguments: ['--no-thresholds', ...(o.k6Args ?? [])].join(' '),
      script: { configMap: { name, file } },
      separate: o.separate ?? false,
      cleanup: 'post',
      // The initializer runs `k6 inspect` on the script: it needs the same variables to compute the same options.
      initializer: { env: envList(env) },
      runner: {
        image: o.image ?? `grafana/k6:${K6_VERSION.replace(/^v/, '')}`,
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ...envList(env),
          // Kubernetes expands $(POD_NAME): every runner writes its own file on the shared volume.
          { name: 'K6_OUT', value: `json=${RESULTS_MOUNT}/$(POD_NAME).json.gz` },
        ],
        resources,
        securityContext: { fsGroup: K6_IMAGE_GID },
        volumes: [{ name: 'results', persistentVolumeClaim: { claimName: claim } }],
        volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
      },
    },
  };
  const collector: Manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(`${name}-collector`),
    spec: {
      restartPolicy: 'Never',
      containers: [{
        name: 'collector',
        image: 'busybox:1.36',
        command: ['sleep', '3600'],
        volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT, readOnly: true }],
      }],
      volumes: [{ name: 'results', persistentVolumeClaim: { claimName: claim } }],
    },
  };
  return { configMap, pvc, testRun, collector };
}
