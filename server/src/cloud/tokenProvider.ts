/**
 * Access tokens that renew: a Webex Service App's OAuth refresh-token grant (RFC 6749 §6) at
 * Webex's token endpoint (`POST https://webexapis.com/v1/access_token`, form-encoded). The
 * provider gets a token at the first request, renews it ahead of expiry (at `refreshAt` of its
 * lifetime) and once when the cloud answers 401, with one refresh in flight at a time; it keeps a
 * rotated refresh token in memory and, with a `store`, for the next process (an OAuth server that
 * rotates refresh tokens retires the one used), and warns when the refresh token runs out soon.
 *
 * Tokens and secrets never leave this file except in the Authorization header: events carry
 * lifetimes and dates only, and an error text that a server echoes is redacted first.
 */
import type { Dispatcher } from 'undici';
import { Agent } from './dispatchers';
import { redactSecrets } from '../../../common/redact';
import { systemClock, type Clock } from './clock';
import type { CloudLogEvent, CloudLogger } from './logger';
import type { TokenProvider } from './tokenSource';

/** Webex's OAuth token endpoint. */
export const WEBEX_TOKEN_URL = 'https://webexapis.com/v1/access_token';

export interface OAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/**
 * Where a rotated refresh token is kept between processes (the sync engine's: a file only its owner
 * may read, in the config's state folder, for the configured refresh token it replaced).
 */
export interface RefreshTokenStore {
  /** The refresh token kept for the configured one, if any (never throws: a store it cannot read has none). */
  load(): Promise<string | undefined>;
  /** Keeps `refreshToken`, which replaced the last one; `expiresAt` (ms) when the answer said. Throws a message naming where. */
  save(refreshToken: string, expiresAt: number | undefined): Promise<void>;
  /**
   * Removes what is kept for other configured refresh tokens of the same token endpoint and client:
   * called after each successful grant (cheap once done). Throws a message naming where.
   */
  forgetReplaced?(): Promise<void>;
}

export interface OAuthTokenProviderOptions {
  readonly tokenUrl: string;
  /** `refreshToken` is the configured one: the store's, while it has one for it, is used instead. */
  readonly credentials: OAuthCredentials;
  /** Keeps a rotated refresh token for the next process; without it, only this process has it. */
  readonly store?: RefreshTokenStore;
  /** Where errors send the user, e.g. `check cloud.auth in corp.dirsync`. */
  readonly hint?: string;
  /** Default: an Agent of the provider's own, closing each connection after its request. */
  readonly dispatcher?: Dispatcher;
  readonly clock?: Clock;
  /** Per-request timeout, ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Share of an access token's lifetime after which it is renewed. Default 0.85. */
  readonly refreshAt?: number;
  /** Warn when the refresh token expires within this many ms. Default 14 days. */
  readonly warnWithinMs?: number;
}

/** What the token endpoint answered, parsed. */
export interface TokenAnswer {
  readonly accessToken: string;
  /** Seconds. */
  readonly expiresIn: number;
  readonly refreshToken?: string;
  /** Seconds. */
  readonly refreshTokenExpiresIn?: number;
}

/** A failed renewal: the message names what to check and never carries a token or secret. */
export class TokenRenewalError extends Error {
  override readonly name = 'TokenRenewalError';
  /** The token endpoint answered OAuth's `invalid_grant`: the refresh token is unknown, used or expired. */
  invalidGrant = false;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;

/** When a token obtained at `obtainedAt` (ms) that lives `expiresIn` seconds is renewed: ahead of expiry. */
export function refreshDueAt(obtainedAt: number, expiresIn: number, share = 0.85): number {
  return obtainedAt + Math.max(0, expiresIn) * 1000 * share;
}

/** Parses a token endpoint's 200 answer; a string says what is wrong with it. */
export function parseTokenAnswer(body: unknown): TokenAnswer | string {
  if (!body || typeof body !== 'object') return 'the answer is not a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b['access_token'] !== 'string' || b['access_token'] === '') return 'the answer has no access_token';
  const expiresIn = Number(b['expires_in']);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) return 'the answer has no positive expires_in';
  const out: { -readonly [K in keyof TokenAnswer]: TokenAnswer[K] } = { accessToken: b['access_token'], expiresIn };
  if (typeof b['refresh_token'] === 'string' && b['refresh_token'] !== '') out.refreshToken = b['refresh_token'];
  const rtExpires = Number(b['refresh_token_expires_in']);
  if (b['refresh_token_expires_in'] !== undefined && Number.isFinite(rtExpires)) out.refreshTokenExpiresIn = rtExpires;
  return out;
}

/**
 * The reason a token endpoint gave for refusing: OAuth's `error`/`error_description` (RFC 6749 §5.2)
 * or Webex's `message`, each with `secrets` removed (a server may echo what it was sent).
 */
export function tokenErrorText(status: number, body: unknown, secrets: readonly (string | undefined)[] = []): string {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const parts: string[] = [`HTTP ${status}`];
  if (typeof b['error'] === 'string') parts.push(redactSecrets(b['error'], secrets));
  const description =
    (typeof b['error_description'] === 'string' && b['error_description']) || (typeof b['message'] === 'string' && b['message']) || '';
  return description ? `${parts.join(' ')}: ${redactSecrets(description, secrets)}` : parts.join(' ');
}

/** The warning for a refresh token that expires within `withinMs` of `now`, in words with the date; undefined otherwise. */
export function refreshTokenWarning(now: number, expiresAt: number, withinMs = 14 * DAY_MS): string | undefined {
  const left = expiresAt - now;
  if (left > withinMs) return undefined;
  const date = new Date(expiresAt).toISOString().slice(0, 10);
  if (left <= 0)
    return `The refresh token in cloud.auth expired on ${date}: get a new token pair for the Service App and update cloud.auth.refreshToken`;
  const days = Math.floor(left / DAY_MS);
  const when = days === 0 ? 'today' : days === 1 ? 'in 1 day' : `in ${days} days`;
  return `The refresh token in cloud.auth expires on ${date} (${when}): get a new token pair for the Service App and update cloud.auth.refreshToken before then, or syncs will stop`;
}

/** The form body of a refresh-token grant. */
export function refreshGrantBody(c: OAuthCredentials): string {
  return new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    refresh_token: c.refreshToken,
  }).toString();
}

interface Held {
  readonly token: string;
  readonly expiresAt: number;
  readonly refreshAt: number;
}

/** A TokenProvider for the transport that renews through an OAuth refresh-token grant. */
export class OAuthTokenProvider implements TokenProvider {
  private held: Held | undefined;
  private refreshToken: string;
  private refreshTokenExpiresAt: number | undefined;
  private inflight: Promise<string> | undefined;
  /** The store was read (once, before the first grant). */
  private storeRead = false;
  /** Refresh tokens sent in the current grant (redacted from errors). */
  private triedTokens: string[] = [];
  private readonly listeners = new Set<CloudLogger>();
  private readonly clock: Clock;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Access tokens obtained so far (for the event log and tests). */
  renewals = 0;

  constructor(private readonly options: OAuthTokenProviderOptions) {
    this.refreshToken = options.credentials.refreshToken;
    this.clock = options.clock ?? systemClock;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: 10_000 } });
  }

  /** Sends this provider's events to `logger` until the returned function is called. */
  attach(logger: CloudLogger): () => void {
    this.listeners.add(logger);
    return () => this.listeners.delete(logger);
  }

  /** The access token to send now, renewed first when it is due. */
  async current(): Promise<string> {
    const held = this.held;
    const now = this.clock.now();
    if (held && now < held.refreshAt) return held.token;
    try {
      return await this.renewOnce('ahead');
    } catch (err) {
      // Renewing ahead failed but the token still works: use it; the next request tries again.
      if (held && now < held.expiresAt - 1000) {
        this.emit({
          level: 'warn',
          event: 'auth.renewFailed',
          message: `Could not renew the access token ahead of expiry (${(err as Error).message}); the current one is used until it expires`,
        });
        return held.token;
      }
      throw err;
    }
  }

  /** The cloud refused `rejected` (401): a new token, unless another request has already renewed it. */
  async renew(rejected: string): Promise<string> {
    if (this.held && this.held.token !== rejected) return this.held.token;
    if (!this.inflight) this.held = undefined;
    return this.renewOnce('refused');
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private renewOnce(reason: 'ahead' | 'refused'): Promise<string> {
    // Single flight: every request that needs a token while one is being fetched waits for it.
    this.inflight ??= this.fetchToken(reason).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private emit(e: CloudLogEvent): void {
    for (const l of this.listeners) l.log(e);
  }

  /** What a server's or a library's text may echo: the credentials, the refresh tokens in use or tried. */
  private secrets(): (string | undefined)[] {
    const c = this.options.credentials;
    return [c.clientSecret, c.refreshToken, this.refreshToken, ...this.triedTokens, c.clientId];
  }

  /** `detail` is dirsync's words around outside text that was redacted where it came in. */
  private fail(detail: string, status?: number, report = true): TokenRenewalError {
    const o = this.options;
    const err = new TokenRenewalError(`Could not get an access token from ${o.tokenUrl}: ${detail}${o.hint ? `. ${o.hint}` : ''}`, status);
    if (report) this.report(err);
    return err;
  }

  private report(err: TokenRenewalError): void {
    this.emit({ level: 'error', event: 'auth.error', message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) });
  }

  /** The refresh tokens to try after `refused` was refused as invalid: the store's newer one, then the configured one. */
  private async fallbacks(refused: string): Promise<string | undefined> {
    const kept = await this.options.store?.load();
    if (kept !== undefined && kept !== refused && !this.triedTokens.includes(kept)) return kept;
    const configured = this.options.credentials.refreshToken;
    return this.triedTokens.includes(configured) ? undefined : configured;
  }

  private async fetchToken(reason: 'ahead' | 'refused' | 'start'): Promise<string> {
    const o = this.options;
    if (!this.storeRead) {
      this.storeRead = true;
      const kept = await o.store?.load();
      if (kept !== undefined && kept !== this.refreshToken) {
        this.refreshToken = kept;
        this.emit({
          level: 'info',
          event: 'auth.refreshTokenKept',
          message: 'Using the refresh token an earlier run was given in place of the one in cloud.auth (which it replaced)',
        });
      }
    }
    this.triedTokens = [];
    for (;;) {
      this.triedTokens.push(this.refreshToken);
      try {
        return await this.grant(reason);
      } catch (err) {
        // A refresh token refused as invalid may have been rotated by another process sharing the
        // store (dirsync serve beside the editor), or the kept one may be stale: try those once each.
        if (!(err instanceof TokenRenewalError) || !err.invalidGrant) throw err;
        const next = await this.fallbacks(this.refreshToken);
        if (next === undefined) {
          this.report(err);
          throw err;
        }
        this.refreshToken = next;
      }
    }
  }

  private async grant(reason: 'ahead' | 'refused' | 'start'): Promise<string> {
    const o = this.options;
    const first = this.held === undefined && this.renewals === 0;
    const started = this.clock.now();
    let status: number;
    let body: unknown;
    try {
      const url = new URL(o.tokenUrl);
      const res = await this.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': 'dirsync' },
        body: refreshGrantBody({ ...o.credentials, refreshToken: this.refreshToken }),
        headersTimeout: o.timeoutMs ?? 30_000,
        bodyTimeout: o.timeoutMs ?? 30_000,
        reset: true,
      });
      status = res.statusCode;
      const raw = await res.body.text();
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw this.fail(`no answer (${redactSecrets(code ?? (err instanceof Error ? err.message : String(err)), this.secrets())})`);
    }
    if (status !== 200) {
      const why =
        status === 400 || status === 401
          ? ': the client id, client secret or refresh token was refused (a refresh token lasts 90 days and is revoked when the Service App is deauthorized)'
          : '';
      const invalidGrant = status === 400 && (body as { error?: unknown } | undefined)?.error === 'invalid_grant';
      // An invalid grant is reported by fetchToken once no other refresh token is left to try.
      const err = this.fail(`${tokenErrorText(status, body, this.secrets())}${why}`, status, !invalidGrant);
      err.invalidGrant = invalidGrant;
      throw err;
    }
    const answer = parseTokenAnswer(body);
    if (typeof answer === 'string') throw this.fail(answer, status);
    const now = this.clock.now();
    this.held = {
      token: answer.accessToken,
      expiresAt: started + answer.expiresIn * 1000,
      refreshAt: refreshDueAt(started, answer.expiresIn, o.refreshAt ?? 0.85),
    };
    const rotated = answer.refreshToken !== undefined && answer.refreshToken !== this.refreshToken;
    if (answer.refreshToken !== undefined) this.refreshToken = answer.refreshToken;
    if (answer.refreshTokenExpiresIn !== undefined) this.refreshTokenExpiresAt = started + answer.refreshTokenExpiresIn * 1000;
    this.renewals++;
    let kept = false;
    if (rotated && o.store) {
      // Kept before the token is used: the server has retired the refresh token this grant sent.
      try {
        await o.store.save(this.refreshToken, this.refreshTokenExpiresAt);
        kept = true;
      } catch (err) {
        this.emit({
          level: 'warn',
          event: 'auth.keepFailed',
          message: `${redactSecrets((err as Error).message, [this.refreshToken])}: the new refresh token is used by this process only, and a restarted dirsync starts again from cloud.auth.refreshToken, which the token endpoint may have retired`,
        });
      }
    }
    if (o.store?.forgetReplaced) {
      // This chain works: the tokens kept for a refresh token the config no longer names are secrets of no use.
      try {
        await o.store.forgetReplaced();
      } catch (err) {
        this.emit({ level: 'warn', event: 'auth.forgetFailed', message: redactSecrets((err as Error).message, this.secrets()) });
      }
    }
    const kind = first ? 'start' : reason;
    this.emit({
      level: 'info',
      event: 'auth.renewed',
      reason: kind,
      expiresInSeconds: answer.expiresIn,
      rotated,
      message: `${kind === 'refused' ? 'The cloud refused the access token; got a new one' : kind === 'ahead' ? 'Renewed the access token ahead of expiry' : 'Got an access token'}, valid ${answer.expiresIn} s${rotated ? (kept ? ' (with a new refresh token, kept for the next run)' : ' (with a new refresh token, kept in memory)') : ''}`,
    });
    if (this.refreshTokenExpiresAt !== undefined) {
      const warning = refreshTokenWarning(now, this.refreshTokenExpiresAt, o.warnWithinMs);
      if (warning) {
        this.emit({
          level: 'warn',
          event: 'auth.refreshTokenExpiring',
          expiresAt: new Date(this.refreshTokenExpiresAt).toISOString(),
          message: warning,
        });
      }
    }
    return answer.accessToken;
  }
}
