// The live view's small HTTP server: on loopback only, it serves the page, the view as JSON and the view as
// Server-Sent Events while a run goes on, and stops with the run. An edge: it holds the live state (lib/live/state.ts)
// and sends the view (lib/live/view.ts) to every open page when the state changes.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { LOOPBACK as HOST } from '../free-port.js';
import { livePage } from './page.js';
import { applyLive, initialLiveState, type LiveEvent, type LiveState } from './state.js';
import { liveView } from './view.js';

/** A page polls nothing: it is pushed the view; a comment line every few seconds keeps idle proxies from closing it. */
const KEEPALIVE_MS = 5_000;
/** Pages watching at once: each holds one connection; more are refused (503). */
const MAX_PAGES = 32;

export interface LiveServer {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly port: number;
  publish(e: LiveEvent): void;
  /** The state as it stands (what the page is sent). */
  state(): LiveState;
  /** Sends the last view as an `end` event to every page, then closes every connection and the server. */
  close(): Promise<void>;
}

/** Host headers a loopback page sends: a page on another name (DNS rebinding) gets nothing. */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** Starts the server on 127.0.0.1:`port` (0: a free one). A port in use is the user's to change: exit 2. */
export async function startLiveServer(port: number, title: string): Promise<LiveServer> {
  let state = initialLiveState(title);
  const pages = new Set<ServerResponse>();
  const page = livePage(title);
  let pending: NodeJS.Immediate | undefined;
  // The view is made once per event sent, however many pages watch.
  const message = (event: 'view' | 'end') => `event: ${event}\ndata: ${JSON.stringify(liveView(state))}\n\n`;
  const broadcast = () => {
    pending = undefined;
    const m = message('view');
    for (const res of pages) res.write(m);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return void res.writeHead(403).end();
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(page);
    }
    if (path === '/view.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify(liveView(state)));
    }
    if (path === '/events') {
      if (pages.size >= MAX_PAGES) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      pages.add(res);
      req.on('close', () => pages.delete(res));
      return void res.write(message(state.end ? 'end' : 'view'));
    }
    res.writeHead(404).end();
  });
  const keepalive = setInterval(() => {
    for (const res of pages) res.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(keepalive);
      reject(e.code === 'EADDRINUSE' || e.code === 'EACCES'
        ? new ConectaError(`--live: cannot listen on ${HOST}:${port} (${e.code === 'EADDRINUSE' ? 'in use' : 'not allowed'}); give another port, or none for a free one`, ExitCode.USAGE)
        : e);
    });
    server.listen(port, HOST, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;

  return {
    url: `http://${HOST}:${bound}/`,
    port: bound,
    publish(e) {
      state = applyLive(state, e);
      // Events of one moment (a second, then the gate's sequences for it) go out as one view.
      pending ??= setImmediate(broadcast);
    },
    state: () => state,
    async close() {
      clearInterval(keepalive);
      if (pending) clearImmediate(pending);
      const m = message('end');
      for (const res of pages) res.end(m);
      pages.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
