/**
 * Evaluates SCIM filters against resources (plain JSON objects) with RFC 7644 §3.4.2.2 semantics:
 * attribute names are case-insensitive; strings compare case-insensitively unless the attribute is
 * caseExact (RFC 7643 §2.2: `id`, `externalId`, references); a comparison on a multi-valued
 * attribute matches when any value matches; a complex multi-valued attribute without a
 * sub-attribute compares its `value` sub-attribute; a missing attribute (or a missing parent of a
 * sub-attribute) simply does not match. Pure: no I/O.
 *
 * `ne` is the negation of `eq` (an absent attribute is "not equal"), the reading most servers
 * and Webex take; `co`/`sw`/`ew` need a string value and ordering needs a string, number or
 * dateTime — anything else is a `ScimFilterEvalError` (HTTP 400 `invalidFilter`).
 */
import { ScimFilterEvalError, type AttrPath, type CompareOp, type CompValue, type ScimFilter } from './ast';

/** Lower-case `name` or `name.sub` paths whose string values compare case-sensitively. */
export const DEFAULT_CASE_EXACT: ReadonlySet<string> = new Set([
  'id',
  'externalid',
  'meta.version',
  'meta.location',
  'members.value',
  'members.$ref',
  'groups.value',
  'groups.$ref',
  'manager.value',
  'photos.value',
]);

export interface MatchOptions {
  /** Lower-case attribute paths (`id`, `members.value`) that are caseExact. Default `DEFAULT_CASE_EXACT`. */
  readonly caseExact?: ReadonlySet<string>;
}

type Json = Record<string, unknown>;

/** The value of `key` in `obj`, matching the key case-insensitively (exact spelling first). */
export function getAttribute(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Json;
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/**
 * The object an attribute path starts from: the resource itself, or the extension object named by
 * the path's URI. An attribute without URI that the core object lacks is looked up in the
 * extensions too (`employeeNumber` finds the enterprise extension's), as Webex does.
 */
/** True for a core schema URN (`urn:ietf:params:scim:schemas:core:2.0:User`): its attributes sit at the top level. */
export function isCoreSchemaUri(uri: string): boolean {
  return /^urn:ietf:params:scim:schemas:core:2\.0:/i.test(uri);
}

function container(resource: unknown, path: AttrPath): unknown[] {
  if (path.uri && !isCoreSchemaUri(path.uri)) {
    const ext = getAttribute(resource, path.uri);
    return ext === undefined ? [] : [ext];
  }
  if (getAttribute(resource, path.name) !== undefined) return [resource];
  if (resource === null || typeof resource !== 'object') return [];
  const found: unknown[] = [];
  for (const [k, v] of Object.entries(resource as Json)) {
    if (k.length > 4 && k.slice(0, 4).toLowerCase() === 'urn:' && getAttribute(v, path.name) !== undefined) found.push(v);
  }
  return found;
}

/**
 * The values an attribute path denotes in a resource, flattened: `emails.value` gives every
 * email's value; `emails` gives the email objects. Missing parts give no values.
 */
export function resolveAttrPath(resource: unknown, path: AttrPath): unknown[] {
  const out: unknown[] = [];
  for (const c of container(resource, path)) {
    const v = getAttribute(c, path.name);
    if (v === undefined || v === null) continue;
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      if (path.sub === undefined) {
        out.push(item);
        continue;
      }
      const s = getAttribute(item, path.sub);
      if (s === undefined || s === null) continue;
      if (Array.isArray(s)) out.push(...s);
      else out.push(s);
    }
  }
  return out;
}

function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.some(isPresent);
  if (typeof v === 'object') return Object.values(v as Json).some(isPresent);
  return true;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function orderResult(cmp: number, op: CompareOp): boolean {
  switch (op) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
    default:
      return false;
  }
}

/** Compares one primitive attribute value with the filter's value (op is never `ne` here). */
function comparePrimitive(actual: unknown, op: CompareOp, expected: Exclude<CompValue, null>, caseExact: boolean): boolean {
  if (typeof expected === 'boolean') {
    return typeof actual === 'boolean' && actual === expected;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    return orderResult(actual === expected ? 0 : actual < expected ? -1 : 1, op);
  }
  if (typeof actual !== 'string') return false;
  if (op !== 'co' && op !== 'sw' && op !== 'ew' && DATE_TIME.test(actual) && DATE_TIME.test(expected)) {
    const a = Date.parse(actual);
    const e = Date.parse(expected);
    if (!Number.isNaN(a) && !Number.isNaN(e)) return orderResult(a === e ? 0 : a < e ? -1 : 1, op);
  }
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return orderResult(a === e ? 0 : a < e ? -1 : 1, op);
  }
}

function checkOperator(op: CompareOp, value: CompValue, path: string): void {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw new ScimFilterEvalError(`'${path} ${op} null': only eq and ne compare with null`);
    return;
  }
  if (typeof value === 'boolean' && op !== 'eq' && op !== 'ne') {
    throw new ScimFilterEvalError(`'${path} ${op} ${value}': a boolean compares only with eq or ne`);
  }
  if (typeof value !== 'string' && (op === 'co' || op === 'sw' || op === 'ew')) {
    throw new ScimFilterEvalError(`'${path} ${op} ${value}': ${op} needs a string value`);
  }
}

function pathKey(prefix: string, path: AttrPath): string {
  const own = path.sub ? `${path.name}.${path.sub}` : path.name;
  return (prefix ? `${prefix}.${own}` : own).toLowerCase();
}

function evaluate(f: ScimFilter, resource: unknown, caseExact: ReadonlySet<string>, prefix: string): boolean {
  switch (f.kind) {
    case 'and':
      return evaluate(f.left, resource, caseExact, prefix) && evaluate(f.right, resource, caseExact, prefix);
    case 'or':
      return evaluate(f.left, resource, caseExact, prefix) || evaluate(f.right, resource, caseExact, prefix);
    case 'not':
      return !evaluate(f.filter, resource, caseExact, prefix);
    case 'present':
      return resolveAttrPath(resource, f.path).some(isPresent);
    case 'valuePath': {
      const inner = prefix ? `${prefix}.${f.path.name}` : f.path.name;
      return resolveAttrPath(resource, f.path).some((el) => evaluate(f.filter, el, caseExact, inner));
    }
    case 'compare': {
      const key = pathKey(prefix, f.path);
      checkOperator(f.op, f.value, key);
      let values = resolveAttrPath(resource, f.path);
      let exact = caseExact.has(key);
      // A complex attribute without sub-attribute compares its `value` (RFC 7644 §3.4.2.2).
      if (f.path.sub === undefined && values.some((v) => v !== null && typeof v === 'object')) {
        values = values.map((v) => (v !== null && typeof v === 'object' ? getAttribute(v, 'value') : v));
        exact = caseExact.has(`${key}.value`);
      }
      values = values.filter((v) => v !== undefined && v !== null);
      if (f.value === null) return f.op === 'eq' ? values.length === 0 : values.length > 0;
      const expected = f.value;
      if (f.op === 'ne') return !values.some((v) => comparePrimitive(v, 'eq', expected, exact));
      return values.some((v) => comparePrimitive(v, f.op, expected, exact));
    }
  }
}

/**
 * True when the resource matches the filter.
 * @throws ScimFilterEvalError for comparisons SCIM does not define (`active gt true`).
 */
export function matchesScimFilter(filter: ScimFilter, resource: unknown, options: MatchOptions = {}): boolean {
  return evaluate(filter, resource, options.caseExact ?? DEFAULT_CASE_EXACT, '');
}

/** Every attribute path a filter mentions (outer paths of value filters included), lower-case. */
export function filterAttributes(filter: ScimFilter): string[] {
  const out = new Set<string>();
  const walk = (f: ScimFilter, prefix: string): void => {
    switch (f.kind) {
      case 'and':
      case 'or':
        walk(f.left, prefix);
        walk(f.right, prefix);
        return;
      case 'not':
        walk(f.filter, prefix);
        return;
      case 'valuePath': {
        out.add(pathKey(prefix, f.path));
        walk(f.filter, prefix ? `${prefix}.${f.path.name}` : f.path.name);
        return;
      }
      default:
        out.add(pathKey(prefix, f.path));
    }
  };
  walk(filter, '');
  return [...out];
}
