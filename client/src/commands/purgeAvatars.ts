/** "Dirsync: Purge Avatars": the purge plan's count in a modal; on "Purge", exactly that plan is applied. */
import * as vscode from 'vscode';
import { PurgeAvatarsRequest } from '../../../common/requests';
import { runTarget, showReport, type RunContext } from '../runs/context';
import { confirmation } from '../runs/format';
import { showApplied, showPlanProblem } from '../runs/outcome';
import { isCurrentResult } from '../runs/reportFile';
import { requestWithProgress } from '../runs/serverProgress';

export function purgeAvatars(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const plan = await requestWithProgress(ctx, 'Dirsync: planning an avatar purge', PurgeAvatarsRequest, { uri });
    if (!isCurrentResult(plan, 'avatar purge')) return;
    if (plan.outcome !== 'planned' || !plan.planToken || !plan.reportFile || !plan.summary || !plan.counts)
      return showPlanProblem(ctx, 'avatar purge', plan);
    if (plan.counts.operations === 0) {
      void vscode.window.showInformationMessage(
        'Dirsync: no avatar to purge — every user with a cloud avatar still has one in the directory.',
      );
      return;
    }
    const ask = confirmation('purgeAvatars', plan.counts, plan.summary);
    const choice = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, 'Purge', 'Review Report');
    if (choice === 'Review Report') {
      await showReport(ctx, uri, plan.reportFile);
      return;
    }
    if (choice !== 'Purge') return;
    const apply = async (planToken: string): Promise<void> => {
      const r = await requestWithProgress(ctx, 'Dirsync: avatar purge', PurgeAvatarsRequest, { uri, planToken });
      if (!isCurrentResult(r, 'avatar purge')) return;
      await showApplied(ctx, uri, 'avatar purge', r, apply);
    };
    await apply(plan.planToken);
  };
}
