/** "Dirsync: Dry Run": plan against the directory and the cloud, write nothing, open the report. */
import * as vscode from 'vscode';
import { DryRunRequest } from '../../../common/requests';
import { runTarget, showReport, type RunContext } from '../runs/context';
import { planLine } from '../../../common/work';
import { showPlanProblem } from '../runs/outcome';
import { isCurrentResult } from '../runs/reportFile';
import { requestWithProgress } from '../runs/serverProgress';

export function dryRun(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const r = await requestWithProgress(ctx, 'Dirsync: dry run', DryRunRequest, { uri, mode: 'full' });
    if (!isCurrentResult(r, 'dry run')) return;
    if (r.outcome !== 'planned' || !r.reportFile || !r.summary) return showPlanProblem(ctx, 'dry run', r);
    const threshold = r.summary.threshold;
    ctx.output.info(`[${r.sessionId}] dry run of ${doc.uri.fsPath}: ${planLine(r.summary.work)}; report ${r.reportFile}`);
    await showReport(ctx, uri, r.reportFile);
    if (threshold.exceeded)
      void vscode.window.showWarningMessage(
        `Dirsync: a sync of this plan would be refused: ${threshold.refusal ?? 'over the deletion threshold.'}`,
      );
  };
}
