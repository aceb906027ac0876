// `conecta-load k8s testrun`: the manifests of a distributed run with k6-operator (ConfigMap, PVC, TestRun, collector).

import { DEFAULT_SCENARIO, OWN_OPTIONS } from '../lib/run/plan.js';
import { loadScriptForRun } from '../lib/run/script.js';
import { withUsersFile } from '../lib/run/users-file.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { writeTestRun } from '../lib/k8s/command.js';
import { DEFAULT_STORAGE } from '../lib/k8s/manifests.js';
import { parseDurationS } from '../lib/run/duration.js';
import type { Register } from '../lib/register.js';
import { collectEnv, positive, positiveInt } from './flags.js';

export const registerK8s: Register = (program, io) => {
  const k8s = program.command('k8s').description('distributed runs on Kubernetes with k6-operator');
  k8s
    .command('testrun')
    .description('write the manifests of a k6-operator TestRun (ConfigMap, PVC, TestRun, collector pod) into --out')
    .option('--scenario <name>', 'mix, morador, porteiro or sindico', DEFAULT_SCENARIO)
    .option('--script <file>', "your own k6 script (.js, or .ts: type-checked and bundled) instead of --scenario, shipped in the ConfigMap; its own options stand unless --profile is given")
    .option('--profile <name>', 'load-500, load-5000, load-<N>[-open], stress, soak, … (required without --script)')
    .option('--scale <f>', 'multiply users and rates by f', positive('--scale'), 1)
    .requiredOption('--parallelism <n>', 'runners (k6-operator splits the test into n execution segments)', positiveInt('--parallelism'))
    .requiredOption('--target <url>', 'base URL of the stack, as the runner pods reach it')
    .requiredOption('--out <dir>', 'directory for the manifests')
    .option('--duration <d>', 'steady-state duration (30s, 5m, …), overriding the profile')
    .option('-e, --env <NAME=value>', 'variable for the script (THINK_MIN_S, MIX, …); repeatable', collectEnv, {})
    .option('--users-file <file>', 'JSON users for the script, shipped in the ConfigMap (USERS_FILE)')
    .option('--name <name>', 'TestRun name (default conecta-<scenario>-<profile>)')
    .option('--namespace <ns>', 'namespace of every manifest')
    .option('--image <image>', 'runner image (default grafana/k6 at the pinned k6 version)')
    .option('--cpu <cores>', 'CPU per runner (default: from the measured k6 cost of its share of VUs)')
    .option('--memory <qty>', 'memory per runner, e.g. 2Gi (default: from the measured k6 cost of its share)')
    .option('--storage <qty>', `size of the PVC for the raw outputs (default ${DEFAULT_STORAGE})`)
    .option('--storage-class <name>', 'storage class of the PVC (one that offers ReadWriteMany)')
    .option('--read-write-once', 'a ReadWriteOnce PVC: then pin every runner to one node (see README)')
    .option('--separate', 'one runner per node (k6-operator `separate`)')
    .action(async (o: {
      scenario: string; profile?: string; script?: string; scale: number; parallelism: number; target: string; out: string; duration?: string;
      env: Record<string, string>; usersFile?: string; name?: string; namespace?: string; image?: string; cpu?: string;
      memory?: string; storage?: string; storageClass?: string; readWriteOnce?: boolean; separate?: boolean;
    }) => {
      if (o.profile === undefined && o.script === undefined) throw new ConectaError("required option '--profile <name>' not specified", ExitCode.USAGE, 'or give --script to keep its own options');
      // Bundled and read by k6 once, here, with the variables the runners get: one that k6 rejects exits 6.
      // k6 reads it here with the users file's local path; the runners get the ConfigMap's copy.
      const script = o.script !== undefined ? await loadScriptForRun(o.script, o.target, withUsersFile(o.env, o.usersFile, io.cwd), io) : undefined;
      const { dir, recipe } = await writeTestRun({
        ...(script ? { script } : {}),
        scenario: o.scenario, profile: o.profile ?? OWN_OPTIONS, scale: o.scale, parallelism: o.parallelism, target: o.target, out: o.out,
        ...(o.duration !== undefined ? { steadyS: parseDurationS(o.duration) } : {}),
        env: o.env, usersFile: o.usersFile, name: o.name, namespace: o.namespace, image: o.image, cpu: o.cpu,
        memory: o.memory, storage: o.storage, storageClass: o.storageClass,
        accessMode: o.readWriteOnce ? 'ReadWriteOnce' : 'ReadWriteMany', separate: o.separate,
      }, io);
      io.stdout(`manifests: ${dir}\nthen:\n${recipe.replace(/^/gm, '  ')}\n`);
    });
};
