/**
 * The last dry run's drift in the status bar, for the active `.dirsync` editor: `+create ~update
 * −delete` over every kind, pictures included (deactivations count as deletions). The tooltip
 * says it per kind. A click shows that report. Next to the live directory item
 * (client/src/live/statusBar.ts). The counts are kept in the workspace state, so a reopened
 * window shows them without reading the report again.
 */
import * as vscode from 'vscode';
import type { SyncReport } from '../../../common/report';
import { planLine, reportWork } from '../../../common/work';
import { driftCounts, driftText, workLines, type DriftCounts } from './format';

type Drift = DriftCounts & { readonly lines: readonly string[]; readonly verdict: string; readonly at: string; readonly sessionId: string };
/** `.v2`: the counts are work (a window's state from before counted categories). */
const KEY = 'dirsync.run.drift.v2';

export class DriftStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly state: vscode.Memento) {
    this.item = vscode.window.createStatusBarItem('dirsync.drift', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'Dirsync Drift';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
  }

  /** Records a dry run's report for its document. */
  update(uri: string, report: SyncReport): void {
    const all = this.state.get<Record<string, Drift>>(KEY, {});
    void this.state.update(KEY, { ...all, [uri]: driftOf(report) }).then(() => this.render());
    this.render();
  }

  private get(uri: string): Drift | undefined {
    return this.state.get<Record<string, Drift>>(KEY, {})[uri];
  }

  /** The text shown for a document, if it had a dry run in this window. */
  textFor(uri: string): string | undefined {
    const d = this.get(uri);
    return d ? `$(diff) ${driftText(d)}` : undefined;
  }

  private render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const uri = doc?.languageId === 'dirsync' ? doc.uri.toString() : undefined;
    const d = uri ? this.get(uri) : undefined;
    if (!uri || !d) {
      this.item.hide();
      return;
    }
    this.item.text = this.textFor(uri)!;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown('**Last dry run**\n\n');
    tip.appendText(`${d.verdict}\n\n`);
    if (d.lines.length) tip.appendText(`${d.lines.join('\n')}\n\n`);
    tip.appendText(`${d.at} · session ${d.sessionId}\n\n`);
    tip.appendMarkdown('Click to show the report.');
    this.item.tooltip = tip;
    this.item.command = { title: 'Show Last Report', command: 'dirsync.showLastReport', arguments: [uri] };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function driftOf(report: SyncReport): Drift {
  const work = reportWork(report);
  return { ...driftCounts(work), lines: workLines(work), verdict: planLine(work), at: report.generatedAt, sessionId: report.sessionId };
}
