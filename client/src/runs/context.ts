/** What the run commands share: the language client, the log channel, the drift status item, the last reports. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SyncReport } from '../../../common/report';
import { ReportPanel } from '../webviews/reportPanel';
import type { DriftStatusBar } from './driftStatus';
import { loadReport } from './reportFile';

export interface RunContext {
  readonly client: LanguageClient;
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly drift: DriftStatusBar;
  /** The newest report of each document in this window (for Explain's pick list). */
  readonly reports: Map<string, SyncReport>;
}

/**
 * The `.dirsync` document a run command is about: the argument (a URI from the explorer, the
 * editor title or a CodeLens), else the active editor's. A file not open yet is opened, so the
 * language server has its text.
 */
export async function runTarget(arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined;
  if (uri)
    return (
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri))
    );
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === 'dirsync') return doc;
  void vscode.window.showWarningMessage('Dirsync: open a .dirsync config first.');
  return undefined;
}

/**
 * Reads a saved report (the run results carry its location, not the report), shows it in the
 * report webview and remembers it. Undefined, after saying why, when the file cannot be read.
 */
export async function showReport(
  ctx: RunContext,
  uri: string,
  file: string,
): Promise<{ panel: ReportPanel; report: SyncReport } | undefined> {
  const report = await readReport(ctx, file);
  if (!report) return undefined;
  ctx.reports.set(uri, report);
  if (report.mode === 'dryRun') ctx.drift.update(uri, report);
  const panel = ReportPanel.show(report, file, {
    extensionUri: ctx.extension.extensionUri,
    explainCommand: 'dirsync.explainObject',
    log: (m) => ctx.output.warn(m),
  });
  return { panel, report };
}

/** A saved report, or undefined after showing why it cannot be read. */
export async function readReport(ctx: RunContext, file: string): Promise<SyncReport | undefined> {
  try {
    return await loadReport(file);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.output.error(message);
    void vscode.window.showErrorMessage(`Dirsync: ${message}`);
    return undefined;
  }
}
