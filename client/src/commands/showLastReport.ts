/** "Dirsync: Show Last Report": the newest report of the config (this window's, else the newest saved one). */
import * as vscode from 'vscode';
import { LastReportRequest, type LastReportResult } from '../../../common/requests';
import { runTarget, showReport, type RunContext } from '../runs/context';
import { isCurrentResult } from '../runs/reportFile';

export function showLastReport(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const last = (await ctx.client.sendRequest(LastReportRequest.method, { uri })) as LastReportResult | null;
    if (!last) {
      void vscode.window
        .showInformationMessage('Dirsync: no report for this config yet. Run "Dirsync: Dry Run" first.', 'Dry Run')
        .then((c) => c && vscode.commands.executeCommand('dirsync.dryRun', doc.uri));
      return;
    }
    if (!isCurrentResult(last, 'last report request')) return;
    await showReport(ctx, uri, last.file);
  };
}
