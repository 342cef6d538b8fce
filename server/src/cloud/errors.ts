/**
 * Typed SCIM errors. RFC 7644 §3.12 error bodies (`status`, `scimType`, `detail`) become a
 * `ScimError` whose message names the operation and the object — `create user "ann@example.com"
 * (externalId 5c1f…): HTTP 409 uniqueness: …` — so a sync report or a log line says which user
 * failed and why without a second look-up. Tokens and headers never appear in messages.
 */

export type ScimErrorKind =
  | 'badRequest'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'preconditionFailed'
  | 'payloadTooLarge'
  | 'rateLimited'
  | 'locked'
  | 'server'
  | 'network'
  | 'timeout'
  | 'protocol'
  | 'notAttempted';

export interface ScimErrorInit {
  /** What the client was doing: `create`, `replace`, `patch`, `delete`, `get`, `list`, `bulk`, … */
  readonly operation: string;
  /** The object in words: `user "ann@example.com" (externalId 5c1f…)`, `group "Sales"`, `user id 42`. */
  readonly object?: string;
  readonly method: string;
  /** Path relative to the SCIM base URL, query string excluded (filters may carry personal data). */
  readonly path: string;
  readonly status?: number;
  /** RFC 7644 §3.12 scimType: uniqueness, mutability, invalidFilter, invalidValue, tooMany, … */
  readonly scimType?: string;
  readonly detail?: string;
  /** The `TrackingID` this client sent on the last attempt. */
  readonly trackingId?: string;
  /** The tracking id the server returned, when it returned one. */
  readonly serverTrackingId?: string;
  /** HTTP attempts made (1 = no retry). */
  readonly attempts?: number;
  readonly cause?: unknown;
  /** What to check, in the caller's terms (e.g. the config key of the token), appended to the message. */
  readonly hint?: string;
}

function kindOf(status: number | undefined, fallback: ScimErrorKind): ScimErrorKind {
  switch (status) {
    case 400:
      return 'badRequest';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 412:
      return 'preconditionFailed';
    case 413:
      return 'payloadTooLarge';
    case 423:
      return 'locked';
    case 429:
      return 'rateLimited';
    default:
      return status !== undefined && status >= 500 ? 'server' : fallback;
  }
}

/** What to check, in the caller's terms, appended to auth and connection errors. */
export interface ScimErrorHints {
  /** 401/403: the token (e.g. "check cloud.token"). */
  readonly auth?: string;
  /** Nothing answered: the URL (e.g. "check cloud.url"). */
  readonly unreachable?: string;
  /** 429 after every retry: what to slow down (e.g. "lower cloud.concurrency"). */
  readonly rateLimited?: string;
}

/** Any failure of a SCIM operation. Check `kind`, `status` and `scimType`, or use the subclasses. */
export class ScimError extends Error {
  override readonly name: string = 'ScimError';
  readonly kind: ScimErrorKind;
  readonly operation: string;
  readonly object?: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly scimType?: string;
  readonly detail?: string;
  readonly trackingId?: string;
  readonly serverTrackingId?: string;
  readonly attempts: number;

  constructor(init: ScimErrorInit, kind?: ScimErrorKind) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind ?? kindOf(init.status, 'protocol');
    this.operation = init.operation;
    if (init.object !== undefined) this.object = init.object;
    this.method = init.method;
    this.path = init.path;
    if (init.status !== undefined) this.status = init.status;
    if (init.scimType !== undefined) this.scimType = init.scimType;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.trackingId !== undefined) this.trackingId = init.trackingId;
    if (init.serverTrackingId !== undefined) this.serverTrackingId = init.serverTrackingId;
    this.attempts = init.attempts ?? 1;
  }

  /** A JSON-friendly view for event logs and reports (no stack, no secrets). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      operation: this.operation,
      object: this.object,
      status: this.status,
      scimType: this.scimType,
      detail: this.detail,
      trackingId: this.trackingId,
      serverTrackingId: this.serverTrackingId,
      attempts: this.attempts,
    };
  }
}

function formatMessage(init: ScimErrorInit): string {
  const what = init.object ? `${init.operation} ${init.object}` : `${init.operation} ${init.method} ${init.path}`;
  let why: string;
  if (init.status !== undefined && init.status > 0) {
    why = `HTTP ${init.status}` + (init.scimType ? ` ${init.scimType}` : '') + (init.detail ? `: ${init.detail}` : '');
  } else {
    why = init.detail ?? (init.cause instanceof Error ? init.cause.message : 'request failed');
  }
  const attempts = init.attempts && init.attempts > 1 ? ` after ${init.attempts} attempts` : '';
  const tracking = init.trackingId ? ` [TrackingID ${init.serverTrackingId ?? init.trackingId}]` : '';
  return `${what}: ${why}${attempts}${tracking}${init.hint ? `. ${init.hint}` : ''}`;
}

/** 400: the request is wrong (invalid value, filter, syntax). Not retried. */
export class ScimBadRequestError extends ScimError {
  override readonly name = 'ScimBadRequestError';
}
/** 401/403: the token is missing, expired or lacks a role. Not retried. */
export class ScimAuthError extends ScimError {
  override readonly name = 'ScimAuthError';
}
/** 404: no such resource (or the org is wrong). */
export class ScimNotFoundError extends ScimError {
  override readonly name = 'ScimNotFoundError';
}
/** 409: uniqueness (userName/externalId taken) or another conflict. */
export class ScimConflictError extends ScimError {
  override readonly name = 'ScimConflictError';
}
/** 412: If-Match did not match the resource's current ETag — someone changed it meanwhile. */
export class ScimPreconditionFailedError extends ScimError {
  override readonly name = 'ScimPreconditionFailedError';
}
/** 429/423 still answered after every retry (or a Retry-After longer than allowed). */
export class ScimRateLimitError extends ScimError {
  override readonly name = 'ScimRateLimitError';
}
/** 5xx still answered after every retry. */
export class ScimServerError extends ScimError {
  override readonly name = 'ScimServerError';
}
/** Connection reset/refused or timeout after every retry. */
export class ScimNetworkError extends ScimError {
  override readonly name = 'ScimNetworkError';
}

/** The right subclass for an HTTP status (0 or undefined: network). */
export function createScimError(init: ScimErrorInit, kind?: ScimErrorKind): ScimError {
  const k = kind ?? kindOf(init.status, init.status ? 'protocol' : 'network');
  switch (k) {
    case 'badRequest':
    case 'payloadTooLarge':
      return new ScimBadRequestError(init, k);
    case 'unauthorized':
    case 'forbidden':
      return new ScimAuthError(init, k);
    case 'notFound':
      return new ScimNotFoundError(init, k);
    case 'conflict':
      return new ScimConflictError(init, k);
    case 'preconditionFailed':
      return new ScimPreconditionFailedError(init, k);
    case 'rateLimited':
    case 'locked':
      return new ScimRateLimitError(init, k);
    case 'server':
      return new ScimServerError(init, k);
    case 'network':
    case 'timeout':
      return new ScimNetworkError(init, k);
    default:
      return new ScimError(init, k);
  }
}

/** Reads an RFC 7644 §3.12 error body (tolerating Webex's and others' variations). */
export function parseScimErrorBody(body: unknown): { scimType?: string; detail?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const out: { scimType?: string; detail?: string } = {};
  if (typeof b['scimType'] === 'string') out.scimType = b['scimType'];
  if (typeof b['detail'] === 'string') out.detail = b['detail'];
  else if (typeof b['message'] === 'string') out.detail = b['message'];
  else if (Array.isArray(b['Errors']) && b['Errors'][0] && typeof (b['Errors'][0] as Record<string, unknown>)['description'] === 'string') {
    out.detail = (b['Errors'][0] as Record<string, string>)['description'];
  }
  return out;
}

/** `user "ann@example.com" (externalId 5c1f…)` from whatever identifies the resource best. */
export function describeResource(type: 'user' | 'group' | 'resource', r: unknown, id?: string): string {
  const o = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
  const name =
    (typeof o['userName'] === 'string' && o['userName']) || (typeof o['displayName'] === 'string' && o['displayName']) || undefined;
  const ext = typeof o['externalId'] === 'string' ? o['externalId'] : undefined;
  const ident = id ?? (typeof o['id'] === 'string' ? o['id'] : undefined);
  if (name) return `${type} ${JSON.stringify(name)}` + (ext ? ` (externalId ${ext})` : ident ? ` (id ${ident})` : '');
  if (ext) return `${type} with externalId ${ext}` + (ident ? ` (id ${ident})` : '');
  return ident ? `${type} id ${ident}` : type;
}
