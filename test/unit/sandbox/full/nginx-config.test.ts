import { describe, expect, it } from 'vitest';
import { nginxConfig, type NginxDesc } from '../../../../sandbox/full/nginx.js';
import { prometheusConfig } from '../../../../sandbox/full/monitoring.js';
import { scrapeTargets } from '../../../../sandbox/full/stack.js';

const desc: NginxDesc = { dir: '/d', httpPort: 8100, httpsPort: 8101, statusPort: 8102, upstreams: [8120, 8121, 8122], limits: { perMinute: 150, loginsPer5Min: 5 } };
const block = (conf: string, head: string) => {
  const start = conf.indexOf(`${head} {`);
  let depth = 0;
  for (let i = conf.indexOf('{', start); i < conf.length; i++) {
    if (conf[i] === '{') depth++;
    if (conf[i] === '}' && --depth === 0) return conf.slice(start, i + 1);
  }
  throw new Error(`no block ${head}`);
};

describe('nginxConfig', () => {
  const conf = nginxConfig(desc);

  it('limits /api/ to 150 per minute per address as a leaky bucket with burst 149, and logins to 1 per minute with burst 4', () => {
    expect(conf).toContain('limit_req_zone $binary_remote_addr zone=api:10m rate=150r/m;');
    expect(conf).toContain('limit_req_zone $binary_remote_addr zone=login:10m rate=1r/m;');
    expect(conf).toContain('limit_req_status 429;');
    const api = block(conf, 'location /api/');
    expect(api).toContain('limit_req zone=api burst=149 nodelay;');
    const login = block(conf, 'location = /api/v1/auth/login');
    expect(login).toContain('limit_req zone=login burst=4 nodelay;');
    expect(login).toContain('limit_req zone=api burst=149 nodelay;');
    expect(login).toContain('error_page 429 = @login_rate_limited;');
    // Health checks and scrapes are outside the limits.
    expect(block(conf, 'location /')).not.toContain('limit_req');
    expect(block(conf, 'location @rate_limited')).toContain('add_header Retry-After 1 always;');
    expect(block(conf, 'location @login_rate_limited')).toContain('add_header Retry-After 60 always;');
  });

  it('has no limit at all with --no-limits', () => {
    expect(nginxConfig({ ...desc, limits: null })).not.toContain('limit_req');
  });

  it('balances over every instance with passive health checks and retries idempotent requests only', () => {
    expect(block(conf, 'upstream api').split('\n').filter((l) => l.includes('server ')).map((l) => l.trim())).toEqual([
      'server 127.0.0.1:8120 max_fails=2 fail_timeout=5s;', 'server 127.0.0.1:8121 max_fails=2 fail_timeout=5s;', 'server 127.0.0.1:8122 max_fails=2 fail_timeout=5s;',
    ]);
    expect(conf).toContain('proxy_next_upstream error timeout http_502 http_503 http_504;');
    expect(conf).not.toContain('non_idempotent');
  });

  it('serves TLS 1.2 and 1.3 only, and the security headers and error pages in every proxying location', () => {
    expect(conf.match(/ssl_protocols [^;]+;/g)).toEqual(['ssl_protocols TLSv1.2 TLSv1.3;']);
    for (const head of ['location /', 'location /api/', 'location = /api/v1/auth/login']) {
      const b = block(conf, head);
      for (const h of ['Strict-Transport-Security', 'Content-Security-Policy', 'X-Frame-Options', 'X-Content-Type-Options']) expect(b, `${head} ${h}`).toContain(`add_header ${h}`);
      expect(b).toContain('error_page 413 = @too_large;');
      expect(b).toContain('error_page 502 503 504 = @bad_gateway;');
    }
  });

  it('logs the upstream address and response time, never query strings, and has stub_status on its own port', () => {
    expect(conf).toMatch(/log_format conecta '.*\$uri.*upstream=\$upstream_addr urt=\$upstream_response_time/);
    expect(conf).toMatch(/log_format conecta '[^;]* cache=\$upstream_cache_status';/);
    expect(conf).not.toMatch(/log_format[^;]*\$request[ "]/);
    expect(block(conf, 'location = /stub_status')).toContain('stub_status;');
    expect(conf).toContain('listen 127.0.0.1:8102;');
  });
});

describe('nginxConfig: the file cache', () => {
  const conf = nginxConfig(desc);
  const files = block(conf, 'location ~ ^/api/v1/(encomendas/[0-9]+/foto|financeiro/[0-9]+/boleto)$');

  it('caches downloads under the file key the API names after its access check, never under the URL alone', () => {
    expect(conf).toContain('proxy_cache_path /d/cache/files levels=1:2 keys_zone=files:10m max_size=1g inactive=10m use_temp_path=off;');
    expect(files).toContain('auth_request /__cdn/authz;');
    expect(files).toContain('auth_request_set $file_key $upstream_http_x_file_key;');
    expect(files).toContain('proxy_cache_key $file_key;');
    expect(files).not.toMatch(/proxy_cache_key[^;]*\$(uri|request_uri)/);
    expect(files).toContain('add_header X-Cache-Status $upstream_cache_status always;');
    // No key (not visible, or an upload): straight to the API, nothing stored.
    expect(block(conf, 'map $file_key $file_uncached')).toContain('"" 1;');
    expect(files).toContain('proxy_cache_bypass $file_uncached;');
    expect(files).toContain('proxy_no_cache $file_uncached;');
    // The store's 503 (said by a healthy instance) neither retries elsewhere nor marks the instance failed.
    expect(files).toContain('proxy_next_upstream error timeout http_502 http_504;');
    expect(files).not.toContain('http_503');
    // Downloads count against the per-address limit like every /api/ request.
    expect(files).toContain('limit_req zone=api burst=149 nodelay;');
  });

  it('asks the API with the original URI and method, headers only, from an internal location', () => {
    const authz = block(conf, 'location = /__cdn/authz');
    expect(authz).toContain('internal;');
    expect(authz).toContain('proxy_pass_request_body off;');
    expect(authz).toContain('proxy_set_header X-Original-URI $request_uri;');
    expect(authz).toContain('proxy_set_header X-Original-Method $request_method;');
  });
});

describe('prometheusConfig', () => {
  it('scrapes every API instance and exporter every 2 s, labelled by component and node', () => {
    const y = prometheusConfig(scrapeTargets({ port: 8100 }, 2));
    expect(y).toContain('scrape_interval: 2s');
    expect(y).toContain('- targets: ["127.0.0.1:8120"]');
    expect(y).toContain('- targets: ["127.0.0.1:8121"]');
    expect(y).not.toContain('127.0.0.1:8122');
    expect(y.match(/job_name: "(\w+)"/g)).toEqual(['job_name: "api"', 'job_name: "postgres"', 'job_name: "redis"', 'job_name: "nginx"', 'job_name: "node"', 'job_name: "prometheus"']);
    expect(y).toContain('component: "postgres-replica"\n          node: "replica"');
  });

  it('scrapes the object store when the stack runs one, on its metrics port', () => {
    expect(prometheusConfig(scrapeTargets({ port: 8100 }, 2, true))).toContain('job_name: "object-storage"');
    expect(prometheusConfig(scrapeTargets({ port: 8100 }, 2, true))).toContain('- targets: ["127.0.0.1:8119"]');
    expect(prometheusConfig(scrapeTargets({ port: 8100 }, 2, false))).not.toContain('object-storage');
  });
});
