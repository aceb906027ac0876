// The run's observer for the live view: each second the ingest closes goes to the page, and with the sequential gate,
// its sequences as they stand after that second (so this observer comes after the gate's). Pure: it only publishes.

import type { LiveGate } from '../gate/sequential/live.js';
import type { RunObserver, RunStart } from '../run/observer.js';
import type { LiveEvent } from './state.js';

export function liveObserver(publish: (e: LiveEvent) => void, o: { gate?: LiveGate; onStart?: (r: RunStart) => void } = {}): RunObserver {
  return {
    ...(o.onStart ? { onStart: o.onStart } : {}),
    onSecond(second) {
      publish({ kind: 'second', second });
      if (o.gate) publish({ kind: 'gate', t: second.t, criteria: o.gate.criteria() });
    },
  };
}
