/**
 * "Dirsync: Test Avatar URL" (also the CodeLens over `avatar.uriPattern`): Directory Connector's
 * "Test" button, inline. The pattern is resolved on the preview entry and fetched as a sync would
 * fetch it (credentials, redirects, size limit); the answer is status, type, size and dimensions.
 */
import * as vscode from 'vscode';
import { TestAvatarRequest, type AvatarCheckResult } from '../../../common/requests';
import { targetDocument, type LiveContext } from '../live/context';

export function testAvatarUrl(live: LiveContext) {
  return async (arg?: unknown): Promise<AvatarCheckResult | undefined> => {
    const doc = targetDocument(arg);
    if (!doc) return undefined;
    const r = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Dirsync: fetching the avatar…', cancellable: false },
      () => live.client.sendRequest(TestAvatarRequest.method, { uri: doc.uri.toString() }),
    )) as AvatarCheckResult | null;
    if (!r) return undefined;
    const who = r.dn ? ` of ${r.dn}` : '';
    const text = `Avatar${who}: ${r.url ? `${r.url} → ` : ''}${r.summary}`;
    const open = r.url ? ['Open URL'] : [];
    const choice = r.ok ? await vscode.window.showInformationMessage(text, ...open) : await vscode.window.showWarningMessage(text, ...open);
    if (choice && r.url) await vscode.env.openExternal(vscode.Uri.parse(r.url));
    return r;
  };
}
