// The OpenAPI 3 description served at /api/v1/docs, generated from the route table and resource specs.

import { RESOURCE_SPECS, type ResourceName } from '../db/resources.js';

export function openApi(routes: Array<{ method: string; template: string }>): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.template.replace(/:(\w+)/g, '{$1}');
    const res = /^\/api\/v1\/(\w+)/.exec(r.template)?.[1] as ResourceName | undefined;
    const spec = res ? RESOURCE_SPECS[res] : undefined;
    const parameters: unknown[] = [];
    if (r.template.includes(':id')) parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'integer' } });
    if (spec && r.method === 'GET' && !r.template.includes(':id')) {
      parameters.push(
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
        { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        ...Object.entries(spec.filters).map(([name, f]) => ({
          name, in: 'query', schema: f.values ? { type: 'string', enum: f.values } : { type: f.kind === 'int' ? 'integer' : 'string' },
        })),
      );
    }
    const open = r.template.includes('health') || r.template.includes('/auth/') || r.template.endsWith('/docs');
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: `${r.method} ${r.template}`,
      ...(parameters.length ? { parameters } : {}),
      ...(open ? {} : { security: [{ bearer: [] }] }),
      ...(spec ? { 'x-roles': spec.roles } : {}),
      responses: { default: { description: 'JSON; errors are {"error","message"}' } },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Conecta Plus API (conecta-load sandbox)', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
