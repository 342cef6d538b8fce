/**
 * The SCIM 2.0 client: Webex Common Identity (`https://webexapis.com/identity/scim/{orgId}/v2`)
 * or any RFC 7643/7644 service. One client = one base URL, one token, one concurrency limiter,
 * one undici dispatcher (injected, or an keep-alive Agent the client owns and closes).
 *
 * @example
 *   const client = createScimClient({ baseUrl: webexScimBaseUrl(orgId), token: process.env.TOKEN! });
 *   for await (const u of client.users.list({ filter: scimFilter.sw('userName', 'a') })) …
 *   await client.close();
 */
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { Agent } from './dispatchers';
import { runBulk, type BulkOperation, type BulkOperationResult, type BulkOptions } from './bulk';
import { systemClock, type Clock } from './clock';
import { ContactsClient, contactsRootOf } from './contacts';
import { GroupsClient } from './groups';
import { Limiter } from './limiter';
import { silentLogger, type CloudLogger } from './logger';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './retry';
import type { ScimListResponse } from './schemas';
import type { ScimErrorHints } from './errors';
import { ScimTransport, type TokenSource } from './transport';
import { UsersClient } from './users';

export type ScimFlavor = 'webex' | 'scim';

export interface ScimClientOptions {
  /** SCIM base URL without a trailing resource, e.g. `https://webexapis.com/identity/scim/{orgId}/v2`. */
  readonly baseUrl: string;
  /** Bearer token, or a function returning the current one. Never logged. */
  readonly token: TokenSource;
  /** `webex` (member paging via `/Groups/{id}/Members`) or `scim`. Default: `webex` when the URL has Webex's shape. */
  readonly flavor?: ScimFlavor;
  /** The undici dispatcher (Agent, Pool, MockAgent). Default: a keep-alive Agent owned by the client. */
  readonly dispatcher?: Dispatcher;
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** `count` for list requests. Default 100 (Webex's default). */
  readonly pageSize?: number;
  /** `count` for Webex group member pages. Default 500 (Webex's maximum). */
  readonly memberPageSize?: number;
  /** Members per PATCH in addMembers/removeMembers. Default 100. */
  readonly memberPatchSize?: number;
  /** Per-request timeout (headers and body), ms. Default 30 000. undici checks it about once a second. */
  readonly timeoutMs?: number;
  /** Connect timeout of the client's own Agent, ms. Default 5 000. */
  readonly connectTimeoutMs?: number;
  /**
   * What to check when the server refuses the token (401/403) or cannot be reached, in the
   * caller's terms (the config key to fix); appended to those errors' messages.
   */
  readonly hints?: ScimErrorHints;
  /** Retries after 429/423/5xx/resets/timeouts. Default 6. */
  readonly maxRetries?: number;
  readonly backoff?: BackoffPolicy;
  /** Longest Retry-After the client waits, ms; longer fails the operation. Default 300 000. */
  readonly maxRetryAfterMs?: number;
  /** Operations per Bulk request. Default 100 (Webex's maximum). */
  readonly bulkMaxOperations?: number;
  /** Bytes per Bulk request. Default 1 MiB. */
  readonly bulkMaxPayloadBytes?: number;
  /** Goes into every TrackingID: `DIRSYNC_<sessionId>_<n>`. Default: a random UUID. */
  readonly sessionId?: string;
  readonly logger?: CloudLogger;
  readonly clock?: Clock;
  /** [0, 1) source for backoff jitter. Default Math.random. */
  readonly random?: () => number;
  readonly userAgent?: string;
  /**
   * Webex's Organization Contacts API, as a path from the origin. Default (flavor `webex`): derived
   * from the base URL, `/identity/scim/{orgId}/v2` → `/v1/contacts/organizations/{orgId}/contacts`.
   */
  readonly contactsRoot?: string;
}

const WEBEX_PATH = /\/identity\/scim\/[^/]+\/v2\/?$/;

/** Webex's SCIM base URL for an org. */
export function webexScimBaseUrl(orgId: string, origin = 'https://webexapis.com'): string {
  return `${origin.replace(/\/+$/, '')}/identity/scim/${encodeURIComponent(orgId)}/v2`;
}

export class ScimClient {
  readonly users: UsersClient;
  readonly groups: GroupsClient;
  /** The org's contacts (Webex only: a generic SCIM target has no contact resource). */
  readonly contacts: ContactsClient | undefined;
  readonly flavor: ScimFlavor;
  readonly sessionId: string;
  private readonly transport: ScimTransport;
  private readonly ownsDispatcher: boolean;
  private readonly dispatcher: Dispatcher;
  private readonly bulkLimits: { maxOperations: number; maxPayloadBytes: number; maxRetries: number };

  constructor(options: ScimClientOptions) {
    const concurrency = options.concurrency ?? 4;
    const clock = options.clock ?? systemClock;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connect: { timeout: options.connectTimeoutMs ?? 5_000 },
      });
    this.sessionId = options.sessionId ?? randomUUID();
    this.flavor = options.flavor ?? (WEBEX_PATH.test(new URL(options.baseUrl).pathname) ? 'webex' : 'scim');
    const maxRetries = options.maxRetries ?? 6;
    this.transport = new ScimTransport({
      baseUrl: options.baseUrl,
      token: options.token,
      dispatcher: this.dispatcher,
      limiter: new Limiter(concurrency, clock),
      clock,
      random: options.random ?? Math.random,
      logger: options.logger ?? silentLogger,
      sessionId: this.sessionId,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 300_000,
      userAgent: options.userAgent ?? 'dirsync',
      ...(options.hints ? { hints: options.hints } : {}),
    });
    const pageSize = options.pageSize ?? 100;
    this.users = new UsersClient(this.transport, '/Users', 'user', { pageSize });
    this.groups = new GroupsClient(this.transport, '/Groups', {
      pageSize,
      memberPageSize: options.memberPageSize ?? 500,
      memberPatchSize: options.memberPatchSize ?? 100,
      flavor: this.flavor,
    });
    const contactsRoot = options.contactsRoot ?? (this.flavor === 'webex' ? contactsRootOf(options.baseUrl) : undefined);
    this.contacts = contactsRoot ? new ContactsClient(this.transport, contactsRoot) : undefined;
    this.bulkLimits = {
      maxOperations: options.bulkMaxOperations ?? 100,
      maxPayloadBytes: options.bulkMaxPayloadBytes ?? 1_048_576,
      maxRetries,
    };
  }

  /** The base URL's origin + path, e.g. for building `$ref` values. */
  url(path = ''): string {
    return this.transport.url(path);
  }

  /**
   * Runs any number of operations through `/Bulk`, split into requests of at most 100 (see
   * bulk.ts for references across requests, failOnErrors and retries). One result per operation.
   */
  bulk(operations: readonly BulkOperation[], options: BulkOptions = {}): Promise<BulkOperationResult[]> {
    return runBulk(this.transport, operations, this.bulkLimits, options);
  }

  /** `GET /ServiceProviderConfig` (RFC 7644 §4): what the server supports (bulk, filter, etag…). */
  async serviceProviderConfig(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return (
      await this.transport.send<Record<string, unknown>>({
        method: 'GET',
        path: '/ServiceProviderConfig',
        operation: 'get',
        object: 'service provider config',
        retry: 'idempotent',
        ...(signal ? { signal } : {}),
      })
    ).body;
  }

  /** `GET /ResourceTypes`. */
  async resourceTypes(signal?: AbortSignal): Promise<ScimListResponse<Record<string, unknown>>> {
    return (
      await this.transport.send<ScimListResponse<Record<string, unknown>>>({
        method: 'GET',
        path: '/ResourceTypes',
        operation: 'get',
        object: 'resource types',
        retry: 'idempotent',
        ...(signal ? { signal } : {}),
      })
    ).body;
  }

  /** `GET /Schemas`. */
  async schemas(signal?: AbortSignal): Promise<ScimListResponse<Record<string, unknown>>> {
    return (
      await this.transport.send<ScimListResponse<Record<string, unknown>>>({
        method: 'GET',
        path: '/Schemas',
        operation: 'get',
        object: 'schemas',
        retry: 'idempotent',
        ...(signal ? { signal } : {}),
      })
    ).body;
  }

  /** Closes the dispatcher if the client created it (an injected one is the caller's to close). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

/** Creates a client; see `ScimClientOptions` for defaults. */
export function createScimClient(options: ScimClientOptions): ScimClient {
  return new ScimClient(options);
}
