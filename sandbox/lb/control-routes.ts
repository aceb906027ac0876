// The sandbox's instance control over HTTP, for fault plans (conecta-load's chaos actions) and people:
//   POST /__sandbox/instances/api-N/restart   drain, SIGTERM, respawn; answers when the replacement is ready
//   POST /__sandbox/instances/api-N/kill      SIGKILL (a crash), respawn; answers when the replacement is ready
//   PUT  /__sandbox/instances {"count": N}    scale the pool to N instances (new ones on the next ports)

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { MAX_BODY_BYTES, readBody } from './body.js';
import type { ControlOutcome, InstancePool } from './pool.js';

const ACTION = /^\/__sandbox\/instances\/(api-\d+)\/(restart|kill)$/;
export const MAX_INSTANCES = 16;

type Reply = (res: ServerResponse, status: number, body: unknown) => void;


/** Handles an instance-control route; false when `path` is not one. */
export async function instanceControl(
  req: IncomingMessage, res: ServerResponse, path: string, pool: InstancePool, log: Logger, reply: Reply,
): Promise<boolean> {
  const m = ACTION.exec(path);
  if (m) {
    if (req.method !== 'POST') return reply(res, 405, { error: 'method_not_allowed', message: 'use POST' }), true;
    const [, name, action] = m as unknown as [string, string, 'restart' | 'kill'];
    if (!pool.find(name)) return reply(res, 404, { error: 'no_such_instance', message: `no instance ${name}` }), true;
    log.info('control', { action, upstream: name });
    try {
      const out = action === 'restart' ? await pool.restart(name) : await pool.kill(name);
      return reply(res, 200, out), true;
    } catch (e) {
      return reply(res, 500, { error: 'control_failed', message: (e as Error).message }), true;
    }
  }
  if (path === '/__sandbox/instances' && req.method === 'PUT') {
    const raw = await readBody(req);
    if (raw === 'too_large') return reply(res, 413, { error: 'payload_too_large', message: `body exceeds ${MAX_BODY_BYTES} bytes` }), true;
    let count: unknown;
    try {
      count = (JSON.parse(raw.toString('utf8')) as { count?: unknown }).count;
    } catch {
      return reply(res, 400, { error: 'invalid_json', message: 'body is not valid JSON' }), true;
    }
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_INSTANCES) {
      return reply(res, 422, { error: 'invalid_count', message: `count must be an integer from 1 to ${MAX_INSTANCES}` }), true;
    }
    log.info('control', { action: 'scale', count: count as number });
    try {
      const changes: ControlOutcome[] = await pool.scale(count as number);
      return reply(res, 200, { count, changes }), true;
    } catch (e) {
      return reply(res, 500, { error: 'control_failed', message: (e as Error).message }), true;
    }
  }
  return false;
}
