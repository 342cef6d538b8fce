import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { waitFor, writeWorkspaceFile } from './helpers';

describe('activation', () => {
  it('activates the extension on a .dirsync document, whose language id is dirsync', async () => {
    const extension = vscode.extensions.getExtension('dirsync.dirsync');
    assert.ok(extension, 'extension dirsync.dirsync is not loaded');
    // The workspace has no .dirsync file yet and none is open: nothing may have activated it.
    assert.equal(extension.isActive, false, 'active before any .dirsync document was opened');

    const uri = await writeWorkspaceFile('people.dirsync', '{\n  "directory": { "url": "ldaps://dc1.example.com" }\n}\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dirsync');
    await waitFor(() => extension.isActive, 'the extension to activate');
  });

  it('contributes the dirsync language with the alias shown in the status bar', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('dirsync'));
    const languages = vscode.extensions.getExtension('dirsync.dirsync')!.packageJSON.contributes.languages as Array<{
      id: string;
      aliases: string[];
      extensions: string[];
    }>;
    const dirsync = languages.find((l) => l.id === 'dirsync');
    assert.deepEqual(dirsync?.aliases[0], 'Dirsync');
    assert.ok(dirsync?.extensions.includes('.dirsync'));
  });
});
