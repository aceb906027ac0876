// Think time between steps: uniform in [THINK_MIN_S, THINK_MAX_S], the Z of Little's law in profiles.ts.

import { sleep } from 'k6';

export function think(minS: number, maxS: number): void {
  const s = minS + Math.random() * (maxS - minS);
  if (s > 0) sleep(s);
}
