// Waiting for an event rather than a guessed time (unit and e2e tests alike): polls `probe` until it gives a value,
// and fails loudly, naming what it waited for and the last thing it saw, once `timeoutMs` has passed.

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 30_000, everyMs = 100, seen }: { timeoutMs?: number; everyMs?: number; seen?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen ? ` (last seen: ${seen()})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The request count of the newest `run` progress line in `stderr` ("  12s  VUs     3  requests      240  …"). */
export function progressRequests(stderr: string): number | undefined {
  const lines = [...stderr.matchAll(/^\s*\d+s\s+VUs\s+\d+\s+requests\s+(\d+)\s/gm)];
  const last = lines.at(-1);
  return last ? Number(last[1]) : undefined;
}
