/** The VS Code extension's entry: wiring only. Features live in languageClient.ts, live/, run/ and commands/. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { registerLivePreviews } from './live/index';
import { registerRunCommands } from './runs/index';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Dirsync', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('dirsync.restartLanguageServer', async () => {
      await client?.restart();
    }),
  );
  registerLivePreviews(context, client, output);
  registerRunCommands(context, client, output);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
