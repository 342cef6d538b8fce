/**
 * SCIM Bulk (RFC 7644 §3.7): any number of operations, sent as requests of at most
 * `maxOperations` (Webex: 100) and `maxPayloadBytes`, in order. `bulkId:x` references to objects
 * created in earlier requests are replaced by their ids before sending; references inside one
 * request are left to the server. `failOnErrors` counts errors across all requests.
 *
 * Retries: 429/423 on the whole request are retried by the transport (nothing was processed).
 * After an unknown outcome (5xx, reset, timeout) some operations may have been applied: each
 * POST is looked up first (userName / displayName: filters Webex supports) and counted as done when found;
 * PUT/PATCH are resent (idempotent); a resent DELETE answered 404 counts as done. Operations
 * answered 429/423/503 individually are resent in a follow-up request.
 *
 * Over 400 lines: the Bulk request loop and its response reading belong together; they split when Bulk is rewired.
 */
import { backoffDelay } from './retry';
import { createScimError, describeResource, ScimError } from './errors';
import { formatScimFilter, scimFilter, type ScimFilter } from './scimFilter/index';
import { SCHEMA, type ScimListResponse } from './schemas';
import type { HttpMethod, ScimTransport } from './transport';

export interface BulkOperation {
  readonly method: Exclude<HttpMethod, 'GET'>;
  /** `/Users`, `/Users/{id}`, `/Groups/bulkId:g1`. */
  readonly path: string;
  /** Required for POST by RFC 7644; generated (`op<index>`) when missing. */
  readonly bulkId?: string;
  readonly data?: unknown;
  /** ETag for this operation (If-Match semantics). */
  readonly version?: string;
  /** How to name the object in errors; default from data (userName/displayName/externalId) or path. */
  readonly object?: string;
  /** POST only: how to find the object after an unknown outcome (default as in `create`). */
  readonly lookup?: ScimFilter | false;
}

export interface BulkOperationResult {
  /** Index in the input array. */
  readonly index: number;
  readonly method: BulkOperation['method'];
  readonly path: string;
  readonly bulkId?: string;
  /** HTTP status of the operation; 0 when it was never attempted (failOnErrors reached). */
  readonly status: number;
  /** The resource id (from `location` or the response). */
  readonly id?: string;
  readonly location?: string;
  readonly version?: string;
  readonly response?: unknown;
  readonly error?: ScimError;
  /** Found by look-up after an unknown outcome rather than confirmed by a response. */
  readonly recovered?: boolean;
}

export interface BulkOptions {
  /** Stop after this many errors in total (RFC 7644 §3.7.3). Default: no limit. */
  readonly failOnErrors?: number;
  readonly signal?: AbortSignal;
}

export interface BulkLimits {
  readonly maxOperations: number;
  readonly maxPayloadBytes: number;
  readonly maxRetries: number;
}

interface WireOperation {
  method: string;
  path: string;
  bulkId?: string;
  data?: unknown;
  version?: string;
}

interface WireResult {
  method?: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status?: string | number | { code?: string | number };
  response?: unknown;
}

const REF = /^bulkId:(.+)$/;

/** Every `bulkId:x` the operation refers to (whole string values and path segments). */
function references(op: BulkOperation): string[] {
  const out: string[] = [];
  for (const seg of op.path.split('/')) {
    const m = REF.exec(seg);
    if (m) out.push(m[1]!);
  }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = REF.exec(v);
      if (m) out.push(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(op.data);
  return out;
}

function substitute<V>(v: V, resolved: ReadonlyMap<string, string>): V {
  if (typeof v === 'string') {
    const m = REF.exec(v);
    return (m && resolved.has(m[1]!) ? resolved.get(m[1]!) : v) as V;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, resolved)) as V;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, resolved);
    return out as V;
  }
  return v;
}

function substitutePath(path: string, resolved: ReadonlyMap<string, string>): string {
  return path
    .split('/')
    .map((seg) => {
      const m = REF.exec(seg);
      return m && resolved.has(m[1]!) ? encodeURIComponent(resolved.get(m[1]!)!) : seg;
    })
    .join('/');
}

function statusOf(r: WireResult): number {
  const s = r.status;
  if (typeof s === 'number') return s;
  if (typeof s === 'string') return Number.parseInt(s, 10) || 0;
  if (s && typeof s === 'object') return Number.parseInt(String(s.code ?? ''), 10) || 0;
  return 0;
}

function idFrom(location: string | undefined, response: unknown): string | undefined {
  if (response && typeof response === 'object' && typeof (response as { id?: unknown }).id === 'string') {
    return (response as { id: string }).id;
  }
  if (!location) return undefined;
  const last = location.replace(/\/+$/, '').split('/').pop();
  return last ? decodeURIComponent(last) : undefined;
}

function typeOf(path: string): 'user' | 'group' | 'resource' {
  return /^\/?Users\b/i.test(path) ? 'user' : /^\/?Groups\b/i.test(path) ? 'group' : 'resource';
}

function describeOp(op: BulkOperation): string {
  if (op.object) return op.object;
  const type = typeOf(op.path);
  const id = op.path.split('/')[2];
  return describeResource(type, op.data, id ? decodeURIComponent(id) : undefined);
}

function defaultLookup(op: BulkOperation): ScimFilter | undefined {
  if (op.lookup === false) return undefined;
  if (op.lookup) return op.lookup;
  const d = (op.data ?? {}) as Record<string, unknown>;
  const key = typeOf(op.path) === 'user' ? 'userName' : 'displayName';
  return typeof d[key] === 'string' && d[key] ? scimFilter.eq(key, d[key] as string) : undefined;
}

/** Splits operations into requests by count and payload size, keeping their order. */
export function chunkBulkOperations(
  ops: readonly BulkOperation[],
  limits: Pick<BulkLimits, 'maxOperations' | 'maxPayloadBytes'>,
): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  const overhead = 200;
  ops.forEach((op, i) => {
    const size = JSON.stringify(op.data ?? null).length + op.path.length + 100;
    if (current.length > 0 && (current.length >= limits.maxOperations || bytes + size + overhead > limits.maxPayloadBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Runs operations through `/Bulk`; one result per input operation, in input order. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one request loop: retries, splitting a refused batch and bulkId bookkeeping share the batch's state.
export async function runBulk(
  transport: ScimTransport,
  input: readonly BulkOperation[],
  limits: BulkLimits,
  options: BulkOptions = {},
): Promise<BulkOperationResult[]> {
  const ops = input.map((op, i) => (op.method === 'POST' && !op.bulkId ? { ...op, bulkId: `op${i}` } : op));
  const chunks = chunkBulkOperations(ops, limits);
  const chunkOf = new Map<number, number>();
  chunks.forEach((c, ci) => c.forEach((i) => chunkOf.set(i, ci)));

  // Validate references up front: unknown bulkIds and references to a later request fail before anything is sent.
  const definedAt = new Map<string, number>();
  ops.forEach((op, i) => {
    if (!op.bulkId) return;
    if (definedAt.has(op.bulkId))
      throw new TypeError(`bulk: bulkId "${op.bulkId}" is used by operations ${definedAt.get(op.bulkId)} and ${i}`);
    definedAt.set(op.bulkId, i);
  });
  ops.forEach((op, i) => {
    for (const ref of references(op)) {
      const d = definedAt.get(ref);
      if (d === undefined) throw new TypeError(`bulk: operation ${i} (${describeOp(op)}) refers to unknown bulkId "${ref}"`);
      if (chunkOf.get(d)! > chunkOf.get(i)!) {
        throw new TypeError(
          `bulk: operation ${i} refers to bulkId "${ref}" defined by operation ${d}, which goes in a later request; put definitions first`,
        );
      }
    }
  });

  const results: Array<BulkOperationResult | undefined> = new Array(ops.length);
  const resolved = new Map<string, string>();
  let errors = 0;
  const budget = options.failOnErrors;

  const record = (i: number, r: Omit<BulkOperationResult, 'index' | 'method' | 'path' | 'bulkId'>): void => {
    const op = ops[i]!;
    results[i] = { index: i, method: op.method, path: op.path, ...(op.bulkId ? { bulkId: op.bulkId } : {}), ...r };
    if (r.error) errors++;
    if (op.bulkId && r.id && !r.error) resolved.set(op.bulkId, r.id);
  };

  for (const chunk of chunks) {
    if (budget !== undefined && errors >= budget) break;
    let pending = [...chunk];
    let unknownBefore = new Set<number>();
    for (let round = 1; pending.length > 0; round++) {
      if (options.signal?.aborted) throw options.signal.reason;
      const wire: WireOperation[] = pending.map((i) => {
        const op = ops[i]!;
        const w: WireOperation = { method: op.method, path: substitutePath(op.path, resolved) };
        if (op.bulkId) w.bulkId = op.bulkId;
        if (op.data !== undefined) w.data = substitute(op.data, resolved);
        if (op.version) w.version = op.version;
        return w;
      });
      const body: Record<string, unknown> = { schemas: [SCHEMA.bulkRequest], Operations: wire };
      if (budget !== undefined) body['failOnErrors'] = budget - errors;

      let wireResults: WireResult[];
      try {
        const res = await transport.send<{ Operations?: WireResult[] }>({
          method: 'POST',
          path: '/Bulk',
          body,
          operation: 'bulk',
          object: `${wire.length} operations (first: ${describeOp(ops[pending[0]!]!)})`,
          retry: 'never',
          ...(options.signal ? { signal: options.signal } : {}),
        });
        wireResults = Array.isArray(res.body?.Operations) ? res.body.Operations : [];
      } catch (err) {
        const kind = (err as ScimError).kind;
        if (!(err instanceof ScimError) || !['server', 'network', 'timeout'].includes(kind) || round > limits.maxRetries) throw err;
        // Unknown outcome: find out which POSTs landed, resend the rest.
        const o = transport.options;
        await o.clock.sleep(backoffDelay(round, o.backoff, o.random), options.signal);
        const still: number[] = [];
        for (const i of pending) {
          const op = ops[i]!;
          const lookup = op.method === 'POST' ? defaultLookup(op) : undefined;
          if (op.method === 'POST' && lookup) {
            const endpoint = '/' + op.path.split('/')[1];
            const found = await transport.send<ScimListResponse<{ id: string; meta?: { version?: string; location?: string } }>>({
              method: 'GET',
              path: endpoint,
              query: { filter: formatScimFilter(lookup), startIndex: 1, count: 2 },
              operation: 'look up after unknown outcome of bulk create',
              object: describeOp(op),
              retry: 'idempotent',
              ...(options.signal ? { signal: options.signal } : {}),
            });
            const hit = found.body.Resources?.[0];
            if (hit) {
              record(i, {
                status: 201,
                id: hit.id,
                ...(hit.meta?.location ? { location: hit.meta.location } : {}),
                ...(hit.meta?.version ? { version: hit.meta.version } : {}),
                recovered: true,
              });
              continue;
            }
          }
          still.push(i);
        }
        unknownBefore = new Set(still);
        pending = still;
        continue;
      }

      // Match response operations to requests: by position, else by bulkId, else by location.
      const unmatched = new Set(pending);
      const matchOf = (r: WireResult, k: number): number | undefined => {
        const byPos = pending[k];
        if (byPos !== undefined && unmatched.has(byPos)) {
          const op = ops[byPos]!;
          if ((!r.method || r.method.toUpperCase() === op.method) && (!r.bulkId || r.bulkId === op.bulkId)) return byPos;
        }
        if (r.bulkId) for (const i of unmatched) if (ops[i]!.bulkId === r.bulkId) return i;
        if (r.location) for (const i of unmatched) if (r.location.endsWith(substitutePath(ops[i]!.path, resolved))) return i;
        return undefined;
      };
      const retry: number[] = [];
      wireResults.forEach((r, k) => {
        const i = matchOf(r, k);
        if (i === undefined) return;
        unmatched.delete(i);
        const op = ops[i]!;
        const status = statusOf(r);
        const id = idFrom(r.location, r.response);
        if ((status >= 200 && status < 300) || (status === 404 && op.method === 'DELETE' && unknownBefore.has(i))) {
          record(i, {
            status,
            ...(id !== undefined && op.method !== 'DELETE' ? { id } : {}),
            ...(r.location ? { location: r.location } : {}),
            ...(r.version ? { version: r.version } : {}),
            ...(r.response !== undefined ? { response: r.response } : {}),
          });
          return;
        }
        if ((status === 429 || status === 423 || status === 503) && round <= limits.maxRetries) {
          retry.push(i);
          return;
        }
        const detail = r.response && typeof r.response === 'object' ? (r.response as Record<string, unknown>) : {};
        const error = createScimError({
          operation: `bulk ${op.method}`,
          object: describeOp(op),
          method: op.method,
          path: op.path,
          status,
          ...(typeof detail['scimType'] === 'string' ? { scimType: detail['scimType'] } : {}),
          ...(typeof detail['detail'] === 'string' ? { detail: detail['detail'] } : {}),
          attempts: round,
        });
        record(i, { status, error, ...(r.response !== undefined ? { response: r.response } : {}) });
      });
      // Operations the server did not answer were not processed (failOnErrors reached).
      for (const i of unmatched) {
        if (budget !== undefined && errors >= budget) continue;
        if (round <= limits.maxRetries) {
          retry.push(i);
          continue;
        }
        const op = ops[i]!;
        record(i, {
          status: 0,
          error: createScimError(
            {
              operation: `bulk ${op.method}`,
              object: describeOp(op),
              method: op.method,
              path: op.path,
              detail: 'the server never reported a result for this operation',
              attempts: round,
            },
            'protocol',
          ),
        });
      }
      if (retry.length > 0 && budget !== undefined && errors >= budget) break;
      if (retry.length > 0) {
        const o = transport.options;
        await o.clock.sleep(backoffDelay(round, o.backoff, o.random), options.signal);
      }
      unknownBefore = new Set();
      pending = retry.sort((a, b) => a - b);
    }
  }

  // Array.from, not map: map skips the holes left by operations never attempted.
  return Array.from(
    { length: ops.length },
    (_, i) =>
      results[i] ?? {
        index: i,
        method: ops[i]!.method,
        path: ops[i]!.path,
        ...(ops[i]!.bulkId ? { bulkId: ops[i]!.bulkId } : {}),
        status: 0,
        error: createScimError(
          {
            operation: `bulk ${ops[i]!.method}`,
            object: describeOp(ops[i]!),
            method: ops[i]!.method,
            path: ops[i]!.path,
            detail: `not attempted: failOnErrors (${budget}) reached`,
          },
          'notAttempted',
        ),
      },
  );
}
