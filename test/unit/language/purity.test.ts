/**
 * The language service is pure (STYLE.md principle 1): nothing under server/src/language imports
 * vscode, the vscode-languageserver runtime, node:* or a network client.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../../../server/src/language');
const FORBIDDEN = [/^vscode$/, /^vscode-languageserver(\/.*)?$/, /^vscode-languageclient/, /^vscode-jsonrpc/, /^node:/, /^(fs|path|os|net|http|https|tls|child_process|url|crypto|stream|worker_threads|dns)(\/.*)?$/, /^undici/, /^ldapts/, /^axios/, /^node-fetch/, /^better-sqlite3/, /^express/];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(f) ? [p] : [];
  });
}

function imports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

describe('language/: purity', () => {
  const all = files(ROOT);

  it('finds the service files', () => {
    assert.ok(all.length > 20, `only ${all.length} files`);
  });

  it('imports no editor, LSP runtime, node:* or network module', () => {
    const bad: string[] = [];
    for (const f of all) {
      for (const spec of imports(readFileSync(f, 'utf8'))) {
        if (FORBIDDEN.some((re) => re.test(spec))) bad.push(`${relative(ROOT, f)} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('uses no fetch, process or require at run time', () => {
    const bad = all.filter((f) => /\b(fetch\(|process\.|require\()/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    assert.deepEqual(bad.map((f) => relative(ROOT, f)), []);
  });

  it('the import scanner itself catches a forbidden import', () => {
    assert.deepEqual(imports("import { readFile } from 'node:fs';\nimport type { X } from 'vscode-languageserver';"), ['node:fs', 'vscode-languageserver']);
  });
});
