/**
 * CRUD and paged listing of one SCIM resource type (`/Users` or `/Groups`), RFC 7644 §3.3–§3.6.
 * Listing streams: pages are fetched with startIndex/count as the consumer iterates, a page or two
 * ahead, so 100k users flow through without being held in memory.
 */
import { describeResource, ScimError } from './errors';
import { formatScimFilter, scimFilter, type ScimFilter } from './scimFilter/index';
import { SCHEMA, type PatchOperation, type ScimListResponse } from './schemas';
import type { ScimResponse, ScimTransport } from './transport';

export interface ListOptions {
  /** A filter as text or built with `scimFilter` (values escaped for you). */
  readonly filter?: string | ScimFilter;
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
  readonly sortBy?: string;
  readonly sortOrder?: 'ascending' | 'descending';
  /** `count` per request. Default: the client's pageSize (100, Webex's default). */
  readonly pageSize?: number;
  /** Pages requested ahead of the one being consumed. Default 1; 0 = strictly one at a time. */
  readonly prefetch?: number;
  /** First index (1-based). Default 1. */
  readonly startIndex?: number;
  /** Extra query parameters the target understands (`includeDeleted`, Webex's `includeMembers`). */
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  readonly signal?: AbortSignal;
}

export interface ListPage<T> {
  readonly resources: T[];
  readonly startIndex: number;
  readonly totalResults: number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Override how the object is named in errors, e.g. `user "ann@example.com"`. */
  readonly object?: string;
}

export interface WriteOptions extends RequestOptions {
  /** Send If-Match: the write fails with ScimPreconditionFailedError (412) if the ETag changed. */
  readonly ifMatch?: string;
}

export interface CreateOptions extends RequestOptions {
  /**
   * How to find the object if a POST's outcome is unknown (reset, timeout, 5xx): a filter that
   * matches exactly the object being created. Default: `userName eq …` (users) / `displayName eq …`
   * (groups) — attributes Webex can filter on (its Users `filter` table has no `externalId`).
   * `false` disables retries of the POST after an unknown outcome.
   */
  readonly lookup?: ScimFilter | false;
}

export interface PatchOptions extends WriteOptions {
  /**
   * Retry after an unknown outcome. Default true: SCIM PATCH add/replace/remove with set
   * semantics leave the same state when applied twice. Pass false for operations that do not
   * (e.g. `add` of a value to a multi-valued attribute the server does not de-duplicate).
   */
  readonly retryUnknown?: boolean;
}

export interface ResourceDefaults {
  readonly pageSize: number;
}

type Kind = 'user' | 'group';

function text(filter: string | ScimFilter): string {
  return typeof filter === 'string' ? filter : formatScimFilter(filter);
}

function withVersion<T>(res: ScimResponse<T>): T {
  const body = res.body as (T & { meta?: Record<string, unknown> }) | undefined;
  if (body && typeof body === 'object' && res.etag && !body.meta?.['version']) {
    (body as { meta?: Record<string, unknown> }).meta = { ...body.meta, version: res.etag };
  }
  return body as T;
}

function noop(): void {}

/** Operations on one resource endpoint. Obtain through `ScimClient.users` / `.groups`. */
export class ResourceClient<T extends { id?: string }> {
  constructor(
    protected readonly transport: ScimTransport,
    /** `/Users` or `/Groups`. */
    readonly endpoint: string,
    protected readonly kind: Kind,
    protected readonly defaults: ResourceDefaults,
  ) {}

  protected describe(r: unknown, id?: string): string {
    return describeResource(this.kind, r, id);
  }

  private listQuery(opts: ListOptions, startIndex: number, count: number): Record<string, string | number | boolean | undefined> {
    return {
      ...opts.query,
      filter: opts.filter === undefined ? undefined : text(opts.filter),
      attributes: opts.attributes?.join(','),
      excludedAttributes: opts.excludedAttributes?.join(','),
      sortBy: opts.sortBy,
      sortOrder: opts.sortOrder,
      startIndex,
      count,
    };
  }

  private fetchPage(opts: ListOptions, startIndex: number, count: number): Promise<ScimResponse<ScimListResponse<T>>> {
    return this.transport.send<ScimListResponse<T>>({
      method: 'GET',
      path: this.endpoint,
      query: this.listQuery(opts, startIndex, count),
      operation: 'list',
      object: `${this.kind}s` + (opts.filter !== undefined ? ' (filtered)' : '') + ` from index ${startIndex}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * Pages of resources in server order. Learns the server's real page size from the first page
   * (servers may cap `count`), and keeps `prefetch` requests ahead of the consumer.
   */
  async *pages(opts: ListOptions = {}): AsyncGenerator<ListPage<T>, void, undefined> {
    const size = opts.pageSize ?? this.defaults.pageSize;
    const prefetch = Math.max(0, opts.prefetch ?? 1);
    const inflight: Array<{ start: number; p: Promise<ScimResponse<ScimListResponse<T>>> }> = [];
    const launch = (start: number): void => {
      const p = this.fetchPage(opts, start, size);
      p.catch(noop); // observed when awaited; a prefetch the consumer never reaches must not crash the process
      inflight.push({ start, p });
    };
    launch(opts.startIndex ?? 1);
    let step = size;
    let firstIdOfPrevious: string | undefined;
    while (inflight.length > 0) {
      const { start, p } = inflight.shift()!;
      const body = (await p).body;
      if (!body || typeof body !== 'object') {
        throw new ScimError(
          { operation: 'list', object: `${this.kind}s`, method: 'GET', path: this.endpoint, detail: 'the list response has no body' },
          'protocol',
        );
      }
      const resources = Array.isArray(body.Resources) ? body.Resources : [];
      const total = typeof body.totalResults === 'number' ? body.totalResults : undefined;
      const n = resources.length;
      if (n === 0) return;
      // A server that ignores startIndex would loop forever: stop with a clear error instead.
      const firstId = resources[0]?.id;
      if (firstId !== undefined && firstId === firstIdOfPrevious) {
        throw new ScimError(
          {
            operation: 'list',
            object: `${this.kind}s`,
            method: 'GET',
            path: this.endpoint,
            detail: `the server returned the same page again for startIndex ${start}; it does not page`,
          },
          'protocol',
        );
      }
      firstIdOfPrevious = firstId;
      const next = start + n;
      if (n !== step && (total === undefined || next <= total)) {
        // The server pages by a different size: drop prefetches computed with the wrong step.
        step = n;
        inflight.length = 0;
      }
      if (total !== undefined) {
        let nextStart = inflight.length > 0 ? inflight[inflight.length - 1]!.start + step : next;
        while (inflight.length < 1 + prefetch && nextStart <= total) {
          launch(nextStart);
          nextStart += step;
        }
      } else if (inflight.length === 0) {
        launch(next);
      }
      yield { resources, startIndex: start, totalResults: total ?? next - 1 };
    }
  }

  /** Every resource matching the options, streamed page by page. */
  async *list(opts: ListOptions = {}): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages(opts)) yield* page.resources;
  }

  /** `totalResults` for a filter, without fetching resources (`count=0`, RFC 7644 §3.4.2.4). */
  async count(filter?: string | ScimFilter, opts: RequestOptions = {}): Promise<number> {
    const res = await this.transport.send<ScimListResponse<T>>({
      method: 'GET',
      path: this.endpoint,
      query: { filter: filter === undefined ? undefined : text(filter), count: 0 },
      operation: 'count',
      object: `${this.kind}s`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.body.totalResults;
  }

  /** The first resource matching a filter, or undefined. */
  async find(
    filter: string | ScimFilter,
    opts: RequestOptions & { query?: Record<string, string | boolean> } = {},
  ): Promise<T | undefined> {
    const res = await this.transport.send<ScimListResponse<T>>({
      method: 'GET',
      path: this.endpoint,
      query: { ...opts.query, filter: text(filter), startIndex: 1, count: 2 },
      operation: 'find',
      object: opts.object ?? `${this.kind} matching ${text(filter)}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.body.Resources?.[0];
  }

  /** One resource by id (ScimNotFoundError if there is none). */
  async get(
    id: string,
    opts: RequestOptions & { attributes?: readonly string[]; query?: Record<string, string | boolean> } = {},
  ): Promise<T> {
    const res = await this.transport.send<T>({
      method: 'GET',
      path: `${this.endpoint}/${encodeURIComponent(id)}`,
      query: { ...opts.query, attributes: opts.attributes?.join(',') },
      operation: 'get',
      object: opts.object ?? `${this.kind} id ${id}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return withVersion(res);
  }

  private defaultLookup(resource: Record<string, unknown>): ScimFilter | undefined {
    const key = this.kind === 'user' ? 'userName' : 'displayName';
    const v = resource[key];
    return typeof v === 'string' && v ? scimFilter.eq(key, v) : undefined;
  }

  /**
   * POST a new resource. If the outcome of an attempt is unknown, the client looks the object up
   * (see `CreateOptions.lookup`) before retrying, and returns it if the earlier attempt created it.
   */
  async create(resource: Omit<T, 'id'> & Record<string, unknown>, opts: CreateOptions = {}): Promise<T> {
    const lookup = opts.lookup === false ? undefined : (opts.lookup ?? this.defaultLookup(resource));
    const object = opts.object ?? this.describe(resource);
    const res = await this.transport.send<T>({
      method: 'POST',
      path: this.endpoint,
      body: resource,
      operation: 'create',
      object,
      retry: lookup ? 'recover' : 'never',
      ...(lookup
        ? {
            recover: async (signal?: AbortSignal) => {
              const found = await this.transport.send<ScimListResponse<T>>({
                method: 'GET',
                path: this.endpoint,
                query: { filter: formatScimFilter(lookup), startIndex: 1, count: 2 },
                operation: 'look up after unknown outcome of create',
                object,
                retry: 'idempotent',
                ...(signal ? { signal } : {}),
              });
              const hit = found.body.Resources?.[0];
              return hit ? { ...found, status: 201, body: hit } : undefined;
            },
          }
        : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return withVersion(res);
  }

  /** PUT: replace the resource (RFC 7644 §3.5.1). Idempotent, so retried after unknown outcomes. */
  async replace(id: string, resource: Omit<T, 'id'> & Record<string, unknown>, opts: WriteOptions = {}): Promise<T> {
    const res = await this.transport.send<T>({
      method: 'PUT',
      path: `${this.endpoint}/${encodeURIComponent(id)}`,
      body: { ...resource, id },
      ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}),
      operation: 'replace',
      object: opts.object ?? this.describe(resource, id),
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return withVersion(res);
  }

  /**
   * PATCH (RFC 7644 §3.5.2). Resolves with the resource when the server returns it (200), or
   * undefined on 204 No Content.
   */
  async patch(id: string, operations: readonly PatchOperation[], opts: PatchOptions = {}): Promise<T | undefined> {
    const res = await this.transport.send<T | undefined>({
      method: 'PATCH',
      path: `${this.endpoint}/${encodeURIComponent(id)}`,
      body: { schemas: [SCHEMA.patchOp], Operations: operations },
      ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}),
      operation: 'patch',
      object: opts.object ?? `${this.kind} id ${id}`,
      retry: opts.retryUnknown === false ? 'never' : 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.status === 204 || res.body === undefined ? undefined : withVersion(res as ScimResponse<T>);
  }

  /** DELETE. A 404 after an attempt whose outcome was unknown counts as deleted. */
  async delete(id: string, opts: WriteOptions = {}): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: `${this.endpoint}/${encodeURIComponent(id)}`,
      ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}),
      operation: 'delete',
      object: opts.object ?? `${this.kind} id ${id}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }
}
