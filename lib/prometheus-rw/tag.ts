// The label that names a run in every series k6 writes to Prometheus (k6's `--tag testid=<run id>`).
export const RUN_ID_TAG = 'testid';
