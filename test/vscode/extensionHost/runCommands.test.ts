import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { waitFor, writeWorkspaceFile } from './helpers';

const RUN_COMMANDS = [
  'dirsync.dryRun',
  'dirsync.fullSync',
  'dirsync.incrementalSync',
  'dirsync.purgeAvatars',
  'dirsync.showLastReport',
  'dirsync.explainObject',
];

describe('run commands', () => {
  it('registers Dry Run, Full Sync, Incremental Sync, Purge Avatars, Show Last Report and Explain Object once active', async () => {
    const extension = vscode.extensions.getExtension('dirsync.dirsync')!;
    if (!extension.isActive) {
      const doc = await vscode.workspace.openTextDocument(await writeWorkspaceFile('run.dirsync', '{\n  "version": 1\n}\n'));
      await vscode.window.showTextDocument(doc);
      await waitFor(() => extension.isActive, 'the extension to activate');
    }
    const commands = await vscode.commands.getCommands(true);
    for (const id of RUN_COMMANDS) assert.ok(commands.includes(id), `${id} is not registered`);
  });

  it('contributes them under the "Dirsync" category, in the palette and the menus of .dirsync files', () => {
    const contributes = vscode.extensions.getExtension('dirsync.dirsync')!.packageJSON.contributes as {
      commands: Array<{ command: string; category: string }>;
      menus: Record<string, Array<{ command: string; when: string }>>;
    };
    for (const id of RUN_COMMANDS) {
      assert.equal(contributes.commands.find((c) => c.command === id)?.category, 'Dirsync', id);
      for (const menu of ['commandPalette', 'editor/title', 'editor/context', 'explorer/context']) {
        assert.ok(
          contributes.menus[menu]?.some((m) => m.command === id),
          `${id} is not in ${menu}`,
        );
      }
    }
  });
});
