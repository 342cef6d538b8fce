/** "Dirsync: Unbind Directory": the document goes back to the static checks; the binding is forgotten. */
import * as vscode from 'vscode';
import { UnbindDirectoryRequest, type LiveStatus } from '../../../common/requests';
import { targetDocument, type LiveContext } from '../live/context';

export function unbindDirectory(live: LiveContext) {
  return async (arg?: unknown): Promise<void> => {
    const doc = targetDocument(arg);
    if (!doc) return;
    const uri = doc.uri.toString();
    await live.bindings.forget(uri);
    const status = (await live.client.sendRequest(UnbindDirectoryRequest.method, { uri })) as LiveStatus;
    live.status.markTold(status);
    live.status.update(status);
    void vscode.window.setStatusBarMessage('Dirsync: directory unbound', 3000);
  };
}
