/**
 * "Dirsync: Bind Directory…": binds the active `.dirsync` document to its directory for live
 * previews. Asks only for what the config does not say — the URL, the bind DN, the password (kept
 * in VS Code's SecretStorage under the config's `${secret:KEY}`, or under a key derived from URL
 * and bind DN) — then connects through the language server and remembers the binding.
 */
import * as vscode from 'vscode';
import {
  ConfigModelRequest,
  BindDirectoryRequest,
  type BindDirectoryParams,
  type ConfigModelResult,
  type LiveStatus,
} from '../../../common/requests';
import { derivedPasswordKey, targetDocument, type LiveContext } from '../live/context';
import { readSecret } from '../live/secrets';

const URL_SHAPE = /^(ldaps?:\/\/[^/\s]+\/?|ldif:.+)$/i;

async function bindOnce(live: LiveContext, doc: vscode.TextDocument, askPassword: boolean): Promise<LiveStatus | undefined> {
  const uri = doc.uri.toString();
  const model = (await live.client.sendRequest(ConfigModelRequest.method, { uri })) as ConfigModelResult | null;
  if (!model) return undefined;
  const dir = model.config.directory;
  const params: { -readonly [K in keyof BindDirectoryParams]: BindDirectoryParams[K] } = { uri };
  const remembered = live.bindings.get(uri);
  let url = dir.url.value.trim();
  if (!url) {
    const typed = await vscode.window.showInputBox({
      title: 'Bind Directory (1/3)',
      prompt: 'The config has no directory.url. Which directory?',
      placeHolder: 'ldaps://dc1.example.com  ·  ldap://dc1.example.com:389  ·  ldif:./export.ldif',
      value: remembered?.url ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (URL_SHAPE.test(v.trim()) ? undefined : 'ldap://host[:port], ldaps://host[:port] or ldif:path'),
    });
    if (typed === undefined) return undefined;
    url = typed.trim();
    params.url = url;
  }
  if (!/^ldif:/i.test(url)) {
    let bindDn = dir.bindDn?.value;
    if (!bindDn) {
      const typed = await vscode.window.showInputBox({
        title: 'Bind Directory (2/3)',
        prompt: `The config has no directory.bindDn. Bind to ${url} as (empty: anonymous)`,
        placeHolder: 'CN=svc-dirsync,OU=Service Accounts,DC=example,DC=com',
        value: remembered?.bindDn ?? '',
        ignoreFocusOut: true,
      });
      if (typed === undefined) return undefined;
      bindDn = typed.trim() || undefined;
      if (bindDn) params.bindDn = bindDn;
    }
    if (bindDn) {
      const ref = dir.password?.value;
      const key = ref?.kind === 'secret' ? ref.key : derivedPasswordKey(url, bindDn);
      const configured = ref ? await readSecret(live.extension.secrets, ref) : undefined;
      const stored = ref?.kind === 'secret' ? configured : (configured ?? (await live.extension.secrets.get(key)));
      if (askPassword || !stored) {
        const password = await vscode.window.showInputBox({
          title: 'Bind Directory (3/3)',
          prompt: `Password for ${bindDn} on ${url}. Kept in VS Code's SecretStorage as "${key}", never in the file.`,
          password: true,
          ignoreFocusOut: true,
        });
        if (password === undefined) return undefined;
        await live.extension.secrets.store(key, password);
      }
      if (ref?.kind !== 'secret') params.passwordKey = key;
    }
  }
  const status = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Dirsync: binding ${url}…` }, () =>
    live.client.sendRequest(BindDirectoryRequest.method, params),
  )) as LiveStatus;
  live.status.markTold(status);
  live.status.update(status);
  if (status.state === 'bound') await live.bindings.remember(params);
  return status;
}

export function bindDirectory(live: LiveContext) {
  return async (arg?: unknown): Promise<LiveStatus | undefined> => {
    const doc = targetDocument(arg);
    if (!doc) {
      void vscode.window.showWarningMessage('Dirsync: open a .dirsync file to bind it to its directory.');
      return undefined;
    }
    let askPassword = false;
    for (;;) {
      const status = await bindOnce(live, doc, askPassword);
      if (!status || status.state === 'bound') return status;
      const retry = status.code === 'invalidCredentials' || status.code === 'config' ? 'Enter Password Again…' : 'Try Again';
      const choice = await vscode.window.showErrorMessage(
        `Dirsync: cannot bind ${status.url ?? 'the directory'}: ${status.reason ?? status.state}`,
        retry,
      );
      if (!choice) return status;
      askPassword = choice !== 'Try Again';
    }
  };
}
