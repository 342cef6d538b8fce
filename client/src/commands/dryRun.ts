/** "Dirsync: Dry Run": plan against the directory and the cloud, write nothing, open the report. */
import * as vscode from 'vscode';
import { DryRunRequest } from '../../../server/src/protocol/requests';
import { runTarget, showReport, type RunContext } from '../run/context';
import { driftText } from '../run/format';
import { showPlanProblem } from '../run/outcome';
import { requestWithProgress } from '../run/serverProgress';

export function dryRun(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const r = await requestWithProgress(ctx, 'Dirsync: dry run', DryRunRequest, { uri, mode: 'full' });
    if (r.outcome !== 'planned' || !r.report) return showPlanProblem(ctx, 'dry run', r);
    ctx.output.info(`[${r.sessionId}] dry run of ${doc.uri.fsPath}: ${driftText(r.report.summary)}`);
    showReport(ctx, uri, r.report);
    if (r.report.threshold.exceeded) void vscode.window.showWarningMessage(`Dirsync: a sync of this plan would be refused: ${r.report.threshold.refusal ?? 'over the deletion threshold.'}`);
  };
}
