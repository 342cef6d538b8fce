/**
 * "Dirsync: Incremental Sync": the objects changed since the last sync, applied at once (no
 * dialog, as the scheduled sync of Directory Connector) — still refused over the deletion threshold.
 */
import { SyncRequest } from '../../../common/requests';
import { runTarget, type RunContext } from '../runs/context';
import { showApplied } from '../runs/outcome';
import { isCurrentResult } from '../runs/reportFile';
import { requestWithProgress } from '../runs/serverProgress';

export function incrementalSync(ctx: RunContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = await runTarget(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const resume = async (planToken: string): Promise<void> => {
      const r = await requestWithProgress(ctx, 'Dirsync: incremental sync', SyncRequest, { uri, mode: 'incremental', planToken });
      if (!isCurrentResult(r, 'incremental sync')) return;
      await showApplied(ctx, uri, 'incremental sync', r, resume);
    };
    const r = await requestWithProgress(ctx, 'Dirsync: incremental sync', SyncRequest, {
      uri,
      mode: 'incremental',
      applyWithoutReview: true,
    });
    if (!isCurrentResult(r, 'incremental sync')) return;
    await showApplied(ctx, uri, 'incremental sync', r, resume);
  };
}
