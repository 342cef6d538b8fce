/**
 * Groups of the local cloud. Members are rows, so the common sync PATCHes — `add` to `members`,
 * `remove` of `members[value eq "…"]` — touch only the rows they name, whatever the group's size;
 * other PATCHes load the member list, apply the generic PATCH and write the difference.
 * A member must be an active user or another group of the org (400 `invalidValue` otherwise).
 */
import { randomUUID } from 'node:crypto';
import { SCHEMA } from '../cloud/schemas';
import { DEFAULT_CASE_EXACT, parseScimPatchPath, type ScimFilter } from '../cloud/scimFilter/index';
import { isoNow, metaOf, scimBase, uniqueViolation, withMeta, type CloudContext, type RowMeta } from './context';
import { badRequest, conflict, notFound, preconditionFailed } from './errors';
import { Lister, type ListQuery, type ListResult } from './listing';
import { applyPatch, readPatchRequest } from './patch';
import { canonicalize, checkSchemas, ifMatchSatisfied, syncSchemas, type Json } from './resource';
import type { UserService } from './userService';

export interface GroupRow extends RowMeta {
  readonly seq: number;
  readonly doc: Json;
}

interface RawRow {
  seq: number;
  id: string;
  version: number;
  created: string;
  modified: string;
  doc: string;
}

export interface MemberRef {
  readonly value: string;
  readonly type: string;
  readonly display?: string;
}

const READ_ONLY = new Set(['id', 'meta']);

/** Members (`m`: member_id, member_type, seq) with the display name of the user or group they point at. */
const MEMBER_COLUMNS = `SELECT m.member_id AS value, m.member_type AS type, COALESCE(u.display_name, g.display_name) AS display`;
const MEMBER_JOINS = `LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
  LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id`;

/**
 * A page of a group's members (group seq, count, offset). The page's rows are chosen first, along
 * the index `members_group_order`, and only they are joined: paging a 10k-member group 500 at a
 * time was 1.6 s of sorting and joining the whole group for every page.
 */
export const MEMBER_PAGE_SQL = `${MEMBER_COLUMNS}
  FROM (SELECT seq, member_id, member_type FROM members WHERE group_seq = ? ORDER BY seq LIMIT ? OFFSET ?) m
  ${MEMBER_JOINS} ORDER BY m.seq`;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Normalizes a group body; `members` (when present) is returned apart from the stored doc. */
export function normalizeGroup(input: unknown): { doc: Json; members?: string[] } {
  if (!isObject(input)) throw badRequest('invalidSyntax', 'a group must be a JSON object');
  const doc = canonicalize(input) as Json;
  doc['schemas'] = checkSchemas(doc, SCHEMA.group);
  delete doc['id'];
  delete doc['meta'];
  const name = doc['displayName'];
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('invalidValue', "'displayName' is required");
  if (doc['externalId'] === '' || doc['externalId'] === null) delete doc['externalId'];
  if (doc['externalId'] !== undefined && typeof doc['externalId'] !== 'string')
    throw badRequest('invalidValue', "'externalId' must be a string");
  let members: string[] | undefined;
  if (doc['members'] !== undefined) {
    if (!Array.isArray(doc['members'])) throw badRequest('invalidValue', "'members' must be an array");
    members = [];
    for (const m of doc['members'] as unknown[]) {
      const value = isObject(m) ? m['value'] : undefined;
      if (typeof value !== 'string' || value === '') throw badRequest('invalidValue', "every member needs a 'value' (the member's id)");
      members.push(value);
    }
    members = [...new Set(members)];
  }
  delete doc['members'];
  syncSchemas(doc, SCHEMA.group);
  return members ? { doc, members } : { doc };
}

/** `value eq "a"` or `value eq "a" or value eq "b"` → the ids; undefined for other filters. */
function memberIdsOf(f: ScimFilter): string[] | undefined {
  if (f.kind === 'compare' && f.op === 'eq' && f.path.name.toLowerCase() === 'value' && !f.path.sub && typeof f.value === 'string')
    return [f.value];
  if (f.kind === 'or') {
    const l = memberIdsOf(f.left);
    const r = memberIdsOf(f.right);
    return l && r ? [...l, ...r] : undefined;
  }
  return undefined;
}

type FastOp = { kind: 'add'; ids: string[] } | { kind: 'remove'; ids: string[] } | { kind: 'removeAll' };

/** The PATCH as plain member additions/removals, or undefined when it needs the generic path. */
function fastMemberOps(body: unknown): FastOp[] | undefined {
  const ops = readPatchRequest(body);
  const out: FastOp[] = [];
  for (const o of ops) {
    if (!o.path) return undefined;
    let p: ReturnType<typeof parseScimPatchPath>;
    try {
      p = parseScimPatchPath(o.path);
    } catch {
      return undefined;
    }
    if (p.attr.name.toLowerCase() !== 'members' || p.attr.uri || p.attr.sub || p.sub) return undefined;
    const values = (v: unknown): string[] | undefined => {
      const arr = Array.isArray(v) ? v : [v];
      const ids = arr.map((x) => (isObject(x) ? x['value'] : undefined));
      return ids.every((x): x is string => typeof x === 'string' && x !== '') ? ids : undefined;
    };
    if (o.op === 'add' && !p.filter) {
      const ids = values(o.value);
      if (!ids) return undefined;
      out.push({ kind: 'add', ids });
    } else if (o.op === 'remove' && p.filter) {
      const ids = memberIdsOf(p.filter);
      if (!ids) return undefined;
      out.push({ kind: 'remove', ids });
    } else if (o.op === 'remove' && o.value !== undefined) {
      const ids = values(o.value);
      if (!ids) return undefined;
      out.push({ kind: 'remove', ids });
    } else if (o.op === 'remove') {
      out.push({ kind: 'removeAll' });
    } else {
      return undefined;
    }
  }
  return out;
}

export class GroupService {
  readonly lister: Lister;
  private readonly s;

  constructor(
    private readonly ctx: CloudContext,
    private readonly users: UserService,
  ) {
    const db = ctx.db;
    const cols = 'seq, id, version, created, modified, doc';
    this.s = {
      byId: db.prepare<[string], RawRow>(`SELECT ${cols} FROM groups WHERE id = ?`),
      bySeq: db.prepare<[number], RawRow>(`SELECT ${cols} FROM groups WHERE seq = ?`),
      insert: db.prepare(
        'INSERT INTO groups (id, display_name_lc, external_id, display_name, version, created, modified, doc) VALUES (?, ?, ?, ?, 1, ?, ?, ?)',
      ),
      update: db.prepare(
        'UPDATE groups SET display_name_lc = ?, external_id = ?, display_name = ?, version = ?, modified = ?, doc = ? WHERE seq = ?',
      ),
      delete: db.prepare<[number]>('DELETE FROM groups WHERE seq = ?'),
      members: db.prepare<[number], { value: string; type: string; display: string | null }>(
        `${MEMBER_COLUMNS} FROM members m ${MEMBER_JOINS} WHERE m.group_seq = ? ORDER BY m.seq`,
      ),
      memberPage: db.prepare<[number, number, number], { value: string; type: string; display: string | null }>(MEMBER_PAGE_SQL),
      memberIds: db.prepare<[number], string>('SELECT member_id FROM members WHERE group_seq = ? ORDER BY seq').pluck(),
      memberCount: db.prepare<[number], number>('SELECT COUNT(*) FROM members WHERE group_seq = ?').pluck(),
      addMember: db.prepare<[number, string, string]>('INSERT OR IGNORE INTO members (group_seq, member_id, member_type) VALUES (?, ?, ?)'),
      removeMember: db.prepare<[number, string]>('DELETE FROM members WHERE group_seq = ? AND member_id = ?'),
      removeAll: db.prepare<[number]>('DELETE FROM members WHERE group_seq = ?'),
      removeEverywhere: db.prepare<[string]>('DELETE FROM members WHERE member_id = ?'),
      parentsOf: db.prepare<[string], number>('SELECT group_seq FROM members WHERE member_id = ?').pluck(),
      bump: db.prepare<[string, number]>('UPDATE groups SET version = version + 1, modified = ? WHERE seq = ?'),
      metaOf: db.prepare<[number], { id: string; created: string; modified: string; version: number }>(
        'SELECT id, created, modified, version FROM groups WHERE seq = ?',
      ),
      count: db.prepare<[], number>('SELECT COUNT(*) FROM groups').pluck(),
      memberships: db.prepare<[], number>('SELECT COUNT(*) FROM members').pluck(),
    };
    this.lister = new Lister(
      db,
      {
        table: 'groups',
        indexed: {
          displayname: { column: 'display_name_lc', lower: true },
          externalid: { column: 'external_id', lower: false },
          id: { column: 'id', lower: false },
        },
        sortColumns: {
          displayname: 'display_name_lc',
          externalid: 'external_id',
          id: 'id',
          'meta.created': 'created',
          'meta.lastmodified': 'modified',
        },
        softDelete: false,
        caseExact: DEFAULT_CASE_EXACT,
      },
      () => ctx.generation.groups,
      (seq, doc, needs) => {
        if (needs.has('members')) doc['members'] = this.s.members.all(seq).map((m) => ({ value: m.value, type: m.type }));
        if (needs.has('meta')) {
          const m = this.s.metaOf.get(seq);
          if (m) doc['meta'] = metaOf(m, 'Group', this.location(m.id));
        }
        return doc;
      },
    );
  }

  private row(raw: RawRow | undefined): GroupRow | undefined {
    return (
      raw && {
        seq: raw.seq,
        id: raw.id,
        version: raw.version,
        created: raw.created,
        modified: raw.modified,
        doc: JSON.parse(raw.doc) as Json,
      }
    );
  }

  location(id: string): string {
    return `${scimBase(this.ctx)}/Groups/${encodeURIComponent(id)}`;
  }

  private memberJson(m: { value: string; type: string; display: string | null }): Json {
    const ref = `${scimBase(this.ctx)}/${m.type === 'Group' ? 'Groups' : 'Users'}/${encodeURIComponent(m.value)}`;
    return m.display === null
      ? { value: m.value, type: m.type, $ref: ref }
      : { value: m.value, type: m.type, display: m.display, $ref: ref };
  }

  /** The group as SCIM JSON with meta, and its members unless `withMembers` is false. */
  render(row: GroupRow, withMembers = true): Json {
    const out = withMeta(row.doc, row, 'Group', this.location(row.id));
    if (withMembers) out['members'] = this.s.members.all(row.seq).map((m) => this.memberJson(m));
    return out;
  }

  get(id: string): GroupRow {
    const row = this.row(this.s.byId.get(id));
    if (!row) throw notFound(`no group with id ${id}`);
    return row;
  }

  rowBySeq(seq: number): GroupRow | undefined {
    return this.row(this.s.bySeq.get(seq));
  }

  /** A page of members (Webex's `GET /Groups/{id}/Members`). */
  memberPage(id: string, startIndex: number, count: number): { totalResults: number; members: Json[]; displayName: string } {
    const row = this.get(id);
    const members = this.s.memberPage.all(row.seq, count, Math.max(0, startIndex - 1)).map((m) => this.memberJson(m));
    return { totalResults: this.s.memberCount.get(row.seq) as number, members, displayName: String(row.doc['displayName']) };
  }

  private memberType(value: string, selfId?: string): string {
    if (this.users.exists(value)) return 'User';
    if (value !== selfId && this.s.byId.get(value)) return 'Group';
    throw badRequest('invalidValue', `member ${value} is not a user or group of this org`);
  }

  private conflictDetail(doc: Json): string {
    return `externalId ${JSON.stringify(doc['externalId'])} already belongs to another group`;
  }

  create(input: unknown): GroupRow {
    const { doc, members = [] } = normalizeGroup(input);
    const types = members.map((m) => this.memberType(m));
    const id = randomUUID();
    doc['id'] = id;
    const now = isoNow(this.ctx);
    const name = String(doc['displayName']);
    let seq: number;
    try {
      seq = Number(
        this.s.insert.run(id, name.toLowerCase(), (doc['externalId'] as string | undefined) ?? null, name, now, now, JSON.stringify(doc))
          .lastInsertRowid,
      );
    } catch (err) {
      if (uniqueViolation(err)) throw conflict(this.conflictDetail(doc));
      throw err;
    }
    members.forEach((m, i) => this.s.addMember.run(seq, m, types[i]!));
    this.ctx.generation.groups++;
    return { seq, id, version: 1, created: now, modified: now, doc };
  }

  private store(row: GroupRow, doc: Json): GroupRow {
    const modified = isoNow(this.ctx);
    const version = row.version + 1;
    doc['id'] = row.id;
    const name = String(doc['displayName']);
    try {
      this.s.update.run(
        name.toLowerCase(),
        (doc['externalId'] as string | undefined) ?? null,
        name,
        version,
        modified,
        JSON.stringify(doc),
        row.seq,
      );
    } catch (err) {
      if (uniqueViolation(err)) throw conflict(this.conflictDetail(doc));
      throw err;
    }
    this.ctx.generation.groups++;
    return { ...row, version, modified, doc };
  }

  private setMembers(row: GroupRow, next: readonly string[]): boolean {
    const current = this.s.memberIds.all(row.seq) as string[];
    const have = new Set(current);
    const want = new Set(next);
    const add = next.filter((m) => !have.has(m));
    const types = add.map((m) => this.memberType(m, row.id));
    const remove = current.filter((m) => !want.has(m));
    for (const m of remove) this.s.removeMember.run(row.seq, m);
    add.forEach((m, i) => this.s.addMember.run(row.seq, m, types[i]!));
    return add.length + remove.length > 0;
  }

  replace(id: string, input: unknown, ifMatch?: string): GroupRow {
    const row = this.get(id);
    if (!ifMatchSatisfied(ifMatch, row.version)) throw preconditionFailed(`group ${id} is at version W/"${row.version}", not ${ifMatch}`);
    const { doc, members = [] } = normalizeGroup(input);
    this.setMembers(row, members);
    return this.store(row, doc);
  }

  patch(id: string, body: unknown, ifMatch?: string): GroupRow {
    const row = this.get(id);
    if (!ifMatchSatisfied(ifMatch, row.version)) throw preconditionFailed(`group ${id} is at version W/"${row.version}", not ${ifMatch}`);
    const fast = fastMemberOps(body);
    if (fast) {
      let changed = false;
      for (const op of fast) {
        if (op.kind === 'add') {
          for (const m of op.ids) changed = this.s.addMember.run(row.seq, m, this.memberType(m, row.id)).changes > 0 || changed;
        } else if (op.kind === 'remove') {
          for (const m of op.ids) changed = this.s.removeMember.run(row.seq, m).changes > 0 || changed;
        } else {
          changed = this.s.removeAll.run(row.seq).changes > 0 || changed;
        }
      }
      if (!changed) return row;
      return this.store(row, structuredClone(row.doc));
    }
    const current = (this.s.memberIds.all(row.seq) as string[]).map((value) => ({ value }));
    const patched = applyPatch({ ...row.doc, members: current }, body, { readOnly: READ_ONLY });
    const { doc, members = [] } = normalizeGroup(patched);
    doc['id'] = row.id;
    const membersChanged = this.setMembers(row, members);
    if (!membersChanged && JSON.stringify(doc) === JSON.stringify(row.doc)) return row;
    return this.store(row, doc);
  }

  /** DELETE /Groups/{id}: groups are deleted at once (no soft delete), and leave their parents. */
  delete(id: string, ifMatch?: string): void {
    const row = this.get(id);
    if (!ifMatchSatisfied(ifMatch, row.version)) throw preconditionFailed(`group ${id} is at version W/"${row.version}", not ${ifMatch}`);
    const now = isoNow(this.ctx);
    for (const parent of this.s.parentsOf.all(id) as number[]) this.s.bump.run(now, parent);
    this.s.removeEverywhere.run(id);
    this.s.delete.run(row.seq);
    this.ctx.generation.groups++;
  }

  list(q: ListQuery): ListResult {
    return this.lister.list(q);
  }

  counts(): { groups: number; memberships: number } {
    return { groups: this.s.count.get() as number, memberships: this.s.memberships.get() as number };
  }
}
