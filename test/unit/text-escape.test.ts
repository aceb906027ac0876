// Input text made inert for terminals, the GitHub Actions log and Markdown renderers.

import { describe, expect, it } from 'vitest';
import { mdCode, mdText, plain, plainLines } from '../../lib/text-escape.js';

describe('text-escape', () => {
  it('shows control characters and ESC sequences as escapes, on one line', () => {
    expect(plain('x\n::error::X')).toBe('x\\n::error::X');
    expect(plain('\u001b]0;pwned\u0007\u001b[2J')).toBe('\\x1b]0;pwned\\x07\\x1b[2J');
    expect(plain('a\u2028b\u009bc')).toBe('a\\u2028b\\x9bc');
  });

  it('never lets a value start a workflow command', () => {
    expect(plain('::error::X')).toBe('\\::error::X');
    expect(plain('  ::warning::')).toBe('  \\::warning::');
    expect(plainLines('ok\n::set-output name=x::1\n  fine')).toBe('ok\n\\::set-output name=x::1\n  fine');
  });

  it('writes no raw HTML and no Markdown syntax into Markdown text or cells', () => {
    expect(mdText('<img src=x onerror=alert(1)> a|b *c* [l](u) `t` & \\')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; a\\|b \\*c\\* \\[l\\](u) \\`t\\` &amp; \\\\',
    );
  });

  it('fences a code span longer than any backtick run inside it', () => {
    expect(mdCode('GET /a')).toBe('`GET /a`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('``x')).toBe('``` ``x ```');
    expect(mdCode('a|b\n')).toBe('`a\\|b\\n`');
  });
});
