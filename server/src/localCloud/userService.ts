/**
 * Users of the local cloud: create/replace/patch, uniqueness (userName case-insensitively,
 * externalId exactly: 409 `uniqueness`), ETags, admin roles, and Webex's soft delete.
 *
 * Soft delete (seed: "Deleted users are kept in the cloud identity service for 7 days"):
 * `DELETE /Users/{id}` marks the user deleted — `active: false`, Webex extension `accountStatus`
 * `["marked_deleted"]` (scim dialect: gains `"deleted"`), group memberships are dropped — and keeps
 * it for `softDeleteMs`. A soft-deleted user answers 404 to every SCIM operation by id (RFC 7644
 * §3.6), is left out of lists unless the request says `includeDeleted=true` or (scim dialect) its
 * filter mentions `accountStatus`,
 * still holds its userName and externalId, and comes back (same id, new attributes) when a POST
 * creates a user with its userName or externalId. Purged after the retention; hard-deleted at
 * once through the admin API.
 */
import { randomUUID } from 'node:crypto';
import { SCHEMA } from '../cloud/schemas';
import { DEFAULT_CASE_EXACT } from '../cloud/scimFilter/index';
import { isoNow, metaOf, scimBase, uniqueViolation, withMeta, type CloudContext, type RowMeta } from './context';
import { badRequest, conflict, notFound, preconditionFailed } from './errors';
import { Lister, type ListQuery, type ListResult } from './listing';
import { applyPatch } from './patch';
import { canonicalize, checkSchemas, ifMatchSatisfied, isMultiValued, normalizePrimary, syncSchemas, type Json } from './resource';
import { checkWebexUser, WEBEX_SOFT_DELETED, type CloudDialect } from './webexDialect';

export interface UserRow extends RowMeta {
  readonly seq: number;
  readonly deletedAt: number | null;
  readonly doc: Json;
}

interface RawRow {
  seq: number;
  id: string;
  version: number;
  created: string;
  modified: string;
  deleted_at: number | null;
  doc: string;
}

const READ_ONLY = new Set(['id', 'meta', 'groups']);
const DELETED = 'deleted';

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Normalizes a client's user representation (`write`: a POST/PUT body; `patch`: a PATCH result),
 * checked as Webex would in the webex dialect (webexDialect.ts).
 */
export function normalizeUser(input: unknown, dialect: CloudDialect = 'scim', mode: 'write' | 'patch' = 'write'): Json {
  if (!isObject(input)) throw badRequest('invalidSyntax', 'a user must be a JSON object');
  const doc = canonicalize(input) as Json;
  doc['schemas'] = checkSchemas(doc, SCHEMA.user);
  delete doc['id'];
  delete doc['meta'];
  delete doc['password'];
  delete doc['groups'];
  const userName = doc['userName'];
  if (typeof userName !== 'string' || userName.trim() === '') throw badRequest('invalidValue', "'userName' is required");
  if (doc['externalId'] !== undefined && doc['externalId'] !== null && typeof doc['externalId'] !== 'string') {
    throw badRequest('invalidValue', "'externalId' must be a string");
  }
  if (doc['externalId'] === '' || doc['externalId'] === null) delete doc['externalId'];
  if (doc['active'] === undefined) doc['active'] = true;
  if (typeof doc['active'] !== 'boolean') throw badRequest('invalidValue', "'active' must be true or false");
  if (doc['displayName'] !== undefined && typeof doc['displayName'] !== 'string')
    throw badRequest('invalidValue', "'displayName' must be a string");
  for (const [k, v] of Object.entries(doc)) {
    if (isMultiValued(k) && k !== 'schemas') {
      if (!Array.isArray(v)) throw badRequest('invalidValue', `'${k}' is multi-valued: send an array`);
      normalizePrimary(v);
    }
  }
  // Webex roles are objects `{ value, type: "cirole" }`; accept bare strings too.
  if (Array.isArray(doc['roles'])) {
    doc['roles'] = (doc['roles'] as unknown[]).map((r) => (typeof r === 'string' ? { value: r, type: 'cirole' } : r));
  }
  // The soft-deleted state is the server's to set.
  const ext = doc[SCHEMA.webexUser];
  if (isObject(ext) && Array.isArray(ext['accountStatus'])) {
    ext['accountStatus'] = (ext['accountStatus'] as unknown[]).filter((s) => s !== DELETED && s !== WEBEX_SOFT_DELETED);
  }
  if (dialect === 'webex') checkWebexUser(doc, mode);
  syncSchemas(doc, SCHEMA.user);
  return doc;
}

export class UserService {
  readonly lister: Lister;
  private readonly s;

  constructor(private readonly ctx: CloudContext) {
    const db = ctx.db;
    const cols = 'seq, id, version, created, modified, deleted_at, doc';
    this.s = {
      byId: db.prepare<[string], RawRow>(`SELECT ${cols} FROM users WHERE id = ?`),
      bySeq: db.prepare<[number], RawRow>(`SELECT ${cols} FROM users WHERE seq = ?`),
      byUserName: db.prepare<[string], RawRow>(`SELECT ${cols} FROM users WHERE user_name_lc = ?`),
      byExternalId: db.prepare<[string], RawRow>(`SELECT ${cols} FROM users WHERE external_id = ?`),
      insert: db.prepare(
        'INSERT INTO users (id, user_name_lc, external_id, display_name, version, created, modified, deleted_at, doc) VALUES (?, ?, ?, ?, 1, ?, ?, NULL, ?)',
      ),
      update: db.prepare(
        'UPDATE users SET user_name_lc = ?, external_id = ?, display_name = ?, version = ?, modified = ?, deleted_at = ?, doc = ? WHERE seq = ?',
      ),
      delete: db.prepare<[number]>('DELETE FROM users WHERE seq = ?'),
      dropMemberships: db.prepare<[string]>('DELETE FROM members WHERE member_id = ?'),
      groupsOf: db.prepare<[string], { id: string; display_name: string }>(
        'SELECT g.id, g.display_name FROM members m JOIN groups g ON g.seq = m.group_seq WHERE m.member_id = ? ORDER BY m.seq',
      ),
      groupSeqsOf: db.prepare<[string], number>('SELECT group_seq FROM members WHERE member_id = ?').pluck(),
      bumpGroup: db.prepare<[string, number]>('UPDATE groups SET version = version + 1, modified = ? WHERE seq = ?'),
      expired: db.prepare<[number], RawRow>(`SELECT ${cols} FROM users WHERE deleted_at IS NOT NULL AND deleted_at <= ?`),
      softDeleted: db.prepare<[], RawRow>(`SELECT ${cols} FROM users WHERE deleted_at IS NOT NULL ORDER BY deleted_at`),
      metaOf: db.prepare<[number], { created: string; modified: string; version: number; id: string }>(
        'SELECT id, created, modified, version FROM users WHERE seq = ?',
      ),
      deleteAvatar: db.prepare<[string]>('DELETE FROM avatars WHERE user_id = ?'),
      count: db.prepare<[], { active: number; deleted: number }>(
        'SELECT COUNT(*) FILTER (WHERE deleted_at IS NULL) AS active, COUNT(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted FROM users',
      ),
    };
    this.lister = new Lister(
      db,
      {
        table: 'users',
        indexed: {
          username: { column: 'user_name_lc', lower: true },
          externalid: { column: 'external_id', lower: false },
          id: { column: 'id', lower: false },
        },
        sortColumns: {
          username: 'user_name_lc',
          externalid: 'external_id',
          id: 'id',
          'meta.created': 'created',
          'meta.lastmodified': 'modified',
        },
        softDelete: true,
        caseExact: DEFAULT_CASE_EXACT,
      },
      () => ctx.generation.users,
      (seq, doc, needs) => {
        if (needs.has('meta')) {
          const m = this.s.metaOf.get(seq);
          if (m) doc['meta'] = metaOf(m, 'User', this.location(m.id));
        }
        if (needs.has('groups') && typeof doc['id'] === 'string') doc['groups'] = this.groupsOf(doc['id']);
        return doc;
      },
    );
  }

  private row(raw: RawRow | undefined): UserRow | undefined {
    if (!raw) return undefined;
    return {
      seq: raw.seq,
      id: raw.id,
      version: raw.version,
      created: raw.created,
      modified: raw.modified,
      deletedAt: raw.deleted_at,
      doc: JSON.parse(raw.doc) as Json,
    };
  }

  location(id: string): string {
    return `${scimBase(this.ctx)}/Users/${encodeURIComponent(id)}`;
  }

  private groupsOf(id: string): Json[] {
    return this.s.groupsOf.all(id).map((g) => ({
      value: g.id,
      display: g.display_name,
      type: 'direct',
      $ref: `${scimBase(this.ctx)}/Groups/${encodeURIComponent(g.id)}`,
    }));
  }

  /** The user as SCIM JSON with meta (and `groups` when asked for). */
  render(row: UserRow, withGroups = false): Json {
    const out = withMeta(row.doc, row, 'User', this.location(row.id));
    if (withGroups) out['groups'] = this.groupsOf(row.id);
    return out;
  }

  /** A user by id; soft-deleted ones only with `includeDeleted` (404 otherwise, RFC 7644 §3.6). */
  get(id: string, includeDeleted = false): UserRow {
    const row = this.row(this.s.byId.get(id));
    if (!row || (row.deletedAt !== null && !includeDeleted)) throw notFound(`no user with id ${id}`);
    return row;
  }

  /** An active user's id exists (for group member checks). */
  exists(id: string): boolean {
    const raw = this.s.byId.get(id);
    return raw !== undefined && raw.deleted_at === null;
  }

  private conflictDetail(column: string, doc: Json, selfSeq?: number): string {
    if (column.endsWith('external_id')) {
      const other = this.row(this.s.byExternalId.get(String(doc['externalId'])));
      if (other && other.seq !== selfSeq) {
        return `externalId ${JSON.stringify(doc['externalId'])} already belongs to user ${JSON.stringify(other.doc['userName'])} (id ${other.id}${other.deletedAt !== null ? ', soft-deleted' : ''})`;
      }
    }
    const other = this.row(this.s.byUserName.get(String(doc['userName']).toLowerCase()));
    return (
      `userName ${JSON.stringify(doc['userName'])} is already taken` +
      (other ? ` by user id ${other.id}${other.deletedAt !== null ? ' (soft-deleted)' : ''}` : '')
    );
  }

  /** Writes a new version of a row; maps UNIQUE violations to 409 uniqueness. */
  private store(row: UserRow, doc: Json, deletedAt: number | null): UserRow {
    const modified = isoNow(this.ctx);
    const version = row.version + 1;
    doc['id'] = row.id;
    const ext = typeof doc['externalId'] === 'string' ? doc['externalId'] : null;
    try {
      this.s.update.run(
        String(doc['userName']).toLowerCase(),
        ext,
        typeof doc['displayName'] === 'string' ? doc['displayName'] : null,
        version,
        modified,
        deletedAt,
        JSON.stringify(doc),
        row.seq,
      );
    } catch (err) {
      const col = uniqueViolation(err);
      if (col) throw conflict(this.conflictDetail(col, doc, row.seq));
      throw err;
    }
    this.ctx.generation.users++;
    // Our avatar URL gone from photos (PUT/PATCH replaced them): drop the stored image too.
    const photos = JSON.stringify(doc['photos'] ?? []);
    if (!photos.includes(`/avatars/`)) this.s.deleteAvatar.run(row.id);
    return { ...row, version, modified, deletedAt, doc };
  }

  /** POST /Users. A soft-deleted user with the same userName/externalId is brought back. */
  create(input: unknown): UserRow {
    const doc = normalizeUser(input, this.ctx.dialect);
    const id = randomUUID();
    doc['id'] = id;
    const now = isoNow(this.ctx);
    const ext = typeof doc['externalId'] === 'string' ? doc['externalId'] : null;
    try {
      const info = this.s.insert.run(
        id,
        String(doc['userName']).toLowerCase(),
        ext,
        typeof doc['displayName'] === 'string' ? doc['displayName'] : null,
        now,
        now,
        JSON.stringify(doc),
      );
      this.ctx.generation.users++;
      return { seq: Number(info.lastInsertRowid), id, version: 1, created: now, modified: now, deletedAt: null, doc };
    } catch (err) {
      const col = uniqueViolation(err);
      if (!col) throw err;
      const byName = this.row(this.s.byUserName.get(String(doc['userName']).toLowerCase()));
      const byExt = ext === null ? undefined : this.row(this.s.byExternalId.get(ext));
      const holder = byName ?? byExt;
      if (holder && holder.deletedAt !== null && (!byName || !byExt || byName.seq === byExt.seq)) {
        return this.store(holder, doc, null);
      }
      throw conflict(this.conflictDetail(col, doc));
    }
  }

  /** PUT /Users/{id}. */
  replace(id: string, input: unknown, ifMatch?: string): UserRow {
    const row = this.get(id);
    if (!ifMatchSatisfied(ifMatch, row.version)) throw preconditionFailed(`user ${id} is at version W/"${row.version}", not ${ifMatch}`);
    const doc = normalizeUser(input, this.ctx.dialect);
    return this.store(row, doc, null);
  }

  /** PATCH /Users/{id}. A PATCH that changes nothing keeps the version (and ETag). */
  patch(id: string, body: unknown, ifMatch?: string): UserRow {
    const row = this.get(id);
    if (!ifMatchSatisfied(ifMatch, row.version)) throw preconditionFailed(`user ${id} is at version W/"${row.version}", not ${ifMatch}`);
    const rules = { readOnly: READ_ONLY, replaceNeedsTarget: this.ctx.dialect === 'webex' };
    const patched = normalizeUser(applyPatch(row.doc, body, rules), this.ctx.dialect, 'patch');
    patched['id'] = row.id;
    if (JSON.stringify(patched) === JSON.stringify(row.doc)) return row;
    return this.store(row, patched, null);
  }

  private dropMemberships(id: string): void {
    const groups = this.s.groupSeqsOf.all(id) as number[];
    if (groups.length === 0) return;
    const now = isoNow(this.ctx);
    for (const g of groups) this.s.bumpGroup.run(now, g);
    this.s.dropMemberships.run(id);
    this.ctx.generation.groups++;
  }

  /** DELETE /Users/{id}: soft delete (see the module comment). */
  softDelete(id: string, ifMatch?: string): void {
    const row = this.get(id);
    if (!ifMatchSatisfied(ifMatch, row.version)) throw preconditionFailed(`user ${id} is at version W/"${row.version}", not ${ifMatch}`);
    const doc = structuredClone(row.doc);
    doc['active'] = false;
    const ext = (doc[SCHEMA.webexUser] && typeof doc[SCHEMA.webexUser] === 'object' ? doc[SCHEMA.webexUser] : {}) as Json;
    if (this.ctx.dialect === 'webex') ext['accountStatus'] = [WEBEX_SOFT_DELETED];
    else {
      const status = Array.isArray(ext['accountStatus']) ? (ext['accountStatus'] as string[]).filter((s) => s !== 'active') : [];
      ext['accountStatus'] = [...status, DELETED];
    }
    doc[SCHEMA.webexUser] = ext;
    syncSchemas(doc, SCHEMA.user);
    this.dropMemberships(id);
    this.store(row, doc, this.ctx.now());
  }

  /** Admin: brings a soft-deleted user back (active again, `deleted` status removed). */
  restore(id: string): UserRow {
    const row = this.get(id, true);
    if (row.deletedAt === null) return row;
    const doc = structuredClone(row.doc);
    doc['active'] = true;
    const ext = doc[SCHEMA.webexUser] as Json | undefined;
    if (ext && Array.isArray(ext['accountStatus'])) {
      const left = (ext['accountStatus'] as string[]).filter((s) => s !== DELETED && s !== WEBEX_SOFT_DELETED);
      ext['accountStatus'] = left.length === 0 && this.ctx.dialect === 'webex' ? ['active'] : left;
    }
    return this.store(row, doc, null);
  }

  /** Admin: removes a user for good (soft-deleted or not), with its memberships and avatar. */
  hardDelete(id: string): boolean {
    const raw = this.s.byId.get(id);
    if (!raw) return false;
    this.dropMemberships(id);
    this.s.deleteAvatar.run(id);
    this.s.delete.run(raw.seq);
    this.ctx.generation.users++;
    return true;
  }

  /** Admin: sets the Webex admin roles (`id_full_admin`, …) of a user. */
  setRoles(id: string, roles: readonly string[]): UserRow {
    const row = this.get(id, true);
    const doc = structuredClone(row.doc);
    if (roles.length > 0) doc['roles'] = roles.map((value) => ({ value, type: 'cirole' }));
    else delete doc['roles'];
    return this.store(row, doc, row.deletedAt);
  }

  /** Purges users soft-deleted at or before `now − softDeleteMs`; returns how many. */
  purgeExpired(now = this.ctx.now()): number {
    const expired = this.s.expired.all(now - this.ctx.softDeleteMs);
    for (const r of expired) this.hardDelete(r.id);
    return expired.length;
  }

  /** Admin: every soft-deleted user with when it was deleted and when it will be purged. */
  softDeletedUsers(): Array<{ id: string; userName: string; externalId?: string; deletedAt: string; purgeAt: string }> {
    return this.s.softDeleted.all().map((r) => {
      const doc = JSON.parse(r.doc) as Json;
      return {
        id: r.id,
        userName: String(doc['userName']),
        ...(typeof doc['externalId'] === 'string' ? { externalId: doc['externalId'] } : {}),
        deletedAt: new Date(r.deleted_at!).toISOString(),
        purgeAt: new Date(r.deleted_at! + this.ctx.softDeleteMs).toISOString(),
      };
    });
  }

  list(q: ListQuery): ListResult {
    return this.lister.list(q);
  }

  counts(): { active: number; softDeleted: number } {
    const c = this.s.count.get()!;
    return { active: c.active, softDeleted: c.deleted };
  }

  rowBySeq(seq: number): UserRow | undefined {
    return this.row(this.s.bySeq.get(seq));
  }

  /** Writes a new doc for a user (avatars use it to set photos). */
  update(row: UserRow, doc: Json): UserRow {
    return this.store(row, doc, row.deletedAt);
  }
}

export { isObject };
