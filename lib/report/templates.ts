// Loads the handlebars templates and CSS in reports/ (the package's own assets, read once) and compiles them:
// HTML templates escape by default; Markdown ones do not, so every value from the input goes through `cell` (text and
// table cells) or `codespan` (code spans), lib/text-escape.ts.

import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { reportsDir } from '../package-files.js';
import { mdCode, mdText } from '../text-escape.js';

export type Template = (context: unknown) => string;

function engine(markdown: boolean): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('cell', mdText);
  hb.registerHelper('codespan', mdCode);
  hb.registerHelper('upper', (s: unknown) => String(s ?? '').toUpperCase());
  const dir = join(reportsDir(), 'partials');
  const ext = markdown ? '.md.hbs' : '.html.hbs';
  for (const f of readdirSync(dir)) {
    if (f.endsWith(ext)) hb.registerPartial(f.slice(0, -ext.length), readFileSync(join(dir, f), 'utf8'));
  }
  return hb;
}

const cache = new Map<string, Template>();

/** The compiled template `reports/<name>` (e.g. "run.html.hbs"), with the partials of its kind. */
export function template(name: string): Template {
  let t = cache.get(name);
  if (!t) {
    const markdown = name.endsWith('.md.hbs');
    const hb = engine(markdown);
    const compiled = hb.compile(readFileSync(join(reportsDir(), name), 'utf8'), { noEscape: markdown, strict: false });
    t = (ctx) => compiled(ctx);
    cache.set(name, t);
  }
  return t;
}

export function stylesheet(): string {
  return readFileSync(join(reportsDir(), 'style.css'), 'utf8');
}
