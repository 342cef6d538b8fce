/** What the user sees when a sync or purge ends: the report, a refusal with the objects that would go, a resumable cancel. */
import * as vscode from 'vscode';
import type { ApplyOutcome, PlanResult } from '../../../common/requests';
import { showReport, type RunContext } from './context';
import { workPhrases } from '../../../common/work';
import { refusalText } from './format';

/** Over the deletion threshold: the report opens on the first object that would be deleted, and a modal lists them. */
export async function showRefusal(ctx: RunContext, uri: string, outcome: ApplyOutcome): Promise<void> {
  if (!outcome.reportFile) return;
  const shown = await showReport(ctx, uri, outcome.reportFile);
  if (!shown) return;
  const { panel, report } = shown;
  const first = report.items.find((i) => i.category === 'deleted') ?? report.items.find((i) => i.action === 'delete');
  if (first) panel.focusItem(first.id, first.category === 'deleted' ? 'deleted' : undefined);
  ctx.output.warn(`[${outcome.sessionId ?? '-'}] sync refused: ${outcome.message ?? ''}`);
  const text = refusalText(report, outcome.message);
  await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail });
}

/** A plan that could not be made: say why. */
export function showPlanProblem(ctx: RunContext, what: string, r: PlanResult | ApplyOutcome): void {
  if (r.outcome === 'cancelled') {
    ctx.output.info(`[${r.sessionId ?? '-'}] ${what} cancelled`);
    void vscode.window.showInformationMessage(`Dirsync: ${what} cancelled. ${r.message ?? ''}`.trim());
    return;
  }
  ctx.output.error(`[${r.sessionId ?? '-'}] ${what} failed: ${r.message ?? 'unknown error'}`);
  void vscode.window
    .showErrorMessage(`Dirsync: ${what} failed: ${r.message ?? 'unknown error'}`, 'Show Log')
    .then((c) => c && ctx.output.show(true));
}

/**
 * The end of an apply. `resume` sends the same plan token again (a cancelled apply keeps it: the
 * journal of the same session skips what was done).
 */
export async function showApplied(
  ctx: RunContext,
  uri: string,
  what: string,
  r: ApplyOutcome,
  resume: (token: string) => Promise<void>,
): Promise<void> {
  switch (r.outcome) {
    case 'applied': {
      if (r.reportFile) await showReport(ctx, uri, r.reportFile);
      const summary = `${r.applied ?? 0} applied${r.resumed ? `, ${r.resumed} resumed` : ''}${r.failed ? `, ${r.failed} failed` : ''}`;
      ctx.output.info(`[${r.sessionId}] ${what} done: ${summary}`);
      for (const f of r.failures ?? []) ctx.output.error(`[${r.sessionId}] ${f.opId} ${f.label}: ${f.message}`);
      const show = r.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      const did = r.work ? workPhrases(r.work, 'done').join('; ') : '';
      void show(`Dirsync: ${what} done — ${did ? `${did} (${summary})` : summary}.`);
      return;
    }
    case 'refused':
      await showRefusal(ctx, uri, r);
      return;
    case 'cancelled': {
      ctx.output.info(`[${r.sessionId ?? '-'}] ${what} cancelled: ${r.message ?? ''}`);
      if (!r.planToken) return showPlanProblem(ctx, what, r);
      const choice = await vscode.window.showWarningMessage(`Dirsync: ${what} cancelled. ${r.message ?? ''}`.trim(), 'Resume');
      if (choice === 'Resume') await resume(r.planToken);
      return;
    }
    case 'stale':
      void vscode.window.showWarningMessage(`Dirsync: ${r.message ?? 'the reviewed plan is no longer valid.'}`);
      return;
    default:
      showPlanProblem(ctx, what, r);
  }
}
