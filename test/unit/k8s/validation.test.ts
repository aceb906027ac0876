// k8s testrun refuses what the API server or the runners would refuse, in one line, before writing anything.

import { describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { buildManifests, type TestRunOptions } from '../../../lib/k8s/manifests.js';
import { refusalOf } from '../../conecta-error.js';

const BASE: TestRunOptions = {
  scenario: 'mix', profile: 'load-500', scale: 1, parallelism: 3, target: 'https://staging.conecta.example',
  script: 'export default function () {}\n', cpu: '1', memory: '1Gi',
};

const usage = (o: Partial<TestRunOptions>): string => refusalOf(() => buildManifests({ ...BASE, ...o }), ExitCode.USAGE).message;

describe('k8s testrun validation', () => {
  it('refuses more runners than VUs', () => {
    expect(usage({ parallelism: 1_000_000_000 })).toBe('--parallelism 1000000000 is more than the 500 VUs of load-500 × 1');
    expect(() => buildManifests({ ...BASE, parallelism: 500 })).not.toThrow();
  });

  it('refuses a negative or zero CPU', () => {
    expect(usage({ cpu: '-1' })).toBe('--cpu "-1" must be more than 0');
    expect(usage({ cpu: '0m' })).toBe('--cpu "0m" must be more than 0');
  });

  it('refuses names Kubernetes would refuse, and a target that is not an http(s) URL', () => {
    expect(usage({ namespace: 'UPPER_ns' })).toBe('--namespace "UPPER_ns" is not a Kubernetes namespace');
    expect(usage({ image: 'Bad Image!' })).toBe('--image "Bad Image!" is not an image reference');
    expect(usage({ storageClass: 'Fast_SSD' })).toBe('--storage-class "Fast_SSD" is not a storage class name');
    expect(usage({ target: 'not a url' })).toBe('--target "not a url" is not an http(s) URL');
    expect(usage({ target: 'file:///etc/passwd' })).toBe('--target "file:///etc/passwd" is not an http(s) URL');
  });

  it('takes the names and images real clusters use', () => {
    for (const o of [
      { namespace: 'load-tests', image: 'grafana/k6:1.4.2', storageClass: 'efs.csi.aws.com' },
      { image: 'registry.example:5000/team/k6@sha256:' + 'a'.repeat(64) },
      { image: 'ghcr.io/grafana/k6-with-ext:v1.0_rc-2' },
    ]) expect(() => buildManifests({ ...BASE, ...o })).not.toThrow();
  });
});
