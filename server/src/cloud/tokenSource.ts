/** What the transport sends as the bearer token: fixed, computed per attempt, or a provider that renews. */
import type { CloudLogger } from './logger';

/**
 * Tokens that renew (tokenProvider.ts): `current()` before every attempt; `renew(rejected)` once
 * when the cloud answers 401 to `rejected`, after which the request is sent again.
 */
export interface TokenProvider {
  current(): Promise<string>;
  renew(rejected: string): Promise<string>;
}

/** A bearer token, a function returning the current one (called for every attempt), or a provider that renews. */
export type TokenSource = string | (() => string | Promise<string>) | TokenProvider;

export function isProvider(t: TokenSource): t is TokenProvider {
  return typeof t === 'object' && t !== null;
}

/** The token for the next attempt (a renewal's error propagates as it is: it names what to fix). */
export async function tokenFrom(t: TokenSource): Promise<string> {
  if (typeof t === 'string') return t;
  return isProvider(t) ? t.current() : t();
}

/** After a 401: logs that the request is sent again and renews the refused token (once per request). */
export async function renewRefused(
  provider: TokenProvider,
  refused: string,
  logger: CloudLogger,
  at: Readonly<Record<string, string | number | undefined>>,
): Promise<void> {
  logger.log({ level: 'info', event: 'scim.retry', ...at, reason: 'HTTP 401: access token refused; renewed it', status: 401, delayMs: 0 });
  await provider.renew(refused);
}
