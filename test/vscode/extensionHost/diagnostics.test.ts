import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeWorkspaceFile } from './helpers';

/** Built to out/test/extensionHost/: the repository is three folders up. */
const repoRoot = join(__dirname, '..', '..', '..');

/** Resolves with the diagnostics of `uri` once the language server has published a non-empty set. */
function nextDiagnostics(uri: vscode.Uri, timeoutMs = 30_000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const done = (result: readonly vscode.Diagnostic[] | Error): void => {
      clearTimeout(timer);
      listener.dispose();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (diagnostics.length) done(diagnostics);
    });
    const timer = setTimeout(() => done(new Error(`no diagnostics for ${uri.toString()} within ${timeoutMs} ms`)), timeoutMs);
    const already = vscode.languages.getDiagnostics(uri);
    if (already.length) done(already);
  });
}

describe('diagnostics from the language server', () => {
  it('publishes the codes an invalid sample expects, from source "dirsync", as the user types', async () => {
    const text = readFileSync(join(repoRoot, 'sample-configs/invalid/secrets.dirsync'), 'utf8');
    const expected = /^\/\/ expect: (.*)$/m.exec(text)![1]!.trim().split(/\s+/).sort();
    const uri = await writeWorkspaceFile('secrets.dirsync', text);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

    const diagnostics = await nextDiagnostics(uri);
    assert.deepEqual([...new Set(diagnostics.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)))].sort(), expected);
    assert.ok(diagnostics.every((d) => d.source === 'dirsync'));
    const literal = diagnostics.find((d) => d.code === 'DS507' || (typeof d.code === 'object' && d.code.value === 'DS507'));
    assert.equal(literal?.severity, vscode.DiagnosticSeverity.Error);

    // Fix the literal password in the buffer (unsaved): its DS507 goes away, the others stay.
    const password = editor.document.getText().indexOf('"Winter2024!"');
    assert.ok(password > 0);
    const range = new vscode.Range(editor.document.positionAt(password), editor.document.positionAt(password + '"Winter2024!"'.length));
    const before = diagnostics.filter((d) => d.range.intersection(range)).length;
    assert.ok(before >= 1, 'no diagnostic on the literal password');
    const changed = new Promise<readonly vscode.Diagnostic[]>((resolve) => {
      const l = vscode.languages.onDidChangeDiagnostics((e) => {
        if (!e.uris.some((u) => u.toString() === uri.toString())) return;
        const now = vscode.languages.getDiagnostics(uri);
        if (!now.some((d) => d.range.intersection(range))) {
          l.dispose();
          resolve(now);
        }
      });
    });
    await editor.edit((b) => b.replace(range, '"${env:DIRSYNC_BIND_PASSWORD}"'));
    const after = await changed;
    assert.ok(after.length > 0, 'the other problems of the sample should remain');
  });
});
