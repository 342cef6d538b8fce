/**
 * The language service is pure (STYLE.md principle 1): nothing under server/src/language imports
 * vscode, the vscode-languageserver runtime, node:* or a network client.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importSpecifiers as imports, sourceFiles as files } from '../../support/sourceImports';

const ROOT = join(__dirname, '../../../server/src/language');
const FORBIDDEN = [
  /^vscode$/,
  /^vscode-languageserver(\/.*)?$/,
  /^vscode-languageclient/,
  /^vscode-jsonrpc/,
  /^node:/,
  /^(fs|path|os|net|http|https|tls|child_process|url|crypto|stream|worker_threads|dns)(\/.*)?$/,
  /^undici/,
  /^ldapts/,
  /^axios/,
  /^node-fetch/,
  /^better-sqlite3/,
  /^express/,
];

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
    const bad = all.filter((f) =>
      /\b(fetch\(|process\.|require\()/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')),
    );
    assert.deepEqual(
      bad.map((f) => relative(ROOT, f)),
      [],
    );
  });

  it('the import scanner itself catches a forbidden import', () => {
    assert.deepEqual(imports("import { readFile } from 'node:fs';\nimport type { X } from 'vscode-languageserver';"), [
      'node:fs',
      'vscode-languageserver',
    ]);
  });
});
