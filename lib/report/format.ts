// Number formatting for reports: one place decides how a latency, a rate or a count reads to a person.

/** 3 significant digits, ms below 1 s, seconds above: "0.84 ms", "12.3 ms", "312 ms", "1.24 s". */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) >= 1000) return `${sig(ms / 1000)} s`;
  return `${sig(ms)} ms`;
}

/** A fraction as a percentage with enough digits to see small error rates: "0 %", "0.05 %", "12.5 %". */
export function fmtPct(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const p = ratio * 100;
  if (p === 0) return '0 %';
  if (Math.abs(p) < 0.01) return '< 0.01 %';
  return `${sig(p)} %`;
}

/** A count with thousands separators: "12,345". */
export function fmtInt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

/** A rate per second: "42.1/s". */
export function fmtRate(perS: number): string {
  return `${sig(perS)}/s`;
}

/** Bytes in binary units: "512 MiB", "1.5 GiB". */
export function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${sig(v)} ${units[i]}`;
}

/** A duration in seconds as "45 s", "12 min 30 s", "1 h 5 min". */
export function fmtDuration(s: number): string {
  const t = Math.round(s);
  if (t < 60) return `${t} s`;
  if (t < 3600) return t % 60 ? `${Math.floor(t / 60)} min ${t % 60} s` : `${t / 60} min`;
  const m = Math.round((t % 3600) / 60);
  return m ? `${Math.floor(t / 3600)} h ${m} min` : `${t / 3600} h`;
}

/** A signed relative change: "+12.5 %", "−3.1 %". */
export function fmtDelta(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const p = ratio * 100;
  const s = sig(Math.abs(p));
  return p > 0 ? `+${s} %` : p < 0 ? `−${s} %` : '0 %';
}

/** 3 significant digits without exponent or trailing zeros: 1234 → "1234", 12.345 → "12.3", 0.01234 → "0.0123". */
export function sig(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x === 0 ? 0 : x);
  const abs = Math.abs(x);
  if (abs >= 100) return String(Math.round(x));
  // toFixed takes at most 100 digits: a denormal such as 1e-320 (a k6 value taken as written) reads as 0.
  if (abs < 1e-9) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return String(Number(x.toFixed(digits)));
}
