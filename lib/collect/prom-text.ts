// Parser for the Prometheus text exposition format (0.0.4): prom-client writes it but cannot read it, and the one npm
// parser (parse-prometheus-text-format) has no types, folds samples into families and cannot name a bad line; so this
// stays, pinned to the format spec's example and to real node-exporter output (test/unit/collect/prom-text.test.ts).

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds, when the line carries a timestamp. */
  timestamp?: number;
}

export interface PromFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
}

export interface PromText {
  samples: PromSample[];
  families: Map<string, PromFamily>;
}

function parseValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  if (s === 'NaN') return Number.NaN;
  const v = Number(s);
  if (s === '' || Number.isNaN(v)) throw new Error(`bad value "${s}"`);
  return v;
}

/** Parses `{a="x",b="y\"z"}` starting at `i` (the `{`); returns labels and the index after `}`. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  i++;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
    if (!m) throw new Error(`bad label name at column ${i + 1}`);
    const key = m[0];
    i += key.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=') throw new Error(`expected = after label ${key}`);
    i++;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') throw new Error(`expected " for label ${key}`);
    i++;
    let val = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`unterminated value of label ${key}`);
      if (c === '\\') {
        const n = line[i + 1];
        val += n === 'n' ? '\n' : n === '"' ? '"' : n === '\\' ? '\\' : `\\${n ?? ''}`;
        i += 2;
        continue;
      }
      if (c === '"') break;
      val += c;
      i++;
    }
    labels[key] = val;
    i++;
  }
}

/** Parses a whole exposition; a malformed line throws an Error naming its line number. */
export function parsePromText(text: string): PromText {
  const samples: PromSample[] = [];
  const families = new Map<string, PromFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '' }));
    return f;
  };
  text.split('\n').forEach((raw, idx) => {
    const line = raw.trim();
    if (!line) return;
    try {
      if (line.startsWith('#')) {
        const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
        if (!m) return; // a plain comment
        const f = family(m[2]!);
        if (m[1] === 'HELP') f.help = m[3]!.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
        else f.type = (['counter', 'gauge', 'histogram', 'summary'].includes(m[3]!) ? m[3] : 'untyped') as PromFamily['type'];
        return;
      }
      const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
      if (!nm) throw new Error('bad metric name');
      let i = nm[0].length;
      let labels: Record<string, string> = {};
      if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i));
      const rest = line.slice(i).trim().split(/\s+/);
      const sample: PromSample = { name: nm[0], labels, value: parseValue(rest[0] ?? '') };
      if (rest[1] !== undefined) {
        const ts = Number(rest[1]);
        if (!Number.isInteger(ts)) throw new Error(`bad timestamp "${rest[1]}"`);
        sample.timestamp = ts;
      }
      samples.push(sample);
    } catch (e) {
      throw new Error(`line ${idx + 1}: ${(e as Error).message}`);
    }
  });
  return { samples, families };
}
