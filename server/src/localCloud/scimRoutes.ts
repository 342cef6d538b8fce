/**
 * The SCIM endpoints under `/identity/scim/{orgId}/v2`: Users, Groups (+ Webex's
 * `/Groups/{id}/Members`), Bulk, `.search`, avatars and the discovery documents.
 */
import { SCHEMA } from '../cloud/schemas';
import {
  filterAttributes,
  parseScimAttrPath,
  parseScimFilter,
  ScimFilterSyntaxError,
  type AttrPath,
  type ScimFilter,
} from '../cloud/scimFilter/index';
import type { AvatarService } from './avatars';
import { runBulk } from './bulk';
import { scimBase, type CloudContext } from './context';
import type { Db } from './db';
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD, MAX_PAGE_SIZE, resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { ScimHttpError, badRequest, notFound } from './errors';
import type { GroupService } from './groupService';
import { finish, readBody, readJson, sendJson, type Exchange } from './http';
import { checkFilterSize, checkJsonDepth, checkJsonMediaType } from './limits';
import type { ListQuery } from './listing';
import { etagOf, project, versionOfEtag, type Json } from './resource';
import type { UserService } from './userService';
import { checkWebexFilter, type CloudDialect } from './webexDialect';

export interface ScimServices {
  readonly ctx: CloudContext;
  readonly db: Db;
  readonly users: UserService;
  readonly groups: GroupService;
  readonly avatars: AvatarService;
}

const JSON_LIMIT = BULK_MAX_PAYLOAD;

interface ListParams {
  query: ListQuery;
  attributes?: AttrPath[];
  excluded?: AttrPath[];
  includeMembers: boolean;
}

function attrList(text: string | null | undefined, what: string): AttrPath[] | undefined {
  if (!text) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      try {
        return parseScimAttrPath(s);
      } catch {
        throw badRequest('invalidValue', `${what}: ${JSON.stringify(s)} is not an attribute path`);
      }
    });
}

/** A SCIM request body: JSON by its media type, within the size and depth limits (limits.ts). */
async function readScimJson(req: Exchange['req']): Promise<unknown> {
  checkJsonMediaType(req);
  const body = await readJson(req, JSON_LIMIT);
  checkJsonDepth(body);
  return body;
}

function int(text: string | null | undefined, fallback: number): number {
  if (text === null || text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n)) throw badRequest('invalidValue', `${JSON.stringify(text)} is not an integer`);
  return n;
}

function parseFilter(text: string): ScimFilter {
  checkFilterSize(text);
  try {
    return parseScimFilter(text);
  } catch (err) {
    if (err instanceof ScimFilterSyntaxError) throw badRequest('invalidFilter', err.message);
    throw err;
  }
}

/** List parameters from a query string or a SearchRequest body (RFC 7644 §3.4.3). */
function listParams(get: (name: string) => string | null | undefined, users: boolean, dialect: CloudDialect): ListParams {
  const filterText = get('filter');
  const filter = filterText ? parseFilter(filterText) : undefined;
  if (filter && dialect === 'webex') checkWebexFilter(filter, users ? 'users' : 'groups');
  const sortByText = get('sortBy');
  let sortBy: AttrPath | undefined;
  if (sortByText) {
    try {
      sortBy = parseScimAttrPath(sortByText);
    } catch {
      throw badRequest('invalidValue', `sortBy ${JSON.stringify(sortByText)} is not an attribute path`);
    }
  }
  const order = get('sortOrder');
  if (order && order !== 'ascending' && order !== 'descending')
    throw badRequest('invalidValue', 'sortOrder must be ascending or descending');
  const includeDeleted =
    users &&
    (get('includeDeleted') === 'true' ||
      (filter !== undefined && filterAttributes(filter).some((a) => a.split('.')[0] === 'accountstatus')));
  const query: ListQuery = {
    ...(filter ? { filter } : {}),
    ...(sortBy ? { sortBy } : {}),
    ...(order ? { sortOrder: order as 'ascending' | 'descending' } : {}),
    // RFC 7644 §3.4.2.4: startIndex < 1 means 1; count < 0 means 0; we cap count at MAX_PAGE_SIZE.
    startIndex: Math.max(1, int(get('startIndex'), 1)),
    count: Math.min(MAX_PAGE_SIZE, Math.max(0, int(get('count'), 100))),
    includeDeleted,
  };
  const attributes = attrList(get('attributes'), 'attributes');
  const excluded = attrList(get('excludedAttributes'), 'excludedAttributes');
  return {
    query,
    ...(attributes ? { attributes } : {}),
    ...(excluded ? { excluded } : {}),
    includeMembers: get('includeMembers') === 'true',
  };
}

function mentions(paths: AttrPath[] | undefined, name: string): boolean {
  return !!paths?.some((p) => p.name.toLowerCase() === name && !p.uri);
}

function listResponse(s: ScimServices, users: boolean, p: ListParams): Json {
  const result = users ? s.users.list(p.query) : s.groups.list(p.query);
  const resources: Json[] = [];
  for (const seq of result.seqs) {
    if (users) {
      const row = s.users.rowBySeq(seq);
      if (row) resources.push(project(s.users.render(row, mentions(p.attributes, 'groups')), p.attributes, p.excluded));
    } else {
      const row = s.groups.rowBySeq(seq);
      // Webex leaves members out of group lists unless asked (includeMembers=true or attributes=members).
      const withMembers = (p.includeMembers || mentions(p.attributes, 'members')) && !mentions(p.excluded, 'members');
      if (row) resources.push(project(s.groups.render(row, withMembers), p.attributes, p.excluded));
    }
  }
  return {
    schemas: [SCHEMA.listResponse],
    totalResults: result.totalResults,
    itemsPerPage: resources.length,
    startIndex: result.startIndex,
    Resources: resources,
  };
}

/** Runs a write in one transaction (a group with its members, a soft delete with its memberships). */
function tx<T>(s: ScimServices, fn: () => T): T {
  return s.db.transaction(fn)();
}

function header(ex: Exchange, name: string): string | undefined {
  const v = ex.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendResource(ex: Exchange, status: number, body: Json, version: number, location?: string): void {
  const headers: Record<string, string> = { etag: etagOf(version) };
  if (location) headers['location'] = location;
  sendJson(ex, status, body, headers);
}

function methodNotAllowed(ex: Exchange, allowed: string): never {
  throw new ScimHttpError(405, undefined, `${ex.method} is not supported here; use ${allowed}`, { allow: allowed });
}

async function usersRoute(ex: Exchange, s: ScimServices, id: string | undefined, sub: string | undefined): Promise<void> {
  if (id === undefined) {
    if (ex.method === 'GET')
      return sendJson(
        ex,
        200,
        listResponse(
          s,
          true,
          listParams((n) => ex.query.get(n), true, s.ctx.dialect),
        ),
      );
    if (ex.method === 'POST') {
      const body = await readScimJson(ex.req);
      const row = tx(s, () => s.users.create(body));
      return sendResource(ex, 201, s.users.render(row), row.version, s.users.location(row.id));
    }
    methodNotAllowed(ex, 'GET, POST');
  }
  if (sub === 'avatar') return avatarRoute(ex, s, id);
  if (sub !== undefined) throw notFound(`no such endpoint: /Users/${id}/${sub}`);
  const ifMatch = header(ex, 'if-match');
  switch (ex.method) {
    case 'GET': {
      const row = s.users.get(id, ex.query.get('includeDeleted') === 'true');
      const inm = header(ex, 'if-none-match');
      if (inm?.split(',').some((t) => versionOfEtag(t) === row.version)) return finish(ex, 304, { etag: etagOf(row.version) });
      const attributes = attrList(ex.query.get('attributes'), 'attributes');
      const excluded = attrList(ex.query.get('excludedAttributes'), 'excludedAttributes');
      return sendResource(ex, 200, project(s.users.render(row, mentions(attributes, 'groups')), attributes, excluded), row.version);
    }
    case 'PUT': {
      const body = await readScimJson(ex.req);
      const row = tx(s, () => s.users.replace(id, body, ifMatch));
      return sendResource(ex, 200, s.users.render(row), row.version);
    }
    case 'PATCH': {
      const body = await readScimJson(ex.req);
      const row = tx(s, () => s.users.patch(id, body, ifMatch));
      return sendResource(ex, 200, s.users.render(row), row.version);
    }
    case 'DELETE':
      tx(s, () => s.users.softDelete(id, ifMatch));
      return finish(ex, 204, {});
    default:
      methodNotAllowed(ex, 'GET, PUT, PATCH, DELETE');
  }
}

async function avatarRoute(ex: Exchange, s: ScimServices, id: string): Promise<void> {
  switch (ex.method) {
    case 'GET':
    case 'HEAD': {
      const a = s.avatars.get(id);
      return finish(ex, 200, { 'content-type': a.contentType, etag: `"${a.sha256}"`, 'cache-control': 'no-cache' }, a.bytes);
    }
    case 'PUT': {
      const bytes = await readBody(ex.req, s.avatars.maxBytes);
      const row = tx(s, () => s.avatars.put(id, bytes, header(ex, 'content-type'), header(ex, 'if-match')));
      return sendResource(ex, 200, s.users.render(row), row.version);
    }
    case 'DELETE':
      tx(s, () => s.avatars.delete(id, header(ex, 'if-match')));
      return finish(ex, 204, {});
    default:
      methodNotAllowed(ex, 'GET, PUT, DELETE');
  }
}

async function groupsRoute(ex: Exchange, s: ScimServices, id: string | undefined, sub: string | undefined): Promise<void> {
  if (id === undefined) {
    if (ex.method === 'GET')
      return sendJson(
        ex,
        200,
        listResponse(
          s,
          false,
          listParams((n) => ex.query.get(n), false, s.ctx.dialect),
        ),
      );
    if (ex.method === 'POST') {
      const body = await readScimJson(ex.req);
      const row = tx(s, () => s.groups.create(body));
      return sendResource(ex, 201, s.groups.render(row), row.version, s.groups.location(row.id));
    }
    methodNotAllowed(ex, 'GET, POST');
  }
  if (sub !== undefined) {
    if (sub.toLowerCase() !== 'members') throw notFound(`no such endpoint: /Groups/${id}/${sub}`);
    if (ex.method !== 'GET') methodNotAllowed(ex, 'GET');
    // Webex's member paging: at most 500 a page.
    const start = Math.max(1, int(ex.query.get('startIndex'), 1));
    const count = Math.min(500, Math.max(0, int(ex.query.get('count'), 500)));
    const page = s.groups.memberPage(id, start, count);
    return sendJson(ex, 200, {
      schemas: [SCHEMA.listResponse],
      displayName: page.displayName,
      totalResults: page.totalResults,
      itemsPerPage: page.members.length,
      startIndex: start,
      members: page.members,
    });
  }
  const ifMatch = header(ex, 'if-match');
  switch (ex.method) {
    case 'GET': {
      const row = s.groups.get(id);
      const inm = header(ex, 'if-none-match');
      if (inm?.split(',').some((t) => versionOfEtag(t) === row.version)) return finish(ex, 304, { etag: etagOf(row.version) });
      const attributes = attrList(ex.query.get('attributes'), 'attributes');
      const excluded = attrList(ex.query.get('excludedAttributes'), 'excludedAttributes');
      const withMembers = !mentions(excluded, 'members') && (!attributes || mentions(attributes, 'members'));
      return sendResource(ex, 200, project(s.groups.render(row, withMembers), attributes, excluded), row.version);
    }
    case 'PUT': {
      const body = await readScimJson(ex.req);
      const row = tx(s, () => s.groups.replace(id, body, ifMatch));
      return sendResource(ex, 200, s.groups.render(row), row.version);
    }
    case 'PATCH': {
      const body = await readScimJson(ex.req);
      const row = tx(s, () => s.groups.patch(id, body, ifMatch));
      return sendResource(ex, 200, s.groups.render(row), row.version);
    }
    case 'DELETE':
      tx(s, () => s.groups.delete(id, ifMatch));
      return finish(ex, 204, {});
    default:
      methodNotAllowed(ex, 'GET, PUT, PATCH, DELETE');
  }
}

async function search(ex: Exchange, s: ScimServices, users: boolean): Promise<void> {
  const body = (await readScimJson(ex.req)) as Record<string, unknown>;
  const get = (n: string): string | undefined => {
    const v = body?.[n];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v.join(',') : String(v);
  };
  return sendJson(ex, 200, listResponse(s, users, listParams(get, users, s.ctx.dialect)));
}

/** Handles `rest` = the path after `/v2` (e.g. `/Users/abc`). */
export async function handleScim(ex: Exchange, s: ScimServices, rest: string): Promise<void> {
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [resource, id, sub, ...more] = parts;
  if (more.length > 0) throw notFound(`no such endpoint: ${rest}`);
  const base = scimBase(s.ctx);
  switch ((resource ?? '').toLowerCase()) {
    case 'users':
      if (id === '.search' && ex.method === 'POST') return search(ex, s, true);
      return usersRoute(ex, s, id, sub);
    case 'groups':
      if (id === '.search' && ex.method === 'POST') return search(ex, s, false);
      return groupsRoute(ex, s, id, sub);
    case 'bulk':
      if (ex.method !== 'POST' || id !== undefined) methodNotAllowed(ex, 'POST');
      return sendJson(
        ex,
        200,
        runBulk({ db: s.db, users: s.users, groups: s.groups, maxOperations: BULK_MAX_OPERATIONS }, await readScimJson(ex.req)),
      );
    case 'serviceproviderconfig':
      if (ex.method !== 'GET') methodNotAllowed(ex, 'GET');
      return sendJson(ex, 200, serviceProviderConfig(base));
    case 'resourcetypes': {
      if (ex.method !== 'GET') methodNotAllowed(ex, 'GET');
      const all = resourceTypes(base);
      if (id !== undefined) {
        const one = all.find((r) => String(r['id']).toLowerCase() === id.toLowerCase());
        if (!one) throw notFound(`no resource type ${id}`);
        return sendJson(ex, 200, one);
      }
      return sendJson(ex, 200, {
        schemas: [SCHEMA.listResponse],
        totalResults: all.length,
        itemsPerPage: all.length,
        startIndex: 1,
        Resources: all,
      });
    }
    case 'schemas': {
      if (ex.method !== 'GET') methodNotAllowed(ex, 'GET');
      const all = schemas(base);
      if (id !== undefined) {
        const one = all.find((r) => String(r['id']).toLowerCase() === id.toLowerCase());
        if (!one) throw notFound(`no schema ${id}`);
        return sendJson(ex, 200, one);
      }
      return sendJson(ex, 200, {
        schemas: [SCHEMA.listResponse],
        totalResults: all.length,
        itemsPerPage: all.length,
        startIndex: 1,
        Resources: all,
      });
    }
    default:
      throw notFound(`no such endpoint: ${rest || '/'}`);
  }
}
