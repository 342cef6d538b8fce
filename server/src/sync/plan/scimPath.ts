/**
 * Reading and writing the flat SCIM paths of the cloud attribute table (domain/cloudAttributes.ts)
 * on a SCIM resource: `displayName`, `name.givenName`, `phoneNumbers[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:manager.value`, `urn:…:cisco:webexidentity:2.0:User:extensionAttribute3`.
 * Only the path forms that table uses (RFC 7644 §3.10 attribute paths with an `eq` value filter on
 * `type`) are supported.
 */

export interface ParsedPath {
  /** Extension schema URN, or undefined for core attributes. */
  readonly schema?: string;
  readonly attr: string;
  /** `type eq "<value>"` filter on a multi-valued attribute. */
  readonly type?: string;
  readonly sub?: string;
}

const cache = new Map<string, ParsedPath>();

/** Parses a flat path once (paths come from a fixed table, so the cache stays small). */
export function parseScimPath(path: string): ParsedPath {
  let p = cache.get(path);
  if (p) return p;
  let rest = path;
  let schema: string | undefined;
  if (path.startsWith('urn:')) {
    const i = path.indexOf(':User:');
    if (i < 0) throw new Error(`unsupported SCIM path ${path}`);
    schema = path.slice(0, i + 5);
    rest = path.slice(i + 6);
  }
  const m = /^([A-Za-z][\w$-]*)(?:\[type eq "([^"]*)"\])?(?:\.([A-Za-z][\w$-]*))?$/.exec(rest);
  if (!m) throw new Error(`unsupported SCIM path ${path}`);
  p = { ...(schema ? { schema } : {}), attr: m[1]!, ...(m[2] !== undefined ? { type: m[2] } : {}), ...(m[3] ? { sub: m[3] } : {}) };
  cache.set(path, p);
  return p;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(v: unknown): string | boolean | undefined {
  if (Array.isArray(v)) return scalar(v[0]);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The value at a flat path, or undefined when absent. Arrays of strings read their first value. */
export function readScimPath(resource: Readonly<Obj>, path: string): string | boolean | undefined {
  const p = parseScimPath(path);
  const container = p.schema ? resource[p.schema] : resource;
  if (!isObj(container)) return undefined;
  const v = container[p.attr];
  if (p.type !== undefined) {
    if (!Array.isArray(v)) return undefined;
    const t = p.type.toLowerCase();
    const el = v.find((x) => isObj(x) && typeof x['type'] === 'string' && x['type'].toLowerCase() === t) as Obj | undefined;
    return el ? scalar(el[p.sub ?? 'value']) : undefined;
  }
  if (p.sub) return isObj(v) ? scalar(v[p.sub]) : undefined;
  return scalar(v);
}

/** Attributes Webex models as string arrays (Cisco extension's extensionAttributeN). */
function isArrayAttr(p: ParsedPath): boolean {
  return /^extensionAttribute\d+$/.test(p.attr);
}

/** Sets a flat path on a body under construction, creating containers and typed elements. */
export function writeScimPath(body: Obj, path: string, value: string | boolean): void {
  const p = parseScimPath(path);
  let container: Obj = body;
  if (p.schema) {
    if (!isObj(body[p.schema])) body[p.schema] = {};
    container = body[p.schema] as Obj;
    const schemas = body['schemas'];
    if (Array.isArray(schemas) && !schemas.includes(p.schema)) schemas.push(p.schema);
  }
  if (p.type !== undefined) {
    if (!Array.isArray(container[p.attr])) container[p.attr] = [];
    const arr = container[p.attr] as Obj[];
    let el = arr.find((x) => x['type'] === p.type);
    if (!el) arr.push((el = { type: p.type }));
    el[p.sub ?? 'value'] = value;
    return;
  }
  if (p.sub) {
    if (!isObj(container[p.attr])) container[p.attr] = {};
    (container[p.attr] as Obj)[p.sub] = value;
    return;
  }
  container[p.attr] = isArrayAttr(p) ? [value] : value;
}

/**
 * For a value-filtered path (`phoneNumbers[type eq "mobile"].value`) whose element the cloud user
 * lacks — no value of `values` (the user's values by path) lies in it — the multi-valued
 * attribute to `add` to, the element's filter attributes and the sub-attribute to set.
 */
export function newElementOf(
  path: string,
  values: Readonly<Record<string, unknown>>,
): { path: string; base: Record<string, unknown>; sub: string } | undefined {
  const p = parseScimPath(path);
  if (p.type === undefined) return undefined;
  for (const k of Object.keys(values)) {
    const q = parseScimPath(k);
    if (q.schema === p.schema && q.attr === p.attr && q.type === p.type) return undefined;
  }
  return { path: p.schema ? `${p.schema}:${p.attr}` : p.attr, base: { type: p.type }, sub: p.sub ?? 'value' };
}

/**
 * For a sub-attribute path of a single-valued complex attribute (`urn:…:enterprise:2.0:User:manager.value`,
 * `name.givenName`) whose parent the cloud user lacks — no value of `values` lies in it — the
 * attribute to `add` whole and the sub-attribute to set in it. RFC 7644 §3.5.2.1 adds a missing
 * target, but servers differ on a sub-attribute path under a missing parent (scimmy answers 400
 * noTarget), while an `add` of the parent with its sub-attributes is read the same everywhere.
 */
export function newComplexOf(path: string, values: Readonly<Record<string, unknown>>): { path: string; sub: string } | undefined {
  const p = parseScimPath(path);
  if (p.type !== undefined || p.sub === undefined) return undefined;
  for (const k of Object.keys(values)) {
    const q = parseScimPath(k);
    if (q.schema === p.schema && q.attr === p.attr) return undefined;
  }
  return { path: p.schema ? `${p.schema}:${p.attr}` : p.attr, sub: p.sub };
}

/** The PATCH value for a path: extension string arrays take an array. */
export function patchValue(path: string, value: string | boolean): unknown {
  return isArrayAttr(parseScimPath(path)) ? [value] : value;
}
