// The live page: one self-contained HTML document (no asset, no CDN) that listens to the server's Server-Sent
// Events and puts each view-model (lib/live/view.ts) where it goes. All deciding is done in Node; the script only
// places text (textContent) and the SVG the view drew (its text escaped there). Pure.

import { xml } from './svg.js';

const SCRIPT = `
const $ = (id) => document.getElementById(id);
function list(el, items, make) {
  el.replaceChildren(...items.map(make));
}
function render(v) {
  document.body.dataset.status = v.status;
  $('status').textContent = v.status;
  list($('figures'), v.figures, (f) => {
    const d = document.createElement('div');
    d.className = 'figure';
    d.dataset.figure = f.id;
    const l = document.createElement('span'); l.className = 'label'; l.textContent = f.label;
    const n = document.createElement('span'); n.className = 'value'; n.textContent = f.value;
    d.append(l, n);
    return d;
  });
  $('merged-query').textContent = v.mergedQuery ?? '';
  list($('charts'), v.charts, (c) => {
    const d = document.createElement('figure');
    d.dataset.chart = c.id;
    const t = document.createElement('figcaption'); t.textContent = c.title;
    const s = document.createElement('div'); s.innerHTML = c.svg;
    d.append(t, s);
    return d;
  });
  list($('gate'), v.gate, (g) => {
    const li = document.createElement('li');
    li.textContent = g.id + ': ' + g.decision + ' — ' + g.bounds;
    return li;
  });
  list($('faults'), v.faults, (f) => { const li = document.createElement('li'); li.textContent = f; return li; });
  $('gate-section').hidden = v.gate.length === 0;
  $('faults-section').hidden = v.faults.length === 0;
  if (v.end) {
    $('end-summary').textContent = v.end.summary;
    list($('end-links'), v.end.links, (l) => {
      const a = document.createElement('a'); a.href = l.href; a.textContent = l.label; a.dataset.link = l.label;
      const li = document.createElement('li'); li.append(a); return li;
    });
    $('end').hidden = false;
  }
}
const events = new EventSource('events');
events.addEventListener('view', (e) => render(JSON.parse(e.data)));
events.addEventListener('end', (e) => { render(JSON.parse(e.data)); events.close(); });
`;

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
#status { color: #666; }
#figures { display: flex; flex-wrap: wrap; gap: .6em; margin: 1em 0; }
.figure { border: 1px solid #ddd; border-radius: 4px; padding: .4em .7em; min-width: 6em; }
.figure .label { display: block; font-size: .8em; color: #666; }
.figure .value { font-size: 1.3em; font-variant-numeric: tabular-nums; }
#charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; }
figcaption { font-size: .85em; color: #444; }
code { font-size: .8em; color: #555; }
`;

export function livePage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${xml(title)} — live</title><style>${STYLE}</style></head>
<body data-status="waiting">
<h1>${xml(title)}</h1>
<div>live view: <span id="status">waiting for the first second</span></div>
<div id="figures"></div>
<code id="merged-query"></code>
<div id="charts"></div>
<section id="gate-section" hidden><h2>Sequential gate</h2><ul id="gate"></ul></section>
<section id="faults-section" hidden><h2>Fault events</h2><ul id="faults"></ul></section>
<section id="end" hidden><h2>Run ended</h2><p id="end-summary"></p><ul id="end-links"></ul></section>
<script>${SCRIPT}</script>
</body></html>
`;
}
