/**
 * Resource shape rules of the local cloud: canonical attribute names (SCIM attribute names are
 * case-insensitive, RFC 7643 §2.1, so `USERNAME` is stored as `userName`), which attributes are
 * multi-valued, read-only attributes, `meta`, ETags, and the `attributes` / `excludedAttributes`
 * projection (RFC 7644 §3.4.2.5).
 */
import { SCHEMA } from '../cloud/schemas';
import { getAttribute, isCoreSchemaUri, type AttrPath } from '../cloud/scimFilter/index';
import { badRequest } from './errors';

export type Json = Record<string, unknown>;

const NAMES = [
  // core User (RFC 7643 §4.1) and Group (§4.2)
  'schemas',
  'id',
  'externalId',
  'meta',
  'userName',
  'name',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'password',
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
  'members',
  // sub-attributes
  'formatted',
  'familyName',
  'givenName',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
  'value',
  'display',
  'type',
  'primary',
  '$ref',
  'streetAddress',
  'locality',
  'region',
  'postalCode',
  'country',
  'resourceType',
  'created',
  'lastModified',
  'location',
  'version',
  // enterprise extension (§4.3)
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'manager',
  // Webex extension
  'accountStatus',
  'sipAddresses',
  'managedOrgs',
  'managedGroups',
  'orgId',
  'role',
  'groupId',
  'source',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
  ...Array.from({ length: 15 }, (_, i) => `externalAttribute${i + 1}`),
];

const CANONICAL = new Map(NAMES.map((n) => [n.toLowerCase(), n]));

export const KNOWN_SCHEMAS = [SCHEMA.user, SCHEMA.group, SCHEMA.enterpriseUser, SCHEMA.webexUser, SCHEMA.webexGroup];
const CANONICAL_SCHEMA = new Map(KNOWN_SCHEMAS.map((s) => [s.toLowerCase(), s]));

const MULTI_VALUED = new Set([
  'schemas',
  'emails',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509certificates',
  'members',
  'sipaddresses',
  'managedorgs',
  'managedgroups',
  'accountstatus',
  ...Array.from({ length: 15 }, (_, i) => `extensionattribute${i + 1}`),
  ...Array.from({ length: 15 }, (_, i) => `externalattribute${i + 1}`),
]);

/** The canonical spelling of an attribute name or schema URN (unknown names are kept as given). */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL.get(lower) ?? CANONICAL_SCHEMA.get(lower) ?? name;
}

/** True for attributes SCIM defines as multi-valued (and any the server already holds as an array). */
export function isMultiValued(name: string): boolean {
  return MULTI_VALUED.has(name.toLowerCase());
}

/** True when `name` is a schema URN (an extension object key). */
export function isSchemaUrn(name: string): boolean {
  return name.length > 4 && name.slice(0, 4).toLowerCase() === 'urn:';
}

/** Deep copy with canonical attribute names. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) out[canonicalName(k)] = canonicalize(v);
  return out;
}

/** The key under which `name` is stored in `obj` (case-insensitive), or the canonical name if absent. */
export function keyIn(obj: Json, name: string): string {
  if (name in obj) return name;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return k;
  return canonicalName(name);
}

/** `W/"3"` for version 3 (weak: the representation may vary by projection). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Parses `W/"3"` / `"3"` back to 3; undefined for anything else. */
export function versionOfEtag(etag: string): number | undefined {
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(etag);
  return m ? Number(m[1]) : undefined;
}

/**
 * RFC 7232 If-Match: `*` matches any existing resource; otherwise one of the listed tags must
 * match the current version (weak comparison, as SCIM's ETags are weak).
 */
export function ifMatchSatisfied(header: string | undefined, version: number): boolean {
  if (header === undefined) return true;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => versionOfEtag(t) === version);
}

/** Checks `schemas` on input: present, an array of strings, naming the resource's core schema. */
export function checkSchemas(doc: Json, core: string): string[] {
  const schemas = doc['schemas'];
  if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string')) {
    throw badRequest('invalidSyntax', `'schemas' must be an array of schema URNs including ${core}`);
  }
  const canon = (schemas as string[]).map((s) => canonicalName(s));
  if (!canon.includes(core)) throw badRequest('invalidSyntax', `'schemas' must include ${core}`);
  return [...new Set(canon)];
}

/** Adds extension URNs present as keys to `schemas` (RFC 7643 §3: schemas lists every schema used). */
export function syncSchemas(doc: Json, core: string): void {
  const set = new Set<string>(Array.isArray(doc['schemas']) ? (doc['schemas'] as string[]) : []);
  set.add(core);
  for (const k of Object.keys(doc)) if (isSchemaUrn(k) && doc[k] && typeof doc[k] === 'object') set.add(k);
  for (const s of [...set]) if (s !== core && isSchemaUrn(s) && !(s in doc) && KNOWN_SCHEMAS.includes(s as never)) set.delete(s);
  doc['schemas'] = [...set];
}

/** RFC 7643 §2.4: at most one `primary: true` per multi-valued attribute; the last one set wins. */
export function normalizePrimary(values: unknown[], preferIndex?: number): void {
  const primaries = values.map((v, i) => (v && typeof v === 'object' && (v as Json)['primary'] === true ? i : -1)).filter((i) => i >= 0);
  if (primaries.length <= 1) return;
  const keep = preferIndex !== undefined && primaries.includes(preferIndex) ? preferIndex : primaries[primaries.length - 1];
  for (const i of primaries) if (i !== keep) (values[i] as Json)['primary'] = false;
}

function pathKeys(p: AttrPath): string[] {
  const keys: string[] = [];
  if (p.uri && !isCoreSchemaUri(p.uri)) keys.push(p.uri.toLowerCase());
  keys.push(p.name.toLowerCase());
  if (p.sub) keys.push(p.sub.toLowerCase());
  return keys;
}

/** An attribute path as written in `attributes=`: `urn:…:User:department` may also be the URN alone. */
function resolveProjectionPath(p: AttrPath, doc: Json): string[] {
  const full = p.uri ? `${p.uri}:${p.name}` : undefined;
  if (full && getAttribute(doc, full) !== undefined) return [full.toLowerCase()];
  return pathKeys(p);
}

/**
 * RFC 7644 §3.4.2.5: `attributes` keeps only the listed attributes (plus `id` and `schemas`,
 * which are always returned); `excludedAttributes` drops the listed ones.
 */
export function project(doc: Json, attributes?: readonly AttrPath[], excluded?: readonly AttrPath[]): Json {
  if (attributes && attributes.length > 0) {
    const out: Json = {};
    for (const k of ['schemas', 'id']) if (k in doc) out[k] = doc[k];
    for (const p of attributes) copyPath(doc, out, resolveProjectionPath(p, doc));
    return out;
  }
  if (excluded && excluded.length > 0) {
    const out = structuredClone(doc);
    for (const p of excluded) {
      const keys = resolveProjectionPath(p, doc);
      if (keys.length === 1 && (keys[0] === 'id' || keys[0] === 'schemas')) continue;
      deletePath(out, keys);
    }
    return out;
  }
  return doc;
}

function copyPath(from: Json, to: Json, keys: string[]): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  const k = Object.keys(from).find((x) => x.toLowerCase() === head);
  if (k === undefined) return;
  const v = from[k];
  if (rest.length === 0 || v === null || typeof v !== 'object') {
    to[k] = v;
    return;
  }
  if (Array.isArray(v)) {
    const prev = Array.isArray(to[k]) ? (to[k] as Json[]) : v.map(() => ({}));
    v.forEach((el, i) => {
      if (el && typeof el === 'object') copyPath(el as Json, prev[i] as Json, rest);
    });
    to[k] = prev;
    return;
  }
  const target = (to[k] && typeof to[k] === 'object' ? to[k] : {}) as Json;
  copyPath(v as Json, target, rest);
  to[k] = target;
}

function deletePath(obj: Json, keys: string[]): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  const k = Object.keys(obj).find((x) => x.toLowerCase() === head);
  if (k === undefined) return;
  if (rest.length === 0) {
    delete obj[k];
    return;
  }
  const v = obj[k];
  if (Array.isArray(v)) {
    for (const el of v) if (el && typeof el === 'object') deletePath(el as Json, rest);
  } else if (v && typeof v === 'object') {
    deletePath(v as Json, rest);
  }
}
