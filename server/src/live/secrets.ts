/**
 * Secrets for the live previews, read through the client: the server asks `dirsync/resolveSecret`
 * and gets the value sealed to its one-time key (common/secretBox.ts), so a verbose LSP trace
 * never shows it. Editors without the dirsync client (Neovim, Helix, …) do not answer that
 * request; the server then reads the environment it was started with, as the CLI does
 * (`${env:NAME}`, and `${secret:KEY}` as `DIRSYNC_SECRET_<KEY>`).
 */
import { secretEnvName } from '../../../common/secretRef';
import type { SecretRef } from '../../../common/config';
import { ResolveSecretRequest, type ResolveSecretParams, type SealedSecret } from '../../../common/requests';
import { createSecretOpener } from '../../../common/secretBox';

export type SecretRequester = (method: string, params: ResolveSecretParams) => Promise<SealedSecret | null>;

export function clientSecretResolver(send: SecretRequester, env: Readonly<Record<string, string | undefined>> = process.env) {
  const opener = createSecretOpener();
  return async (uri: string, ref: SecretRef, purpose: string): Promise<string | undefined> => {
    let sealed: SealedSecret | null;
    try {
      sealed = await send(ResolveSecretRequest.method, { uri, purpose, ref, publicKey: opener.publicKey });
    } catch {
      const v = env[secretEnvName(ref)];
      return v === undefined || v === '' ? undefined : v;
    }
    return sealed ? opener.open(sealed, ref.text) : undefined;
  };
}
