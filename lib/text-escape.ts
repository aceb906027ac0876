// Text from the input (tag values, endpoint and check names, file names) written into output that something else
// reads: a terminal, GitHub Actions' log (which runs `::command::` lines), Markdown renderers (which run HTML).
// One owner of how such a value is made inert; renderers call it for every value that came from the input.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function shown(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/**
 * One value on one line of plain text: control characters (newlines, ESC sequences that retitle or clear a
 * terminal) shown as escapes, and no value that starts a GitHub Actions workflow command (`::error::…`).
 */
export function plain(value: string): string {
  return value.replace(CONTROL, shown).replace(/^(\s*)::/, '$1\\::');
}

/** Plain text already laid out in lines: each line cleaned as `plain` does, the line breaks kept. */
export function plainLines(text: string): string {
  return text.split('\n').map((l) => plain(l)).join('\n');
}

/** A value inside Markdown text or a table cell: no raw HTML, no Markdown syntax, no line or cell break. */
export function mdText(value: unknown): string {
  return plain(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => (c === '|' ? '\\|' : `\\${c}`));
}

/** A value as a Markdown code span: a fence longer than any backtick run inside, so the value cannot close it. */
export function mdCode(value: unknown): string {
  const v = plain(String(value ?? '')).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || v === '' ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}
