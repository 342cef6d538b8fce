/**
 * Answers the server's `dirsync/resolveSecret` requests: `${secret:KEY}` from VS Code's
 * SecretStorage (then the CLI's `DIRSYNC_SECRET_<KEY>` variable), `${env:NAME}` from the extension
 * host's environment. The answer is sealed to the server's one-time key (common/secretBox.ts),
 * so the LSP trace never shows a password.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { secretEnvName } from '../../../common/secretRef';
import { ResolveSecretRequest, type ResolveSecretParams, type SealedSecret } from '../../../common/requests';
import { sealSecret } from '../../../common/secretBox';

export async function readSecret(secrets: vscode.SecretStorage, ref: ResolveSecretParams['ref']): Promise<string | undefined> {
  const fromEnv = process.env[secretEnvName(ref)];
  if (ref.kind === 'env') return fromEnv || undefined;
  return (await secrets.get(ref.key)) || fromEnv || undefined;
}

export function answerSecretRequests(client: LanguageClient, secrets: vscode.SecretStorage): vscode.Disposable {
  return client.onRequest(ResolveSecretRequest.method, async (p: ResolveSecretParams): Promise<SealedSecret | null> => {
    const value = await readSecret(secrets, p.ref);
    return value === undefined ? null : sealSecret(value, p.publicKey, p.ref.text);
  });
}
