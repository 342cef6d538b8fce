/** "Dirsync: Dry Run": plan against the directory and the cloud, write nothing, open the report. */
import * as vscode from 'vscode';
import { DryRunRequest } from '../../../common/requests';
import { runTarget, showReport, type RunContext } from '../runs/context';
import { planLine, reportWork } from '../../../common/work';
import { showPlanProblem } from '../runs/outcome';
import { requestWithProgress } from '../runs/serverProgress';

export function dryRun(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const r = await requestWithProgress(ctx, 'Dirsync: dry run', DryRunRequest, { uri, mode: 'full' });
    if (r.outcome !== 'planned' || !r.report) return showPlanProblem(ctx, 'dry run', r);
    ctx.output.info(`[${r.sessionId}] dry run of ${doc.uri.fsPath}: ${planLine(reportWork(r.report))}`);
    showReport(ctx, uri, r.report);
    if (r.report.threshold.exceeded)
      void vscode.window.showWarningMessage(
        `Dirsync: a sync of this plan would be refused: ${r.report.threshold.refusal ?? 'over the deletion threshold.'}`,
      );
  };
}
