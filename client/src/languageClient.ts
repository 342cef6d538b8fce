/**
 * The language client: starts `dist/server.js` over Node IPC for `dirsync` documents and relays
 * the server's custom notifications (common/requests.ts). vscode-languageclient reads the
 * `dirsync.trace.server` setting itself (client id `dirsync`).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  RUN_RESULT_VERSION,
  ServerProblemNotification,
  type DirsyncInitializationOptions,
  type ServerProblemParams,
} from '../../common/requests';

export const CLIENT_ID = 'dirsync';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const settings = vscode.workspace.getConfiguration('dirsync');
  const initializationOptions: DirsyncInitializationOptions = {
    validationDelayMs: settings.get<number>('validation.delayMs', 150),
    // The run results this extension reads: a server that sends another shape says so instead of running.
    runResultVersions: [RUN_RESULT_VERSION],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dirsync' }],
    outputChannel: output,
    initializationOptions,
  };
  const client = new LanguageClient(CLIENT_ID, 'Dirsync Language Server', serverOptions, clientOptions);
  // A user-facing problem is shown once per document (the server sends it once); details go to the log.
  context.subscriptions.push(
    client.onNotification(ServerProblemNotification.method, (p: ServerProblemParams) => {
      void vscode.window.showWarningMessage(p.message, 'Show Log').then((choice) => {
        if (choice) output.show(true);
      });
    }),
  );
  return client;
}
