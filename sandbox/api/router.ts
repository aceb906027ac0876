// A route table matched by method and path template (`/api/v1/unidades/:id`); the template names the route
// in metrics, logs, fault rules and k6 `name` tags alike.

export interface RouteMatch<H> {
  /** `METHOD /template`, e.g. `GET /api/v1/unidades/:id`. */
  name: string;
  params: Record<string, string>;
  handler: H;
}

interface Entry<H> {
  method: string;
  template: string;
  re: RegExp;
  keys: string[];
  handler: H;
}

export class Router<H> {
  private readonly entries: Entry<H>[] = [];

  add(method: string, template: string, handler: H): this {
    const keys: string[] = [];
    const re = new RegExp(
      '^' + template.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)')).replace(/\//g, '\\/') + '\\/?$',
    );
    this.entries.push({ method, template, re, keys, handler });
    return this;
  }

  /** The matching route; or `'method'` when the path exists under another method; or undefined. */
  match(method: string, path: string): RouteMatch<H> | 'method' | undefined {
    let pathMatched = false;
    for (const e of this.entries) {
      const m = e.re.exec(path);
      if (!m) continue;
      if (e.method !== method) {
        pathMatched = true;
        continue;
      }
      const params: Record<string, string> = {};
      try {
        e.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return undefined; // a malformed %-escape names no resource
      }
      return { name: `${method} ${e.template}`, params, handler: e.handler };
    }
    return pathMatched ? 'method' : undefined;
  }

  routes(): Array<{ method: string; template: string }> {
    return this.entries.map((e) => ({ method: e.method, template: e.template }));
  }
}
