/**
 * `POST /Bulk` (RFC 7644 §3.7). At most `maxOperations` operations (413 `tooMany` beyond);
 * each runs in its own savepoint inside one transaction (an operation fails alone, and the batch
 * costs one commit). `bulkId:x` in a path segment or as a whole string value refers to the
 * object created by the POST with bulkId `x` — operations whose references are not resolved yet
 * wait for a later pass, and what stays unresolved (unknown or circular) fails with 409.
 * `failOnErrors: n` stops after n errors; the response lists the operations processed.
 */
import { SCHEMA } from '../cloud/schemas';
import type { Db } from './db';
import { badRequest, ScimHttpError } from './errors';
import { etagOf, type Json } from './resource';
import type { GroupService } from './groupService';
import type { UserService } from './userService';

interface BulkOp {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly bulkId?: string;
  readonly version?: string;
  readonly data?: unknown;
}

interface BulkResultOp {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: Json;
}

const REF = /^bulkId:(.+)$/;

function refsOf(op: BulkOp): string[] {
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

function resolve(v: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') {
    const m = REF.exec(v);
    return m && ids.has(m[1]!) ? ids.get(m[1]!) : v;
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, ids)]));
  return v;
}

export interface BulkServices {
  readonly db: Db;
  readonly users: UserService;
  readonly groups: GroupService;
  readonly maxOperations: number;
}

function readOps(body: unknown, max: number): { ops: BulkOp[]; failOnErrors?: number } {
  if (!body || typeof body !== 'object') throw badRequest('invalidSyntax', 'the Bulk body must be a BulkRequest object');
  const b = body as Record<string, unknown>;
  const schemas = b['schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCHEMA.bulkRequest.toLowerCase())) {
    throw badRequest('invalidSyntax', `'schemas' must include ${SCHEMA.bulkRequest}`);
  }
  const raw = b['Operations'] ?? b['operations'];
  if (!Array.isArray(raw)) throw badRequest('invalidSyntax', "'Operations' must be an array");
  if (raw.length > max)
    throw new ScimHttpError(413, 'tooMany', `a Bulk request takes at most ${max} operations; this one has ${raw.length}`);
  const ops = raw.map((o, index): BulkOp => {
    if (!o || typeof o !== 'object') throw badRequest('invalidSyntax', `Operations[${index}] must be an object`);
    const r = o as Record<string, unknown>;
    const op: { -readonly [K in keyof BulkOp]: BulkOp[K] } = {
      index,
      method: typeof r['method'] === 'string' ? r['method'].toUpperCase() : '',
      path: typeof r['path'] === 'string' ? r['path'] : '',
    };
    if (typeof r['bulkId'] === 'string') op.bulkId = r['bulkId'];
    if (typeof r['version'] === 'string') op.version = r['version'];
    if ('data' in r) op.data = r['data'];
    return op;
  });
  const f = b['failOnErrors'];
  if (f !== undefined && !(Number.isInteger(f) && (f as number) > 0))
    throw badRequest('invalidValue', "'failOnErrors' must be a positive integer");
  return f === undefined ? { ops } : { ops, failOnErrors: f as number };
}

function errorResult(op: BulkOp, err: ScimHttpError): BulkResultOp {
  const r: BulkResultOp = { method: op.method, status: String(err.status), response: err.body() };
  if (op.bulkId) r.bulkId = op.bulkId;
  return r;
}

/** Runs a BulkRequest and returns the BulkResponse body. */
export function runBulk(s: BulkServices, body: unknown): Json {
  const { ops, failOnErrors } = readOps(body, s.maxOperations);
  const ids = new Map<string, string>();
  const defined = new Set(ops.filter((o) => o.method === 'POST' && o.bulkId).map((o) => o.bulkId!));
  // Results in request order (operations may run out of order to resolve references).
  const results: Array<BulkResultOp | undefined> = new Array(ops.length);
  let errors = 0;
  const fail = (op: BulkOp, err: ScimHttpError): void => {
    errors++;
    results[op.index] = errorResult(op, err);
    if (op.method === 'POST' && op.bulkId) defined.delete(op.bulkId);
  };

  const runOne = s.db.transaction((op: BulkOp): BulkResultOp => {
    const path = op.path
      .split('/')
      .map((seg) => {
        const m = REF.exec(seg);
        return m ? encodeURIComponent(ids.get(m[1]!)!) : seg;
      })
      .join('/');
    const data = resolve(op.data, ids);
    const m = /^\/?(Users|Groups)(?:\/([^/]+))?$/i.exec(path);
    if (!m)
      throw badRequest('invalidPath', `bulk path must be /Users, /Users/{id}, /Groups or /Groups/{id}, not ${JSON.stringify(op.path)}`);
    const isUsers = m[1]!.toLowerCase() === 'users';
    const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    const svc = isUsers ? s.users : s.groups;
    const result = (row: { id: string; version: number }, status: number): BulkResultOp => {
      const r: BulkResultOp = { method: op.method, status: String(status), location: svc.location(row.id), version: etagOf(row.version) };
      if (op.bulkId) r.bulkId = op.bulkId;
      return r;
    };
    if (op.method === 'POST') {
      if (id !== undefined) throw badRequest('invalidPath', 'POST goes to /Users or /Groups');
      if (!op.bulkId) throw badRequest('invalidValue', 'a bulk POST needs a bulkId (RFC 7644 §3.7)');
      const row = isUsers ? s.users.create(data) : s.groups.create(data);
      ids.set(op.bulkId, row.id);
      return result(row, 201);
    }
    if (id === undefined) throw badRequest('invalidPath', `${op.method} needs a resource id in the path`);
    switch (op.method) {
      case 'PUT':
        return result(isUsers ? s.users.replace(id, data, op.version) : s.groups.replace(id, data, op.version), 200);
      case 'PATCH':
        return result(isUsers ? s.users.patch(id, data, op.version) : s.groups.patch(id, data, op.version), 200);
      case 'DELETE': {
        if (isUsers) s.users.softDelete(id, op.version);
        else s.groups.delete(id, op.version);
        const r: BulkResultOp = { method: op.method, status: '204', location: svc.location(id) };
        if (op.bulkId) r.bulkId = op.bulkId;
        return r;
      }
      default:
        throw badRequest('invalidValue', `bulk method must be POST, PUT, PATCH or DELETE, not ${JSON.stringify(op.method)}`);
    }
  });

  const runAll = s.db.transaction(() => {
    let pending = ops;
    while (pending.length > 0) {
      const waiting: BulkOp[] = [];
      for (const op of pending) {
        if (failOnErrors !== undefined && errors >= failOnErrors) return;
        const refs = refsOf(op);
        if (refs.some((r) => !ids.has(r) && defined.has(r) && r !== op.bulkId)) {
          waiting.push(op);
          continue;
        }
        const unknown = refs.find((r) => !ids.has(r));
        if (unknown !== undefined) {
          fail(op, new ScimHttpError(409, 'invalidValue', `bulkId:${unknown} refers to no operation that succeeded in this request`));
          continue;
        }
        try {
          results[op.index] = runOne(op);
        } catch (err) {
          if (!(err instanceof ScimHttpError)) throw err;
          fail(op, err);
        }
      }
      if (waiting.length === pending.length) {
        // No progress: the rest refer to each other in a circle (RFC 7644 §3.7.1: 409).
        for (const op of waiting) {
          if (failOnErrors !== undefined && errors >= failOnErrors) return;
          fail(op, new ScimHttpError(409, 'invalidValue', `circular bulkId reference (${refsOf(op).join(', ')})`));
        }
        return;
      }
      pending = waiting;
    }
  });
  runAll();
  return { schemas: [SCHEMA.bulkResponse], Operations: results.filter((r) => r !== undefined) };
}
