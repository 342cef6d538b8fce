/**
 * "Dirsync: Explain Object": pick an object of the last report (or type a DN or userName), then
 * show why it is (or is not) synchronized, which mapping makes each cloud value, and old → new.
 * The report webview's "Explain" calls it with `{ dn, userName, configFile }`.
 */
import * as vscode from 'vscode';
import { ExplainRequest, LastReportRequest, type LastReportResult } from '../../../common/requests';
import type { SyncReport } from '../../../common/report';
import { readReport, runTarget, type RunContext } from '../runs/context';
import { isCurrentResult } from '../runs/reportFile';
import type { ExplainDocuments } from '../runs/explainView';
import { requestWithProgress } from '../runs/serverProgress';

interface ExplainArg {
  readonly dn?: string;
  readonly userName?: string;
  readonly configFile?: string;
}

function isExplainArg(x: unknown): x is ExplainArg {
  return typeof x === 'object' && x !== null && !(x instanceof vscode.Uri) && ('dn' in x || 'userName' in x);
}

/** A quick pick over the report's objects that also takes free text (a DN or userName not in the list). */
async function pickTarget(report: SyncReport | undefined): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { target: string }>();
  pick.title = 'Dirsync: Explain Object';
  pick.placeholder = report ? 'Pick an object of the last report, or type a DN or userName' : 'Type a DN or userName';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const fromReport = (report?.items ?? [])
    .filter((i) => i.dn || i.userName)
    .slice(0, 5_000)
    .map((i) => ({
      label: i.displayName ?? i.userName ?? i.dn!,
      description: `${i.category} · ${i.userName ?? ''}`,
      detail: i.dn ?? '',
      target: (i.dn ?? i.userName)!,
    }));
  const typed = (value: string) => ({ label: value, description: 'explain this DN or userName', target: value, alwaysShow: true });
  pick.items = fromReport;
  pick.onDidChangeValue((v) => (pick.items = v.trim() ? [typed(v.trim()), ...fromReport] : fromReport));
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.target ?? (pick.value.trim() || undefined));
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

export function explainObject(ctx: RunContext, documents: ExplainDocuments) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(isExplainArg(arg) ? (arg.configFile ? vscode.Uri.file(arg.configFile) : undefined) : arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    let target = isExplainArg(arg) ? (arg.dn ?? arg.userName) : undefined;
    if (!target) {
      let report = ctx.reports.get(uri);
      if (!report) {
        const last = (await ctx.client.sendRequest(LastReportRequest.method, { uri })) as LastReportResult | null;
        if (last && isCurrentResult(last, 'last report request')) report = await readReport(ctx, last.file);
      }
      target = await pickTarget(report);
    }
    if (!target) return;
    const r = await requestWithProgress(ctx, `Dirsync: explaining ${target}`, ExplainRequest, { uri, target });
    if (!r.explanation) {
      void vscode.window.showErrorMessage(`Dirsync: cannot explain ${target}: ${r.message ?? 'no answer'}`);
      return;
    }
    await documents.show(r.explanation);
  };
}
