/**
 * One SCIM HTTP exchange with retries, concurrency bound, tracking ids and logging. Everything above (resources, paging,
 * Bulk, Webex's contacts API) goes through `ScimTransport.send`.
 *
 * Retry rules (see retry.ts): 429/423 are retried for every method after Retry-After (a 429 pauses the whole client);
 * 5xx, resets and timeouts are retried for requests marked `idempotent`; a request marked `recover` (a POST that
 * creates) is retried only after its `recover` callback (a look-up by externalId/userName) found nothing, so an outcome
 * we never saw cannot create a duplicate. A DELETE's 404 after an unknown outcome counts as done (that attempt deleted it).
 * A 401 with a renewing token provider renews the token once and sends the request again (tokenSource.ts).
 *
 * Over 400 lines: one request's retry rules (throttling, unknown outcomes, a refused token) read
 * best as one loop beside the exchange they retry.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from './clock';
import { createScimError, parseScimErrorBody, type ScimError, type ScimErrorHints, type ScimErrorKind } from './errors';
import type { Limiter } from './limiter';
import { isProvider, renewRefused, tokenFrom, type TokenSource } from './tokenSource';
import type { CloudLogger } from './logger';
import {
  backoffDelay,
  isNotSentError,
  isRetryableServerStatus,
  isThrottleStatus,
  isTransientNetworkError,
  parseRetryAfter,
  type BackoffPolicy,
} from './retry';

export type { TokenProvider, TokenSource } from './tokenSource';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimRequest {
  readonly method: HttpMethod;
  /** Path under the SCIM base URL: `/Users`, `/Users/{id}`, `/Bulk`. */
  readonly path: string;
  /** A path from the origin replacing the SCIM base path (Webex's contacts API lives beside SCIM). */
  readonly root?: string;
  /** The JSON body's media type. Default application/scim+json (Webex's contacts API: application/json). */
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON body (sent as application/scim+json). */
  readonly body?: unknown;
  /** A binary body (avatars), with its content type. */
  readonly bytes?: { readonly data: Uint8Array; readonly contentType: string };
  /** Extra headers: If-Match, If-None-Match. */
  readonly headers?: Readonly<Record<string, string>>;
  /** For messages and logs: `create`, `patch`, `list`… */
  readonly operation: string;
  /** The object in words, for error messages (computed lazily). */
  readonly object?: string | (() => string);
  /**
   * After an unknown outcome (5xx, reset, timeout): `idempotent` retries, `never` fails,
   * `recover` calls `recover` and retries only when it finds nothing.
   */
  readonly retry: 'idempotent' | 'recover' | 'never';
  readonly recover?: (signal?: AbortSignal) => Promise<ScimResponse | undefined>;
  /** `json` (default) parses the body; `bytes` keeps it as a Buffer. */
  readonly responseType?: 'json' | 'bytes';
  readonly signal?: AbortSignal;
}

export interface ScimResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The ETag header (or meta.version), e.g. `W/"3"`. */
  readonly etag?: string;
  readonly trackingId: string;
  readonly serverTrackingId?: string;
  /** True when the result was found by `recover` after an unknown outcome (not from this request). */
  readonly recovered?: boolean;
  /** True when an earlier attempt's outcome was unknown (the DELETE 404 case). */
  readonly afterUnknownOutcome?: boolean;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly token: TokenSource;
  readonly dispatcher: Dispatcher;
  readonly limiter: Limiter;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: CloudLogger;
  readonly sessionId: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly backoff: BackoffPolicy;
  /** A Retry-After longer than this fails the operation instead of stalling the sync. */
  readonly maxRetryAfterMs: number;
  readonly userAgent: string;
  readonly hints?: ScimErrorHints;
}

/** RFC 7644 §3.1: SCIM's media type. Servers must accept it; we also accept plain JSON back. */
const SCIM_JSON = 'application/scim+json';

function encodeQuery(query: ScimRequest['query']): string {
  if (!query) return '';
  let out = '';
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    out += (out ? '&' : '?') + encodeURIComponent(k) + '=' + encodeURIComponent(String(v));
  }
  return out;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

type Outcome =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: unknown; raw?: string }
  | { kind: 'network'; error: unknown };

export class ScimTransport {
  readonly origin: string;
  readonly basePath: string;
  private seq = 0;
  private answered = false; // the server has answered at least once

  constructor(readonly options: TransportOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
  }

  /** The absolute URL of a path under the base (for `$ref`s and avatar links). */
  url(path: string): string {
    return this.origin + this.basePath + path;
  }

  private nextTrackingId(): string {
    return `DIRSYNC_${this.options.sessionId}_${++this.seq}`;
  }

  /** Sends a request, retrying per the rules above; resolves with a 2xx/304 response or throws a ScimError. */
  async send<T = unknown>(req: ScimRequest): Promise<ScimResponse<T>> {
    const o = this.options;
    const path = (req.root ?? this.basePath) + req.path + encodeQuery(req.query);
    let attempt = 0;
    let outcomeUnknown = false;
    let renewed = false;
    for (;;) {
      attempt++;
      const [trackingId, token] = [this.nextTrackingId(), await tokenFrom(o.token)];
      const outcome = await this.exchange(req, path, trackingId, token);
      const signal = req.signal;
      if (signal?.aborted) throw signal.reason;

      let delay: number;
      let reason: string;
      let status = 0;
      let serverTrackingId: string | undefined;
      if (outcome.kind === 'response') {
        this.answered = true;
        status = outcome.status;
        serverTrackingId = header(outcome.headers, 'trackingid');
        if ((status >= 200 && status < 300) || status === 304) {
          return this.success<T>(req, outcome, trackingId, serverTrackingId, outcomeUnknown);
        }
        if (status === 404 && req.method === 'DELETE' && outcomeUnknown) {
          // The attempt we never heard back from deleted it.
          return this.success<T>(req, { ...outcome, body: undefined }, trackingId, serverTrackingId, true);
        }
        if (status === 401 && !renewed && isProvider(o.token)) {
          // Expired or revoked early: renew once and resend (a refused request did nothing).
          renewed = true;
          await renewRefused(o.token, token, o.logger, { ...this.where(req), attempt, trackingId, serverTrackingId });
          continue;
        }
        const retryAfter = parseRetryAfter(outcome.headers['retry-after'], o.clock.now());
        if (isThrottleStatus(status)) {
          if (retryAfter !== undefined && retryAfter > o.maxRetryAfterMs) {
            throw this.fail(
              req,
              outcome,
              trackingId,
              serverTrackingId,
              attempt,
              `Retry-After ${Math.ceil(retryAfter / 1000)} s exceeds the ${Math.ceil(o.maxRetryAfterMs / 1000)} s the client waits`,
            );
          }
          delay = retryAfter ?? backoffDelay(attempt, o.backoff, o.random);
          reason = `HTTP ${status}`;
          // The rate limit belongs to the token: hold back the whole client, not just this request.
          if (status === 429) o.limiter.pauseUntil(o.clock.now() + delay);
        } else if (isRetryableServerStatus(status) && req.retry !== 'never') {
          delay = Math.min(retryAfter ?? backoffDelay(attempt, o.backoff, o.random), o.maxRetryAfterMs);
          reason = `HTTP ${status}`;
          if (req.method !== 'GET') outcomeUnknown = true;
        } else {
          throw this.fail(req, outcome, trackingId, serverTrackingId, attempt);
        }
      } else {
        const err = outcome.error;
        const notSent = isNotSentError(err);
        // Refused before it ever answered: not there, say so now. Later, a refusal is a restart.
        const absent = notSent && !this.answered;
        if (absent || !isTransientNetworkError(err) || (req.retry === 'never' && !notSent)) {
          throw this.failNetwork(req, err, trackingId, attempt);
        }
        delay = backoffDelay(attempt, o.backoff, o.random);
        reason = (err as { code?: string }).code ?? (err instanceof Error ? err.message : 'network error');
        if (!notSent && req.method !== 'GET') outcomeUnknown = true;
      }

      if (attempt > o.maxRetries) {
        if (outcome.kind === 'response') throw this.fail(req, outcome, trackingId, serverTrackingId, attempt);
        throw this.failNetwork(req, outcome.error, trackingId, attempt);
      }
      o.logger.log({
        level: 'warn',
        event: 'scim.retry',
        operation: req.operation,
        method: req.method,
        path: req.path,
        reason,
        status: status || undefined,
        delayMs: delay,
        attempt,
        trackingId,
        serverTrackingId,
      });
      await o.clock.sleep(delay, signal);

      if (outcomeUnknown && req.retry === 'recover' && req.recover) {
        const found = await req.recover(signal);
        if (found) {
          o.logger.log({
            level: 'info',
            event: 'scim.recovered',
            operation: req.operation,
            path: req.path,
            trackingId,
            foundTrackingId: found.trackingId,
          });
          return { ...found, recovered: true } as ScimResponse<T>;
        }
      }
    }
  }

  private where(req: ScimRequest): { operation: string; method: string; path: string } {
    return { operation: req.operation, method: req.method, path: req.path };
  }

  /** One HTTP attempt inside a concurrency slot; the body is read before the slot is released. */
  private async exchange(req: ScimRequest, path: string, trackingId: string, token: string): Promise<Outcome> {
    const o = this.options;
    await o.limiter.acquire(req.signal);
    const started = performance.now();
    let status = 0;
    let serverTrackingId: string | undefined;
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: `${SCIM_JSON}, application/json`,
        trackingid: trackingId,
        'user-agent': o.userAgent,
        ...req.headers,
      };
      let body: string | Uint8Array | undefined;
      if (req.bytes) {
        headers['content-type'] = req.bytes.contentType;
        body = req.bytes.data;
      } else if (req.body !== undefined) {
        headers['content-type'] = `${req.contentType ?? SCIM_JSON}; charset=utf-8`;
        body = JSON.stringify(req.body);
      }
      const res = await o.dispatcher.request({
        origin: this.origin,
        path,
        method: req.method,
        headers,
        body: body ?? null,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
        signal: req.signal ?? null,
      });
      status = res.statusCode;
      serverTrackingId = header(res.headers, 'trackingid');
      let parsed: unknown;
      let raw: string | undefined;
      if (status === 204 || status === 304 || (req.method === 'DELETE' && status < 300)) {
        await res.body.dump();
      } else if (req.responseType === 'bytes' && status < 300) {
        parsed = Buffer.from(await res.body.arrayBuffer());
      } else {
        raw = await res.body.text();
        if (raw.length > 0) {
          try {
            parsed = JSON.parse(raw);
          } catch {
            parsed = undefined;
          }
        }
      }
      return raw === undefined
        ? { kind: 'response', status, headers: res.headers, body: parsed }
        : { kind: 'response', status, headers: res.headers, body: parsed, raw };
    } catch (error) {
      return { kind: 'network', error };
    } finally {
      o.limiter.release();
      o.logger.log({
        level: 'info',
        event: 'scim.request',
        operation: req.operation,
        method: req.method,
        path: req.path,
        status: status || undefined,
        ms: Math.round((performance.now() - started) * 10) / 10,
        trackingId,
        serverTrackingId,
      });
    }
  }

  private success<T>(
    req: ScimRequest,
    outcome: Extract<Outcome, { kind: 'response' }>,
    trackingId: string,
    serverTrackingId: string | undefined,
    afterUnknownOutcome: boolean,
  ): ScimResponse<T> {
    if (outcome.status < 300 && outcome.raw !== undefined && outcome.raw.length > 0 && outcome.body === undefined) {
      const object = this.objectOf(req);
      throw createScimError(
        {
          operation: req.operation,
          ...(object !== undefined ? { object } : {}),
          method: req.method,
          path: req.path,
          status: outcome.status,
          detail: `the server answered ${outcome.status} with a body that is not JSON: ${outcome.raw.slice(0, 80)}`,
          trackingId,
        },
        'protocol',
      );
    }
    const meta = (outcome.body as { meta?: { version?: unknown } } | undefined)?.meta;
    const etag = header(outcome.headers, 'etag') ?? (typeof meta?.version === 'string' ? meta.version : undefined);
    const res: {
      -readonly [K in keyof ScimResponse<T>]: ScimResponse<T>[K];
    } = { status: outcome.status, body: outcome.body as T, headers: outcome.headers, trackingId };
    if (etag !== undefined) res.etag = etag;
    if (serverTrackingId !== undefined) res.serverTrackingId = serverTrackingId;
    if (afterUnknownOutcome) res.afterUnknownOutcome = true;
    return res;
  }

  private objectOf(req: ScimRequest): string | undefined {
    return typeof req.object === 'function' ? req.object() : req.object;
  }

  private fail(
    req: ScimRequest,
    outcome: Extract<Outcome, { kind: 'response' }>,
    trackingId: string,
    serverTrackingId: string | undefined,
    attempts: number,
    overrideDetail?: string,
  ): ScimError {
    const parsed = parseScimErrorBody(outcome.body);
    const detail = overrideDetail ?? parsed.detail ?? (outcome.raw ? outcome.raw.slice(0, 200) : undefined);
    const object = this.objectOf(req);
    const hints = this.options.hints;
    const hint = outcome.status === 401 || outcome.status === 403 ? hints?.auth : outcome.status === 429 ? hints?.rateLimited : undefined;
    const err = createScimError({
      operation: req.operation,
      ...(object !== undefined ? { object } : {}),
      method: req.method,
      path: req.path,
      status: outcome.status,
      ...(parsed.scimType !== undefined ? { scimType: parsed.scimType } : {}),
      ...(detail !== undefined ? { detail } : {}),
      trackingId,
      ...(serverTrackingId !== undefined ? { serverTrackingId } : {}),
      attempts,
      ...(hint ? { hint } : {}),
    });
    this.logError(err);
    return err;
  }

  private failNetwork(req: ScimRequest, error: unknown, trackingId: string, attempts: number): ScimError {
    if (req.signal?.aborted) throw req.signal.reason;
    const code = (error as { code?: string }).code ?? '';
    const kind: ScimErrorKind = /TIMEOUT/.test(code) ? 'timeout' : 'network';
    const object = this.objectOf(req);
    const err = createScimError(
      {
        operation: req.operation,
        ...(object !== undefined ? { object } : {}),
        method: req.method,
        path: req.path,
        detail: `${code ? code + ': ' : ''}${error instanceof Error ? error.message : String(error)}`,
        trackingId,
        attempts,
        cause: error,
        ...(this.options.hints?.unreachable && !this.answered ? { hint: this.options.hints.unreachable } : {}),
      },
      kind,
    );
    this.logError(err);
    return err;
  }

  private logError(err: ScimError): void {
    this.options.logger.log({ level: 'error', event: 'scim.error', ...err.toJSON() });
  }
}
