// The gate's text table and Markdown carry endpoint names from the input: inert in a terminal, the Actions log and
// a Markdown renderer.

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../lib/gate/render-markdown.js';
import { renderText } from '../../../lib/gate/render-text.js';
import type { Verdict } from '../../../lib/gate/schema.js';

const NAME = 'x\n::error::X\u001b[2J<img src=x onerror=alert(1)>`';

function verdict(): Verdict {
  return {
    verdict: 'pass', exitCode: 0, scenario: 'mix', profile: 'smoke', thresholdsFile: 'thresholds.json', runs: [{ requests: 10 }],
    counts: { marginal: 0 }, reasons: [],
    criteria: [{ group: NAME, metric: 'p95', measured: 5, unit: 'ms', ci: null, target: '< 300 ms', status: 'pass' }],
  } as unknown as Verdict;
}

describe('gate renderers escape input names', () => {
  it('text: one line per criterion, no ESC byte, no line starting with ::', () => {
    const text = renderText(verdict());
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').some((l) => l.trimStart().startsWith('::'))).toBe(false);
    expect(text).toContain('x\\n::error::X\\x1b[2J<img src=x onerror=alert(1)>`');
  });

  it('Markdown: no raw HTML, backslashes and brackets escaped, the backtick inert', () => {
    const md = renderMarkdown(verdict());
    expect(md).not.toContain('\u001b');
    const row = md.split('\n').find((l) => l.includes('::error::'))!;
    expect(row).toContain('| x\\\\n::error::X\\\\x1b\\[2J&lt;img src=x onerror=alert(1)&gt;\\` p95 |');
  });
});
