// What a route handler gets: the request, its parsed URL and params, the store, the caller, the instance config.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataStore } from '../db/store.js';
import type { Principal } from './principal.js';
import type { Sessions } from './sessions.js';

export interface InstanceConfig {
  /** `api-N`: in X-Instance, metrics labels, logs and health. */
  name: string;
  jwtSecret: string;
  accessTtlS: number;
  startedAt: number;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  store: DataStore;
  sessions: Sessions;
  config: InstanceConfig;
  /** Set by the app once the Bearer token is checked (every route but health, docs, login, refresh). */
  principal?: Principal;
}

export type Handler = (ctx: Ctx) => Promise<void>;
