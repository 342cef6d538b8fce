/** Registers the run commands (dry run, syncs, purge, last report, explain), the drift status item and the event log. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { dryRun } from '../commands/dryRun';
import { explainObject } from '../commands/explainObject';
import { fullSync } from '../commands/fullSync';
import { incrementalSync } from '../commands/incrementalSync';
import { purgeAvatars } from '../commands/purgeAvatars';
import { showLastReport } from '../commands/showLastReport';
import type { RunContext } from './context';
import { DriftStatusBar } from './driftStatus';
import { logRunEvents } from './eventLog';
import { ExplainDocuments } from './explainView';

export function registerRunCommands(
  extension: vscode.ExtensionContext,
  client: LanguageClient,
  output: vscode.LogOutputChannel,
): RunContext {
  const drift = new DriftStatusBar(extension.workspaceState);
  const explanations = new ExplainDocuments();
  const ctx: RunContext = { client, extension, output, drift, reports: new Map() };
  extension.subscriptions.push(
    drift,
    explanations,
    logRunEvents(client, output),
    vscode.commands.registerCommand('dirsync.dryRun', dryRun(ctx)),
    vscode.commands.registerCommand('dirsync.fullSync', fullSync(ctx)),
    vscode.commands.registerCommand('dirsync.incrementalSync', incrementalSync(ctx)),
    vscode.commands.registerCommand('dirsync.purgeAvatars', purgeAvatars(ctx)),
    vscode.commands.registerCommand('dirsync.showLastReport', showLastReport(ctx)),
    vscode.commands.registerCommand('dirsync.explainObject', explainObject(ctx, explanations)),
  );
  return ctx;
}
