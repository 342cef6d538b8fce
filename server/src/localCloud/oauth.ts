/**
 * The local cloud's OAuth token endpoint, a double of Webex's `POST /v1/access_token` for a
 * Service App: the refresh-token grant (RFC 6749 §6), form-encoded, answering `access_token`,
 * `expires_in`, `refresh_token`, `refresh_token_expires_in`. Lifetimes are configurable (seconds,
 * so a test can see several expiries); every access token is new, and an expired one is refused
 * with 401 like Webex. Each refresh also rotates the refresh token (the one used stops working),
 * except the one the cloud was started with, which stays valid as though the admin fetched it
 * again — so a client that forgets a rotated refresh token fails, and a restarted one does not.
 * With `retireStartingRefreshToken` the starting one is retired after its first use too, as a
 * strictly rotating OAuth server does: a restarted client works only if it kept the rotated one.
 *
 * Admin (bearer token): `GET /_dirsync/tokens` counts, `POST /_dirsync/tokens/expire` ends every
 * access token now (the early-revocation case a client must survive with one renewal).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { finish, readBody, type Exchange } from './http';

export const TOKEN_PATH = '/v1/access_token';

export interface LocalOAuthOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The refresh token the cloud starts with (never retired, unless `retireStartingRefreshToken`). */
  readonly refreshToken: string;
  /** Retire the starting refresh token after its first use, like any rotated one. Default false. */
  readonly retireStartingRefreshToken?: boolean;
  /** Seconds an access token lives. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Seconds a refresh token lives. Default 90 days (Webex). */
  readonly refreshTokenLifetimeSeconds?: number;
}

export interface TokenStats {
  /** Access tokens issued. */
  readonly issued: number;
  /** Access tokens still valid. */
  readonly active: number;
  /** Token requests refused (400/401). */
  readonly refused: number;
  /** SCIM requests refused because their access token had expired. */
  readonly expiredRefused: number;
  /** Refreshes made with a rotated refresh token (not the one the cloud started with). */
  readonly rotatedUsed: number;
}

const digest = (s: string): string => createHash('sha256').update(s).digest('hex');

function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Webex's error body (its documents' `Error`: message, errors[].description, trackingId). */
export function webexErrorBody(message: string, trackingId: string): Record<string, unknown> {
  return { message, errors: [{ description: message }], trackingId };
}

export class TokenIssuer {
  /** Access token digest → expiry (ms). */
  private readonly access = new Map<string, number>();
  /** Rotated refresh token digest → expiry (ms). */
  private readonly refresh = new Map<string, number>();
  private readonly initialExpiresAt: number;
  private issued = 0;
  private refused = 0;
  private expiredRefused = 0;
  private rotatedUsed = 0;
  private startingRetired = false;

  constructor(
    private readonly options: LocalOAuthOptions,
    private readonly now: () => number,
  ) {
    this.initialExpiresAt = now() + this.refreshLifetime() * 1000;
  }

  private accessLifetime(): number {
    return this.options.tokenLifetimeSeconds ?? 3600;
  }

  private refreshLifetime(): number {
    return this.options.refreshTokenLifetimeSeconds ?? 90 * 86_400;
  }

  /** `valid`, `expired` (issued here, past its lifetime) or `unknown`. */
  check(token: string): 'valid' | 'expired' | 'unknown' {
    const expiresAt = this.access.get(digest(token));
    if (expiresAt === undefined) return 'unknown';
    if (this.now() < expiresAt) return 'valid';
    this.expiredRefused++;
    return 'expired';
  }

  stats(): TokenStats {
    const now = this.now();
    let active = 0;
    for (const e of this.access.values()) if (now < e) active++;
    return { issued: this.issued, active, refused: this.refused, expiredRefused: this.expiredRefused, rotatedUsed: this.rotatedUsed };
  }

  /** Ends every access token now; answers how many were still valid. */
  expireAll(): number {
    const now = this.now();
    let ended = 0;
    for (const [k, e] of this.access) {
      if (now < e) ended++;
      this.access.set(k, now);
    }
    return ended;
  }

  private oauthError(ex: Exchange, status: number, error: string, description: string): void {
    this.refused++;
    const body = JSON.stringify({ error, error_description: description, trackingId: ex.trackingId });
    finish(ex, status, { 'content-type': 'application/json', 'cache-control': 'no-store' }, body);
  }

  /** `POST /v1/access_token`. */
  async handle(ex: Exchange): Promise<void> {
    if (ex.method !== 'POST') {
      return finish(
        ex,
        405,
        { allow: 'POST', 'content-type': 'application/json' },
        JSON.stringify(webexErrorBody('POST only', ex.trackingId)),
      );
    }
    const type = String(ex.req.headers['content-type'] ?? '');
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      return this.oauthError(ex, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams((await readBody(ex.req, 16_384)).toString('utf8'));
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token') {
      return this.oauthError(
        ex,
        400,
        'unsupported_grant_type',
        `grant_type ${JSON.stringify(grant ?? '')} is not supported here; use refresh_token`,
      );
    }
    const o = this.options;
    // RFC 6749 §5.2: a client that fails to authenticate is 401 invalid_client.
    if (!same(form.get('client_id') ?? '', o.clientId) || !same(form.get('client_secret') ?? '', o.clientSecret)) {
      return this.oauthError(ex, 401, 'invalid_client', 'client authentication failed');
    }
    const presented = form.get('refresh_token') ?? '';
    const now = this.now();
    const rotatedExpiry = this.refresh.get(digest(presented));
    const initial = !this.startingRetired && same(presented, o.refreshToken);
    const expiresAt = initial ? this.initialExpiresAt : rotatedExpiry;
    if (expiresAt === undefined || now >= expiresAt) {
      return this.oauthError(ex, 400, 'invalid_grant', 'the refresh token is invalid, expired or already used');
    }
    if (!initial) {
      this.refresh.delete(digest(presented));
      this.rotatedUsed++;
    } else if (o.retireStartingRefreshToken) {
      this.startingRetired = true;
    }
    for (const [k, e] of this.access) if (e <= now - 3_600_000) this.access.delete(k);
    const accessToken = `LCAT_${randomBytes(24).toString('base64url')}`;
    const refreshToken = `LCRT_${randomBytes(24).toString('base64url')}`;
    this.access.set(digest(accessToken), now + this.accessLifetime() * 1000);
    this.refresh.set(digest(refreshToken), now + this.refreshLifetime() * 1000);
    this.issued++;
    const body = JSON.stringify({
      access_token: accessToken,
      expires_in: this.accessLifetime(),
      refresh_token: refreshToken,
      refresh_token_expires_in: this.refreshLifetime(),
      token_type: 'Bearer',
    });
    return finish(ex, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }, body);
  }
}
