/**
 * List/search (RFC 7644 §3.4.2): filter, sort, startIndex/count paging over users or groups.
 *
 * Speed: `userName eq`, `externalId eq`, `id eq` (and `displayName eq` for groups), alone or
 * joined by `or` (a batch look-up) or under an `and`, go through indexes. Anything else scans,
 * evaluating the filter on each stored document. A scan's result (the ordered row numbers) is
 * cached per query until the table changes, so paging through 100k users costs one scan plus
 * one indexed read per returned row, not one scan per page.
 */
import {
  filterAttributes,
  isCoreSchemaUri,
  getAttribute,
  matchesScimFilter,
  resolveAttrPath,
  ScimFilterEvalError,
  type AttrPath,
  type ScimFilter,
} from '../cloud/scimFilter/index';
import { formatScimFilter } from '../cloud/scimFilter/index';
import type { Db } from './db';
import { badRequest } from './errors';
import type { Json } from './resource';

export interface TableSpec {
  readonly table: 'users' | 'groups';
  /** Lower-case attribute → indexed column, and whether values are stored lower-cased. */
  readonly indexed: Readonly<Record<string, { readonly column: string; readonly lower: boolean }>>;
  /** Lower-case attribute → column usable for ORDER BY without reading documents. */
  readonly sortColumns: Readonly<Record<string, string>>;
  readonly softDelete: boolean;
  /** Lower-case paths whose strings compare case-sensitively when sorting. */
  readonly caseExact: ReadonlySet<string>;
}

export interface ListQuery {
  readonly filter?: ScimFilter;
  readonly sortBy?: AttrPath;
  readonly sortOrder?: 'ascending' | 'descending';
  /** 1-based. */
  readonly startIndex: number;
  readonly count: number;
  readonly includeDeleted: boolean;
}

export interface ListResult {
  readonly totalResults: number;
  readonly startIndex: number;
  /** Row numbers of the page, in order; the caller reads and renders them. */
  readonly seqs: number[];
}

interface CacheEntry {
  generation: number;
  seqs: number[];
}

/** Adds what a document needs for filter evaluation but is stored elsewhere (group members). */
export type DocLoader = (seq: number, doc: Json, needs: ReadonlySet<string>) => Json;

const CACHE_SIZE = 16;

export class Lister {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly byColumn = new Map<string, ReturnType<Db['prepare']>>();
  private readonly docBySeq;
  private readonly scanAll;
  private readonly scanActive;

  constructor(
    private readonly db: Db,
    private readonly spec: TableSpec,
    private readonly generation: () => number,
    private readonly load: DocLoader,
  ) {
    const t = spec.table;
    this.docBySeq = db.prepare<[number], { doc: string; deleted: number | null }>(
      `SELECT doc, ${spec.softDelete ? 'deleted_at' : 'NULL'} AS deleted FROM ${t} WHERE seq = ?`,
    );
    this.scanAll = db.prepare<[], { seq: number; doc: string }>(`SELECT seq, doc FROM ${t} ORDER BY seq`);
    this.scanActive = spec.softDelete
      ? db.prepare<[], { seq: number; doc: string }>(`SELECT seq, doc FROM ${t} WHERE deleted_at IS NULL ORDER BY seq`)
      : this.scanAll;
  }

  private stmtFor(column: string) {
    let s = this.byColumn.get(column);
    if (!s) {
      s = this.db.prepare(`SELECT seq FROM ${this.spec.table} WHERE ${column} = ?`).pluck();
      this.byColumn.set(column, s);
    }
    return s;
  }

  /** Row numbers an indexed filter can only match, or undefined when the filter needs a scan. */
  private candidates(f: ScimFilter): Set<number> | undefined {
    switch (f.kind) {
      case 'compare': {
        if (f.op !== 'eq' || typeof f.value !== 'string' || f.path.sub || (f.path.uri && !isCoreSchemaUri(f.path.uri))) return undefined;
        const ix = this.spec.indexed[f.path.name.toLowerCase()];
        if (!ix) return undefined;
        const rows = this.stmtFor(ix.column).all(ix.lower ? f.value.toLowerCase() : f.value) as number[];
        return new Set(rows);
      }
      case 'or': {
        const l = this.candidates(f.left);
        if (!l) return undefined;
        const r = this.candidates(f.right);
        if (!r) return undefined;
        for (const x of r) l.add(x);
        return l;
      }
      case 'and':
        return this.candidates(f.left) ?? this.candidates(f.right);
      default:
        return undefined;
    }
  }

  private evaluate(f: ScimFilter, doc: Json): boolean {
    try {
      return matchesScimFilter(f, doc);
    } catch (err) {
      if (err instanceof ScimFilterEvalError) throw badRequest('invalidFilter', err.message);
      throw err;
    }
  }

  private sortKey(doc: Json, path: AttrPath): string | number | boolean | undefined {
    const values = resolveAttrPath(doc, path);
    const primary = values.find((v) => v && typeof v === 'object' && getAttribute(v, 'primary') === true);
    let v = primary ?? values[0];
    if (v && typeof v === 'object') v = getAttribute(v, 'value');
    if (typeof v === 'string') {
      const key = (path.sub ? `${path.name}.${path.sub}` : path.name).toLowerCase();
      return this.spec.caseExact.has(key) ? v : v.toLowerCase();
    }
    return typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }

  private ordered(rows: Array<{ seq: number; key: string | number | boolean | undefined }>, descending: boolean): number[] {
    rows.sort((a, b) => {
      // Missing values sort last in both orders (RFC 7644 §3.4.2.3 leaves this to the server).
      if (a.key === undefined || b.key === undefined) return a.key === b.key ? a.seq - b.seq : a.key === undefined ? 1 : -1;
      const c = a.key < b.key ? -1 : a.key > b.key ? 1 : a.seq - b.seq;
      return descending ? -c : c;
    });
    return rows.map((r) => r.seq);
  }

  private matchingSeqs(q: ListQuery, needs: ReadonlySet<string>): number[] {
    const descending = q.sortOrder === 'descending';
    const sortName = q.sortBy ? (q.sortBy.sub ? `${q.sortBy.name}.${q.sortBy.sub}` : q.sortBy.name).toLowerCase() : undefined;
    const sortColumn =
      sortName === undefined ? 'seq' : q.sortBy?.uri && !isCoreSchemaUri(q.sortBy.uri) ? undefined : this.spec.sortColumns[sortName];

    if (!q.filter && sortColumn) {
      const where = this.spec.softDelete && !q.includeDeleted ? 'WHERE deleted_at IS NULL' : '';
      const nulls = sortColumn === 'seq' ? '' : `${sortColumn} IS NULL, `;
      const sql = `SELECT seq FROM ${this.spec.table} ${where} ORDER BY ${nulls}${sortColumn} ${descending ? 'DESC' : 'ASC'}, seq`;
      return this.db.prepare(sql).pluck().all() as number[];
    }
    const rows: Array<{ seq: number; key: string | number | boolean | undefined }> = [];
    const stmt = q.includeDeleted ? this.scanAll : this.scanActive;
    for (const row of stmt.iterate()) {
      let doc = JSON.parse(row.doc) as Json;
      if (needs.size > 0) doc = this.load(row.seq, doc, needs);
      if (q.filter && !this.evaluate(q.filter, doc)) continue;
      rows.push({ seq: row.seq, key: q.sortBy ? this.sortKey(doc, q.sortBy) : undefined });
    }
    return q.sortBy ? this.ordered(rows, descending) : rows.map((r) => r.seq);
  }

  /** Runs a query and returns the page's row numbers. */
  list(q: ListQuery): ListResult {
    const needs = new Set(q.filter ? filterAttributes(q.filter).map((p) => p.split('.')[0]!) : []);
    if (q.sortBy) needs.add(q.sortBy.name.toLowerCase());
    const generation = this.generation();

    let seqs: number[];
    const direct = q.filter ? this.candidates(q.filter) : undefined;
    if (direct) {
      const rows: Array<{ seq: number; key: string | number | boolean | undefined }> = [];
      for (const seq of direct) {
        const row = this.docBySeq.get(seq);
        if (!row || (row.deleted !== null && !q.includeDeleted)) continue;
        let doc = JSON.parse(row.doc) as Json;
        if (needs.size > 0) doc = this.load(seq, doc, needs);
        if (!this.evaluate(q.filter!, doc)) continue;
        rows.push({ seq, key: q.sortBy ? this.sortKey(doc, q.sortBy) : seq });
      }
      seqs = q.sortBy ? this.ordered(rows, q.sortOrder === 'descending') : rows.map((r) => r.seq).sort((a, b) => a - b);
    } else {
      const key = [
        q.filter ? formatScimFilter(q.filter) : '',
        q.includeDeleted,
        q.sortBy ? JSON.stringify(q.sortBy) : '',
        q.sortOrder ?? '',
      ].join('\u0000');
      const hit = this.cache.get(key);
      if (hit && hit.generation === generation) {
        seqs = hit.seqs;
        // Refresh LRU position.
        this.cache.delete(key);
        this.cache.set(key, hit);
      } else {
        seqs = this.matchingSeqs(q, needs);
        this.cache.set(key, { generation, seqs });
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      }
    }

    const start = Math.max(1, q.startIndex);
    return { totalResults: seqs.length, startIndex: start, seqs: seqs.slice(start - 1, start - 1 + Math.max(0, q.count)) };
  }
}
