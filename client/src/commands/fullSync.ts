/**
 * "Dirsync: Full Sync": plan, show the plan's counts in a modal, and on "Sync" apply exactly that
 * plan (by its token). Over the deletion threshold nothing is asked: the sync is refused and the
 * report opens on the objects that would go.
 */
import * as vscode from 'vscode';
import { SyncRequest } from '../../../common/requests';
import { runTarget, showReport, type RunContext } from '../runs/context';
import { confirmation } from '../runs/format';
import { showApplied, showPlanProblem, showRefusal } from '../runs/outcome';
import { isCurrentResult } from '../runs/reportFile';
import { requestWithProgress } from '../runs/serverProgress';

export function fullSync(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const plan = await requestWithProgress(ctx, 'Dirsync: planning a full sync', SyncRequest, { uri, mode: 'full' });
    if (!isCurrentResult(plan, 'full sync')) return;
    if (plan.outcome === 'refused') return showRefusal(ctx, uri, plan);
    if (plan.outcome !== 'planned' || !plan.planToken || !plan.reportFile || !plan.summary || !plan.counts)
      return showPlanProblem(ctx, 'full sync', plan);
    const ask = confirmation('full', plan.counts, plan.summary);
    const choice = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, 'Sync', 'Review Report');
    if (choice === 'Review Report') {
      await showReport(ctx, uri, plan.reportFile);
      return;
    }
    if (choice !== 'Sync') {
      ctx.output.info(`[${plan.sessionId}] full sync not confirmed; nothing was written`);
      return;
    }
    const apply = async (planToken: string): Promise<void> => {
      ctx.output.info(`[${plan.sessionId}] full sync confirmed: applying the reviewed plan (${plan.counts!.operations} operations)`);
      const r = await requestWithProgress(ctx, 'Dirsync: full sync', SyncRequest, { uri, mode: 'full', planToken });
      if (!isCurrentResult(r, 'full sync')) return;
      await showApplied(ctx, uri, 'full sync', r, apply);
    };
    await apply(plan.planToken);
  };
}
