/**
 * Retry policy of the SCIM client: what is retried, how long to wait. Pure functions, unit-tested.
 *
 * - 429 Too Many Requests and 423 Locked: the server did not process the request; wait what
 *   `Retry-After` says (RFC 9110 §10.2.3: delta-seconds or an HTTP-date), else back off.
 * - 5xx, connection resets, timeouts: the outcome may be unknown; idempotent requests (GET, PUT,
 *   DELETE, PATCH with set semantics) are retried with capped exponential backoff and full jitter
 *   (delay = random × min(cap, base × 2^(attempt−1)), the "Full Jitter" of AWS's backoff study).
 *   A POST is retried only after the client has looked for the object it meant to create.
 */

export interface BackoffPolicy {
  /** First retry's ceiling, ms. Default 500. */
  readonly baseMs: number;
  /** Largest ceiling, ms. Default 30 000. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * The delay before retry number `attempt` (1 = first retry): uniformly random in
 * [0, min(cap, base × 2^(attempt−1))). `random` returns [0, 1) like Math.random.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.floor(random() * exp);
}

const DELTA_SECONDS = /^\s*(\d+)\s*$/;

/**
 * `Retry-After` in ms from `now` (RFC 9110 §10.2.3): delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`, also the obsolete RFC 850 and asctime forms Date.parse
 * reads). A date in the past gives 0. Anything else (missing, negative, garbage) gives undefined.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return undefined;
  const delta = DELTA_SECONDS.exec(v);
  if (delta) return Number(delta[1]) * 1000;
  // Date.parse accepts many shapes; an HTTP-date always names a weekday/month in letters.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  // HTTP-dates are always GMT (RFC 9110 §5.6.7); asctime carries no zone, so say so.
  const at = Date.parse(/GMT|UTC|[+-]\d{4}\s*$/.test(v) ? v : `${v.trim()} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Network-level failures after which the request may or may not have reached the server. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** True for connection resets, refusals and timeouts (undici's and Node's codes), following `cause`. */
export function isTransientNetworkError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** True when the request surely was not sent (connection refused / DNS): safe even for POST. */
export function isNotSentError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Statuses after which the server did not process the request and asks to come back later. */
export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 423;
}

/** Statuses after which the outcome is unknown and a retry may succeed. */
export function isRetryableServerStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status !== 505;
}
