// Plain SVG line charts for the live page: redrawn every second from the live state, so small and quick (no chart
// library's layout pass per frame). Pure: numbers in, markup out; every text escaped.

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** [x, y] in data units, x ascending. */
  readonly points: readonly (readonly [number, number])[];
  /** Drawn dashed (a target, a bound). */
  readonly dashed?: boolean;
}

export interface LineChart {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly series: readonly ChartSeries[];
  /** Vertical marks (fault events) at these x. */
  readonly marks?: readonly { readonly x: number; readonly label: string }[];
  /** The y unit, after the axis' top value ("ms", "req/s"). */
  readonly unit: string;
  /** The y axis' top, when the data's own would hide what matters (a share narrowing near 5 %); higher values are
   *  drawn at the top. */
  readonly yMax?: number;
}

/** Text inside SVG/HTML markup. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round axis top at or above `max`: 1, 2 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

const PAD = { left: 64, right: 8, top: 18, bottom: 16 };
const r1 = (x: number) => Math.round(x * 10) / 10;
const label = (v: number) => (v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(2));

/** The chart as one <svg> element; x spans the data's x range, y from 0 to a round top. */
export function lineChartSvg(c: LineChart): string {
  // Marks widen the x range: a fault is known at once, its seconds close about 10 s later.
  const xs = [...c.series.flatMap((s) => s.points.map((p) => p[0])), ...(c.marks ?? []).map((m) => m.x)];
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs, x0 + 1) : 1;
  const top = c.yMax ?? niceMax(ys.length ? Math.max(...ys) : 0);
  const w = c.width - PAD.left - PAD.right;
  const h = c.height - PAD.top - PAD.bottom;
  const px = (x: number) => r1(PAD.left + ((x - x0) / (x1 - x0)) * w);
  const py = (y: number) => r1(PAD.top + h - (Math.min(y, top) / top) * h);
  const lines = c.series.filter((s) => s.points.length > 0).map((s) =>
    `<polyline fill="none" stroke="${xml(s.color)}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${s.points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}"><title>${xml(s.name)}</title></polyline>`);
  const marks = (c.marks ?? []).map((m) =>
    `<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${PAD.top}" y2="${PAD.top + h}" stroke="#c0392b" stroke-width="1"><title>${xml(m.label)}</title></line>`);
  const legend = c.series.map((s, i) => `<text x="${PAD.left + 4 + i * 70}" y="${PAD.top - 5}" fill="${xml(s.color)}" font-size="10">${xml(s.name)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}" role="img" aria-label="${xml(c.title)}">`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end" font-size="10">${xml(`${label(top)} ${c.unit}`)}</text>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + h}" text-anchor="end" font-size="10">0</text>`,
    `<text x="${PAD.left}" y="${c.height - 3}" font-size="10">${xml(`${label(x0)} s`)}</text>`,
    `<text x="${PAD.left + w}" y="${c.height - 3}" text-anchor="end" font-size="10">${xml(`${label(x1)} s`)}</text>`,
    ...legend, ...marks, ...lines,
    '</svg>',
  ].join('');
}
