/** What the local cloud's services share: the database, the clock, change counters, URLs. */
import type { Db } from './db';
import type { CloudDialect } from './webexDialect';
import { etagOf, type Json } from './resource';

export interface CloudContext {
  readonly db: Db;
  readonly orgId: string;
  /** `webex` (checks and answers as Webex's published API, webexDialect.ts) or `scim` (plain RFC 7643/7644). */
  readonly dialect: CloudDialect;
  /** Milliseconds since the epoch (injectable for soft-delete expiry tests). */
  readonly now: () => number;
  /** How long a deleted user stays soft-deleted before it is purged, ms (Webex: 7 days). */
  readonly softDeleteMs: number;
  /** Bumped on every write to the table; list caches compare against it. */
  readonly generation: { users: number; groups: number };
  /** `http://127.0.0.1:<port>` once listening. */
  origin: string;
}

/** The SCIM base URL: `<origin>/identity/scim/<orgId>/v2`. */
export function scimBase(ctx: CloudContext): string {
  return `${ctx.origin}/identity/scim/${encodeURIComponent(ctx.orgId)}/v2`;
}

export function isoNow(ctx: CloudContext): string {
  return new Date(ctx.now()).toISOString();
}

/** Row columns every resource has. */
export interface RowMeta {
  readonly id: string;
  readonly version: number;
  readonly created: string;
  readonly modified: string;
}

/** `{ schemas, id, …doc, meta }` with meta built from the row (stored docs carry no meta). */
export function withMeta(doc: Json, row: RowMeta, resourceType: 'User' | 'Group', location: string): Json {
  const { schemas, id: _id, meta: _meta, ...rest } = doc;
  void _id;
  void _meta;
  return {
    schemas,
    id: row.id,
    ...rest,
    meta: metaOf(row, resourceType, location),
  };
}

/** A resource's `meta` (RFC 7643 §3.1), everything Webex's documents require of it. */
export function metaOf(row: RowMeta, resourceType: 'User' | 'Group', location: string): Json {
  return { resourceType, created: row.created, lastModified: row.modified, version: etagOf(row.version), location };
}

/** The column a better-sqlite3 UNIQUE violation names (`users.user_name_lc`), or undefined. */
export function uniqueViolation(err: unknown): string | undefined {
  if (!err || typeof err !== 'object' || (err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
  const m = /UNIQUE constraint failed: ([\w.]+)/.exec(String((err as Error).message));
  return m?.[1] ?? 'unknown';
}
