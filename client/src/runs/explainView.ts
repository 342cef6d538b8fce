/**
 * Explanations as read-only Markdown documents (`dirsync-explain:` URIs) shown in VS Code's
 * Markdown preview. The preview renders Markdown with its own CSP and sanitizer; the text is
 * escaped anyway (explainMarkdown.ts), so AD values show as text.
 */
import * as vscode from 'vscode';
import type { Explanation } from '../../../common/engine';
import { explanationMarkdown } from './explainMarkdown';

export const EXPLAIN_SCHEME = 'dirsync-explain';

export class ExplainDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# Explanation no longer available\n\nRun "Dirsync: Explain Object" again.\n';
  }

  /** Shows an explanation in the Markdown preview (beside the editor). */
  async show(explanation: Explanation): Promise<vscode.Uri> {
    const name = explanation.query.replace(/[^\p{L}\p{N}@.=, _-]+/gu, '_').slice(0, 80) || 'object';
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/Explain ${name}.md` });
    this.texts.set(uri.toString(), explanationMarkdown(explanation));
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      // No Markdown preview (a minimal editor build): the Markdown text itself is readable too.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
        preview: true,
        viewColumn: vscode.ViewColumn.Beside,
      });
    }
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
