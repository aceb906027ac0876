// nginx (Debian's package) as the full stack's load balancer: the config is generated from the stack
// description, the TLS certificate is made by openssl at first start, and a scale is a rewrite + SIGHUP
// (nginx's graceful reload: old workers finish their requests while new ones take new connections).
//
// Rate limits are nginx's limit_req, a leaky bucket per client address ($binary_remote_addr):
// - /api/: rate = N per minute (a slot drains every 60/N s, 0.4 s at 150), burst = N − 1 with `nodelay`, so a
//   client that was quiet gets N requests at once (the 1st plus N − 1 in the bucket) and the next one inside the
//   same drain interval is refused with 429; afterwards it gets one request per 60/N s. Over any minute that is
//   at most N + (requests drained meanwhile), i.e. never more than about 2N, and exactly N for a burst.
// - the login route: rate = L per 5 minutes (1 per minute at 5), burst = L − 1 `nodelay`: 5 attempts at once,
//   the 6th refused, then one more per minute. A login also counts against the /api/ bucket.
// Refusals answer 429 with the JSON error body the API uses and a Retry-After of one drain interval.
//
// File downloads go through a cache, as a CDN in front of the object store would: nginx first asks the API
// (auth_request, headers only) whether this caller may read the file, and the API names the file's key
// (`<tenant bucket>/<key>`); the cache is keyed by that name alone, so a hit needs the API's yes for this caller,
// and one tenant's request can never be answered from another's entry. Without a name (not visible, or not a GET)
// the request goes to the API uncached and gets its own answer (404, 403, the upload's 201). X-Cache-Status says
// HIT, MISS or BYPASS.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, launch, ownedDir, run, serviceUser, waitUntil, type Spawned } from './proc.js';
import { HOST, stopPid, tcpOpen } from '../process.js';

export interface NginxDesc {
  dir: string;
  httpPort: number;
  httpsPort: number;
  statusPort: number;
  upstreams: number[];
  /** Upstream ports marked `down` (a rolling restart takes one out of rotation before stopping it). */
  drained?: number[];
  /** null: no rate or login limit (capacity runs). */
  limits: { perMinute: number; loginsPer5Min: number } | null;
  workerProcesses?: number;
}

const SECURITY_HEADERS = [
  'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
  `add_header Content-Security-Policy "default-src 'none'; frame-ancestors 'none'; base-uri 'none'" always;`,
  'add_header X-Frame-Options "DENY" always;',
  'add_header X-Content-Type-Options "nosniff" always;',
  'add_header Referrer-Policy "no-referrer" always;',
];

function jsonError(status: number, code: string, message: string, retryAfterS?: number): string[] {
  return [
    'default_type application/json;',
    ...SECURITY_HEADERS,
    ...(retryAfterS === undefined ? [] : [`add_header Retry-After ${retryAfterS} always;`]),
    `return ${status} '${JSON.stringify({ error: code, message })}';`,
  ];
}

const block = (head: string, body: string[], indent = '  ') => [`${head} {`, ...body.map((l) => indent + l), '}'];

/** The whole nginx.conf for a stack description (pure: unit-tested). */
export function nginxConfig(d: NginxDesc): string {
  const p = (f: string) => join(d.dir, f);
  const lim = d.limits;
  const apiRetry = lim ? Math.max(1, Math.ceil(60 / lim.perMinute)) : 1;
  const loginRetry = lim ? Math.max(1, Math.ceil(300 / lim.loginsPer5Min)) : 1;
  const proxy = [
    'proxy_pass http://api;',
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    // Idempotent requests go to the next instance on a refused/broken connection or a 502/503/504; nginx never
    // re-sends a POST that reached an instance (non_idempotent is not set).
    'proxy_next_upstream error timeout http_502 http_503 http_504;',
    'proxy_next_upstream_tries 3;',
    'proxy_next_upstream_timeout 10s;',
    'proxy_connect_timeout 2s;',
    'proxy_read_timeout 60s;',
    ...SECURITY_HEADERS,
    // error_page is inherited only by a level that sets none: every proxying location lists them all.
    'error_page 413 = @too_large;',
    'error_page 502 503 504 = @bad_gateway;',
  ];
  const apiLimit = lim ? ['limit_req zone=api burst=' + (lim.perMinute - 1) + ' nodelay;', 'error_page 429 = @rate_limited;'] : [];
  const loginLimit = lim
    ? ['limit_req zone=login burst=' + (lim.loginsPer5Min - 1) + ' nodelay;', ...apiLimit.slice(0, 1), 'error_page 429 = @login_rate_limited;']
    : [];
  const files = [
    ...apiLimit,
    'auth_request /__cdn/authz;',
    'auth_request_set $file_key $upstream_http_x_file_key;',
    'proxy_cache files;',
    'proxy_cache_key $file_key;',
    'proxy_cache_bypass $file_uncached;',
    'proxy_no_cache $file_uncached;',
    // The API marks files private (browsers may keep them); this cache checks access per request, so it may too.
    'proxy_ignore_headers Cache-Control Expires Set-Cookie;',
    'proxy_cache_valid 200 60s;',
    'proxy_cache_lock on;',
    'add_header X-Cache-Status $upstream_cache_status always;',
    'error_page 401 = @unauthorized;',
    // A 503 here is the object store's absence, said by a healthy instance: not a reason to retry elsewhere or to
    // count the instance as failed (two would take it out of rotation for every route).
    ...proxy.map((l) => (l.startsWith('proxy_next_upstream ') ? 'proxy_next_upstream error timeout http_502 http_504;' : l)),
  ];
  const authz = [
    'internal;',
    'proxy_pass http://api;',
    'proxy_method GET;',
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_pass_request_body off;',
    'proxy_set_header Content-Length "";',
    'proxy_set_header X-Original-URI $request_uri;',
    'proxy_set_header X-Original-Method $request_method;',
    'proxy_set_header X-Real-IP $remote_addr;',
  ];
  const locations = [
    ...block('location /', proxy),
    ...block('location ~ ^/api/v1/(encomendas/[0-9]+/foto|financeiro/[0-9]+/boleto)$', files),
    ...block('location = /__cdn/authz', authz),
    ...block('location @unauthorized', jsonError(401, 'unauthorized', 'a valid Authorization: Bearer <access_token> is required')),
    ...block('location /api/', [...apiLimit, ...proxy]),
    ...block('location = /api/v1/auth/login', [...loginLimit, ...proxy]),
    ...block('location @rate_limited', jsonError(429, 'rate_limited', 'too many requests from this address', apiRetry)),
    ...block('location @login_rate_limited', jsonError(429, 'login_rate_limited', 'too many login attempts from this address', loginRetry)),
    ...block('location @too_large', jsonError(413, 'payload_too_large', 'the request body is over 1 MiB')),
    ...block('location @bad_gateway', jsonError(502, 'bad_gateway', 'no API instance answered')),
  ];
  const common = [
    'server_tokens off;',
    'client_max_body_size 1m;',
    ...locations,
  ];
  const http = [
    'default_type application/json;',
    `client_body_temp_path ${p('tmp/body')};`, `proxy_temp_path ${p('tmp/proxy')};`, `fastcgi_temp_path ${p('tmp/fastcgi')};`,
    `uwsgi_temp_path ${p('tmp/uwsgi')};`, `scgi_temp_path ${p('tmp/scgi')};`,
    // Upstream address and time per request, and the file cache's answer (the CDN's hit ratio); $uri, not
    // $request: query strings may carry data, never logged.
    `log_format conecta '$remote_addr [$time_iso8601] "$request_method $uri" $status $body_bytes_sent rt=$request_time upstream=$upstream_addr urt=$upstream_response_time ustatus=$upstream_status cache=$upstream_cache_status';`,
    `access_log ${p('logs/access.log')} conecta buffer=64k flush=1s;`,
    'keepalive_timeout 65s;',
    'keepalive_requests 10000;',
    'sendfile on;',
    `proxy_cache_path ${p('cache/files')} levels=1:2 keys_zone=files:10m max_size=1g inactive=10m use_temp_path=off;`,
    // No key from the API: the request bypasses the cache (and nothing is stored under an empty key).
    ...block('map $file_key $file_uncached', ['"" 1;', 'default 0;']),
    ...(lim ? [
      `limit_req_zone $binary_remote_addr zone=api:10m rate=${lim.perMinute}r/m;`,
      // nginx rates are per second or per minute: L per 5 min is L/5 per minute (rounded up to at least 1).
      `limit_req_zone $binary_remote_addr zone=login:10m rate=${Math.max(1, Math.round(lim.loginsPer5Min / 5))}r/m;`,
      'limit_req_status 429;',
      'limit_req_log_level warn;',
    ] : []),
    // Passive health checks: 2 failures within 5 s take an instance out for 5 s.
    ...block('upstream api', [...d.upstreams.map((port) => `server ${HOST}:${port} max_fails=2 fail_timeout=5s${d.drained?.includes(port) ? ' down' : ''};`), 'keepalive 64;']),
    ...block('server', [`listen ${HOST}:${d.httpPort};`, ...common]),
    ...block('server', [
      `listen ${HOST}:${d.httpsPort} ssl;`,
      `ssl_certificate ${certificateFile(d.dir)};`, `ssl_certificate_key ${p('tls/key.pem')};`,
      'ssl_protocols TLSv1.2 TLSv1.3;',
      'ssl_prefer_server_ciphers off;',
      'ssl_session_cache shared:tls:1m;',
      ...common,
    ]),
    ...block('server', [`listen ${HOST}:${d.statusPort};`, 'access_log off;', ...block('location = /stub_status', ['stub_status;'])]),
  ];
  return [
    `pid ${p('nginx.pid')};`,
    `error_log ${p('logs/error.log')} warn;`,
    `worker_processes ${d.workerProcesses ?? 2};`,
    'worker_rlimit_nofile 16384;',
    'daemon off;',
    ...block('events', ['worker_connections 8192;']),
    ...block('http', http),
  ].join('\n') + '\n';
}

/** The HTTPS listener's certificate, self-signed: its own CA, the one file a client trusts it by (`--ca-cert`). */
export const certificateFile = (dir: string) => join(dir, 'tls', 'cert.pem');

/** A self-signed certificate for 127.0.0.1/localhost, made once per data dir. */
export function ensureCertificate(dir: string): void {
  const tls = join(dir, 'tls');
  if (existsSync(certificateFile(dir)) && existsSync(join(tls, 'key.pem'))) return;
  ownedDir(tls, serviceUser(), 0o700);
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825',
    '-subj', '/CN=conecta-load sandbox', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(tls, 'key.pem'), '-out', certificateFile(dir)]);
  chownTree(tls, serviceUser());
}

function writeConfig(d: NginxDesc): string {
  const as = serviceUser();
  for (const sub of ['logs', 'tmp', 'cache']) ownedDir(join(d.dir, sub), as);
  const conf = join(d.dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(d));
  chownTree(conf, as);
  // `nginx -t` first: a bad config is one clear line, not a dead master.
  run('nginx', ['-t', '-q', '-p', d.dir, '-e', join(d.dir, 'logs/error.log'), '-c', conf], { as });
  return conf;
}

export interface NginxNode {
  pid: number;
  stop(): Promise<void>;
}

export async function startNginx(d: NginxDesc, readyTimeoutMs = 20_000): Promise<NginxNode> {
  const as = serviceUser();
  ownedDir(d.dir, as);
  ensureCertificate(d.dir);
  const conf = writeConfig(d);
  const p: Spawned = launch('nginx', ['-p', d.dir, '-e', join(d.dir, 'logs/error.log'), '-c', conf], { logFile: join(d.dir, 'logs/nginx.out'), as });
  // QUIT is nginx's graceful stop (workers finish what they serve).
  const node = { pid: p.pid, stop: () => stopPid(p.pid, 'SIGQUIT', 10_000) };
  const ready = async () => (await tcpOpen(d.httpPort)) && (await tcpOpen(d.httpsPort)) && (await tcpOpen(d.statusPort));
  await waitUntil(`nginx (port ${d.httpPort})`, p, ready, readyTimeoutMs).catch(async (e) => {
    await node.stop();
    throw e;
  });
  return node;
}

/** Rewrites the config for a new description and reloads the running master without dropping requests. */
export function reloadNginx(pid: number, d: NginxDesc): void {
  writeConfig(d);
  process.kill(pid, 'SIGHUP');
}
