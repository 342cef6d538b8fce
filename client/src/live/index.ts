/**
 * The client side of the live previews: the status bar, the secret answers, the commands and the
 * remembered bindings. `extension.ts` calls `registerLivePreviews` once.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BindDirectoryRequest, type LiveStatus } from '../../../common/requests';
import { bindDirectory } from '../commands/bindDirectory';
import { pickPreviewEntry } from '../commands/pickPreviewEntry';
import { showSelectionSample } from '../commands/showSelectionSample';
import { testAvatarUrl } from '../commands/testAvatarUrl';
import { unbindDirectory } from '../commands/unbindDirectory';
import { RememberedBindings, type LiveContext } from './context';
import { answerSecretRequests } from './secrets';
import { LiveStatusBar } from './statusBar';

export function registerLivePreviews(
  extension: vscode.ExtensionContext,
  client: LanguageClient,
  output: vscode.LogOutputChannel,
): LiveContext {
  const bindings = new RememberedBindings(extension.workspaceState);
  const status = new LiveStatusBar(client, extension.globalState);
  const live: LiveContext = { client, extension, status, bindings, output };
  // A document bound before (this window or an earlier one) binds again as soon as the server has it.
  status.onStatus((s: LiveStatus) => {
    const remembered = bindings.get(s.uri);
    if (s.state !== 'unbound' || !remembered || status.quiet.has(s.uri)) return;
    status.quiet.add(s.uri);
    void (client.sendRequest(BindDirectoryRequest.method, remembered) as Promise<LiveStatus>)
      .then((r) => status.update(r))
      .finally(() => status.quiet.delete(s.uri));
  });
  const menu = async (arg?: unknown) => {
    const choice = await vscode.window.showQuickPick(
      [
        { label: '$(person) Pick Preview Entry…', id: 'dirsync.pickPreviewEntry' },
        { label: '$(refresh) Bind Again…', id: 'dirsync.bindDirectory' },
        { label: '$(debug-disconnect) Unbind Directory', id: 'dirsync.unbindDirectory' },
      ],
      { title: 'Dirsync: live directory' },
    );
    if (choice) await vscode.commands.executeCommand(choice.id, arg);
  };
  extension.subscriptions.push(
    status,
    answerSecretRequests(client, extension.secrets),
    vscode.commands.registerCommand('dirsync.bindDirectory', bindDirectory(live)),
    vscode.commands.registerCommand('dirsync.unbindDirectory', unbindDirectory(live)),
    vscode.commands.registerCommand('dirsync.pickPreviewEntry', pickPreviewEntry(live)),
    vscode.commands.registerCommand('dirsync.showSelectionSample', showSelectionSample(live)),
    vscode.commands.registerCommand('dirsync.testAvatarUrl', testAvatarUrl(live)),
    vscode.commands.registerCommand('dirsync.liveMenu', menu),
  );
  return live;
}
