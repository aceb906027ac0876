// Builds the real scenarios with the real tsc and esbuild (into temporary folders, never the checkout's dist/).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleScenarios, packageRoot, scenarioNames } from '../../../lib/bundle/bundle.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';

const root = packageRoot();
const temps: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('bundle', () => {
  it('lists the scenario entries', () => {
    expect(scenarioNames(root)).toEqual(['mix', 'morador', 'porteiro', 'sindico']);
  });

  it('bundles each entry into one ESM file that imports only k6 modules, with a linked source map', async () => {
    const outDir = temp('conecta-build-');
    const { bundles } = await bundleScenarios({ root, outDir });
    expect(bundles.map((b) => b.name)).toEqual(['mix', 'morador', 'porteiro', 'sindico']);
    for (const b of bundles) {
      expect(b.file).toBe(join(outDir, `${b.name}.js`));
      expect(b.bytes).toBe(statSync(b.file).size);
      expect(b.bytes).toBeLessThan(1024 * 1024);
      const js = readFileSync(b.file, 'utf8');
      const imports = [...js.matchAll(/^\s*import\s[^'"]*["']([^"']+)["']/gm)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      for (const spec of imports) expect(spec).toMatch(/^k6(\/[a-z0-9/-]+)?$/);
      expect(js).toMatch(/^export \{[^}]*\b(options|setup)\b/m);
      expect(js).toContain(`//# sourceMappingURL=${b.name}.js.map`);
      const map = JSON.parse(readFileSync(`${b.file}.map`, 'utf8')) as { sources: string[] };
      expect(map.sources.some((s) => s.endsWith('scenarios/lib/api.ts'))).toBe(true);
      expect(map.sources.some((s) => s.endsWith('scenarios/lib/init-instance.ts'))).toBe(true);
      // Code that runs once sits inside the function that runs it (lib/bundle/once-chunks.ts), never at module
      // level, where every VU would hold its functions for the whole test.
      expect(js).not.toMatch(/^function (resolveProfile|k6Options|readScenarioEnv|setupUsers|personaForVu|userFor)\(/m);
      expect(js).toMatch(/^function initInstance\(a, b, c\) \{$[\s\S]*^ {2}function k6Options\(/m);
      expect(js).toMatch(/^function vuStart\(a, b, c\) \{$[\s\S]*^ {2}function personaForVu\(/m);
      expect(map.sources.some((s) => s.endsWith(`scenarios/entries/${b.name}.ts`))).toBe(true);
    }
  });

  it('fails with the compiler message on a type error, before bundling', async () => {
    const copy = temp('conecta-typeerr-');
    cpSync(join(root, 'scenarios'), join(copy, 'scenarios'), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    appendFileSync(join(copy, 'scenarios', 'personas', 'sindico.ts'), "\nexport const broken: number = 'not a number';\n");
    const outDir = join(copy, 'out');
    const stderr: string[] = [];
    const err = await bundleScenarios({ root: copy, outDir, io: { stderr: (s) => void stderr.push(s) } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConectaError);
    expect((err as ConectaError).code).toBe(ExitCode.USAGE);
    expect((err as ConectaError).message).toMatch(
      /^scenarios do not type-check: scenarios\/personas\/sindico\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\.$/,
    );
    expect(stderr.join('')).toContain('error TS2322');
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('rejects an unknown entry, naming the valid ones', async () => {
    await expect(bundleScenarios({ root, entries: ['nope'], skipTypecheck: true, outDir: temp('conecta-unknown-') })).rejects.toThrow(
      "unknown scenario 'nope': valid scenarios are mix, morador, porteiro, sindico",
    );
  });

  it('fails the build when a bundle is over the size limit', async () => {
    await expect(bundleScenarios({ root, entries: ['mix'], skipTypecheck: true, outDir: temp('conecta-size-'), maxBytes: 1000 })).rejects.toThrow(
      /^bundle over the 1000 B limit: .*mix\.js is \d+\.\d KiB$/,
    );
  });
});
