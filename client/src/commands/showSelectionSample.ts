/**
 * The click on a selection's CodeLens: a sample of the entries the filter matches right now, with
 * their key mapped values. Choosing a user (or room) previews the expressions on it; choosing a
 * group or contact copies its DN.
 */
import * as vscode from 'vscode';
import { SelectionSampleRequest, type SelectionKind, type SelectionSample } from '../../../common/requests';
import { targetDocument, type LiveContext } from '../live/context';
import { usePreviewEntry } from './pickPreviewEntry';

export function showSelectionSample(live: LiveContext) {
  return async (arg?: unknown, kindArg?: unknown): Promise<void> => {
    const doc = targetDocument(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    const kind = (typeof kindArg === 'string' ? kindArg : 'users') as SelectionKind;
    const sample = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Dirsync: reading ${kind}…` }, () =>
      live.client.sendRequest(SelectionSampleRequest.method, { uri, kind, limit: 50 }),
    )) as SelectionSample | null;
    if (!sample) return;
    if (sample.error) {
      void vscode.window.showErrorMessage(`Dirsync: ${sample.error}`);
      return;
    }
    const total = sample.count !== undefined ? `${sample.count.toLocaleString('en-US')} ${kind} match` : `${kind}`;
    const items = sample.entries.map((e) => ({
      label: e.label,
      description: e.values
        .filter((v) => v.cloud === 'uid' || v.cloud === 'displayName')
        .map((v) => v.value)
        .filter(Boolean)
        .join(' · '),
      detail: e.dn,
      dn: e.dn,
    }));
    const usable = kind === 'users' || kind === 'rooms';
    const chosen = await vscode.window.showQuickPick(items, {
      title: `${total} — the first ${items.length}`,
      placeHolder: usable ? 'Choose one to preview the attribute expressions on it' : 'Choose one to copy its DN',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!chosen) return;
    if (usable) await usePreviewEntry(live, uri, chosen.dn);
    else {
      await vscode.env.clipboard.writeText(chosen.dn);
      void vscode.window.setStatusBarMessage(`Copied ${chosen.dn}`, 3000);
    }
  };
}
