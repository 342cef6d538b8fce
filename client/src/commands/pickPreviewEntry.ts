/**
 * "Dirsync: Pick Preview Entry…": the entry attribute expressions and avatar patterns are
 * previewed on (inlay hints, hovers). Lists the users selection's first 200 matches; a DN can be
 * typed instead; "First match" goes back to the default.
 */
import * as vscode from 'vscode';
import { SelectionSampleRequest, SetPreviewEntryRequest, type SelectionSample, type SetPreviewEntryResult } from '../../../common/requests';
import { targetDocument, type LiveContext } from '../live/context';

interface EntryItem extends vscode.QuickPickItem {
  readonly dn?: string;
}

/** Sets the preview entry and reports a failure. */
export async function usePreviewEntry(live: LiveContext, uri: string, dn: string | undefined): Promise<void> {
  const r = (await live.client.sendRequest(SetPreviewEntryRequest.method, { uri, ...(dn ? { dn } : {}) })) as SetPreviewEntryResult | null;
  if (!r) return;
  live.status.update(r.status);
  if (r.error) void vscode.window.showErrorMessage(`Dirsync: ${r.error}`);
  else void vscode.window.setStatusBarMessage(`Dirsync: previewing ${r.status.previewEntry ?? 'the first match'}`, 4000);
}

export function pickPreviewEntry(live: LiveContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = targetDocument(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const pick = vscode.window.createQuickPick<EntryItem>();
    pick.title = 'Dirsync: preview expressions on…';
    pick.placeholder = 'Type to filter, or paste a DN';
    pick.busy = true;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.show();
    const sample = (await live.client.sendRequest(SelectionSampleRequest.method, {
      uri,
      kind: 'users',
      limit: 200,
    })) as SelectionSample | null;
    pick.busy = false;
    if (sample?.error) {
      pick.hide();
      void vscode.window.showErrorMessage(`Dirsync: ${sample.error}`);
      return;
    }
    pick.items = [
      { label: '$(discard) First match of the users filter', description: 'the default' },
      ...(sample?.entries ?? []).map((e) => ({
        label: e.label,
        description: e.values.find((v) => v.cloud === 'uid')?.value ?? '',
        detail: e.dn,
        dn: e.dn,
      })),
    ];
    const chosen = await new Promise<{ dn?: string } | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0];
        resolve(item ? { ...(item.dn ? { dn: item.dn } : {}) } : pick.value.includes('=') ? { dn: pick.value.trim() } : undefined);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
    });
    pick.dispose();
    if (chosen) await usePreviewEntry(live, uri, chosen.dn);
  };
}
