// `conecta-load slo rules`: Prometheus recording and alerting rules (multi-window, multi-burn-rate) for the SLOs of
// thresholds.json, on the bundled stack's server-side metrics or on metric names given here.

import { resolve } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-file.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from '../lib/register.js';
import { BUNDLED_STACK_METRICS, renderRules, sloMetricsProblems, type SloMetrics } from '../lib/slo/rules.js';
import { DEFAULT_THRESHOLDS_FILE, loadThresholds, thresholdsPath } from '../lib/thresholds/index.js';

export const registerSlo: Register = (program, io) => {
  const slo = program.command('slo').description('service-level objectives of thresholds.json, for Prometheus');
  slo
    .command('rules')
    .description('write Prometheus recording and alerting rules (multi-window, multi-burn-rate) for the availability and latency targets')
    .option('--out <file>', 'write the rules here (default: standard output)')
    .option('--thresholds <file>', 'targets file', DEFAULT_THRESHOLDS_FILE)
    .option('--profile <name>', "profile whose targets apply (default: the file's top-level targets)")
    .option('--histogram <name>', 'request-duration histogram in seconds (classic: _count, _bucket{le})', BUNDLED_STACK_METRICS.histogram)
    .option('--selector <matchers>', 'label matchers every SLI series gets, e.g. job="api"', BUNDLED_STACK_METRICS.selector)
    .option('--errors <matchers>', 'label matchers of failed requests', BUNDLED_STACK_METRICS.errors)
    .option('--endpoint-label <name>', "label matched against thresholds.json's endpoint globs", BUNDLED_STACK_METRICS.endpointLabel)
    .action((o: { out?: string; thresholds: string; profile?: string; histogram: string; selector: string; errors: string; endpointLabel: string }) => {
      const metrics: SloMetrics = { histogram: o.histogram, selector: o.selector, errors: o.errors, endpointLabel: o.endpointLabel };
      const problems = sloMetricsProblems(metrics);
      if (problems.length > 0) throw new ConectaError(`slo rules: ${problems.join('; ')}`, ExitCode.USAGE);
      const text = renderRules(loadThresholds(thresholdsPath(io.cwd, o.thresholds)), metrics, o.profile);
      if (o.out === undefined) io.stdout(text);
      else io.stderr(`slo rules: ${writeFileAtomic(resolve(io.cwd, o.out), text)}\n`);
    });
};
