// `run --live`: the server started before the load, the line that names it, the observer and fault callback that
// feed it, Prometheus's merged P95 read every few seconds while k6 runs (with remote write), and the end. An edge.

import type { TakenEvent } from '../resilience/analyze.js';
import type { LiveGate } from '../gate/sequential/live.js';
import type { Io } from '../io.js';
import type { RunObserver } from '../run/observer.js';
import { livePromP95, type RemoteWrite } from '../run/remote-write.js';
import { k6Queries } from '../prometheus-rw/queries.js';
import { liveObserver } from './observer.js';
import { startLiveServer } from './server.js';
import { endSummary } from './view.js';
import { readVerdict, VERDICT_FILE } from '../gate/verdict-file.js';
import type { RunResult } from '../result/schema.js';
import { RESULT_FILE } from '../result/store.js';
import { join } from 'node:path';

/** How often Prometheus is asked for the merged P95 (k6 pushes every second). */
export const PROM_POLL_MS = 5_000;

export interface LiveSession {
  readonly url: string;
  readonly observer: RunObserver;
  /** A fault plan's step as it ends. */
  onFault(r: TakenEvent): void;
  /** The run's record and report are written (and judged, when `judged`): the page links them, and the server stops. */
  end(dir: string, result: RunResult, judged: boolean, report: string): Promise<void>;
  /** Stops the server (after `end`, or when the run failed). */
  close(): Promise<void>;
}

export async function openLive(o: { port: number; title: string; gate?: LiveGate; remoteWrite?: RemoteWrite }, io: Io): Promise<LiveSession> {
  const server = await startLiveServer(o.port, o.title);
  io.stderr(`live view: ${server.url}\n`);
  let poll: NodeJS.Timeout | undefined;
  let closed = false;
  const watchPrometheus = (rw: RemoteWrite, testid: string) => {
    if (poll || closed) return;
    const query = k6Queries(testid).p95;
    let busy = false;
    poll = setInterval(() => {
      if (busy) return;
      busy = true;
      const atMs = io.now();
      void livePromP95(rw, testid, atMs).then((p95Ms) => {
        busy = false;
        if (p95Ms !== undefined && !closed) server.publish({ kind: 'merged', merged: { atMs, p95Ms, query } });
      });
    }, PROM_POLL_MS);
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    if (poll) clearInterval(poll);
    await server.close();
  };
  return {
    url: server.url,
    observer: liveObserver((e) => server.publish(e), {
      ...(o.gate ? { gate: o.gate } : {}),
      // Every runner of --segments carries the one test's id: the first to start is enough.
      ...(o.remoteWrite ? { onStart: (r) => { if (r.testid) watchPrometheus(o.remoteWrite!, r.testid); } } : {}),
    }),
    onFault(r) {
      if (r.startedAtMs === null || r.endedAtMs === null) return;
      server.publish({ kind: 'fault', fault: { index: r.index, action: r.action, startedAtMs: r.startedAtMs, endedAtMs: r.endedAtMs, outcome: r.outcome, detail: r.detail } });
    },
    async end(dir, result, judged, report) {
      const verdict = judged ? readVerdict(dir) : undefined;
      server.publish({
        kind: 'end',
        end: { result: join(dir, RESULT_FILE), ...(verdict ? { verdict: join(dir, VERDICT_FILE) } : {}), report, summary: endSummary(result, verdict?.verdict) },
      });
      await close();
    },
    close,
  };
}
