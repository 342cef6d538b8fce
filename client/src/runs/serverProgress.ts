/**
 * Sends a long run request with a work-done token and shows the server's `$/progress` in a
 * cancellable notification (`window.withProgress`). Cancelling sends `$/cancelRequest`; the
 * server stops the engine and still answers (outcome `cancelled`).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient/node';
import type { ParamsOf, Request, ResultOf } from '../../../common/requests';
import type { RunContext } from './context';

export async function requestWithProgress<T extends Request<unknown, unknown>>(
  ctx: RunContext,
  title: string,
  type: T,
  params: Omit<ParamsOf<T>, 'workDoneToken'>,
): Promise<ResultOf<T>> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancel) => {
      const workDoneToken = randomUUID();
      let shown = 0;
      const subscription = ctx.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const v = value as WorkDoneProgressBegin | WorkDoneProgressReport;
        // VS Code's bar only grows: a new phase (a lower percentage) keeps the bar and updates the text.
        const increment = v.percentage !== undefined && v.percentage > shown ? v.percentage - shown : undefined;
        if (increment !== undefined) shown = v.percentage!;
        progress.report({ ...(v.message ? { message: v.message } : {}), ...(increment !== undefined ? { increment } : {}) });
      });
      try {
        return (await ctx.client.sendRequest(type.method, { ...params, workDoneToken }, cancel)) as ResultOf<T>;
      } finally {
        subscription.dispose();
      }
    },
  );
}
