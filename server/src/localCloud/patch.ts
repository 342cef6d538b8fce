/**
 * PATCH (RFC 7644 §3.5.2) applied to a resource's JSON. Pure: the caller loads, validates and
 * stores. Covers add/replace/remove with and without `path`, sub-attributes, extension URNs,
 * value filters (`emails[type eq "work"].value`) and `members`.
 *
 * Choices where the RFC leaves room (documented in README § cloud):
 * - `add`/`replace` through a value filter that matches nothing, when the filter is `eq`
 *   comparisons joined by `and`, creates the element from them (`emails[type eq "work"].value`
 *   on a user without a work email adds one) — what Azure AD clients rely on; any other
 *   non-matching filter is 400 `noTarget` for `replace`. With `replaceNeedsTarget` (the webex
 *   dialect) every `replace` that matches nothing is 400 `noTarget`, as Webex's Users document says.
 * - `add` to a multi-valued attribute skips values already present (same `value`, and same
 *   `type` when both have one): applying the same PATCH twice gives the same resource.
 * - `remove` of `members` with a `value` list removes those members (Azure AD's form).
 */
import { SCHEMA } from '../cloud/schemas';
import {
  isCoreSchemaUri,
  matchesScimFilter,
  parseScimPatchPath,
  ScimFilterEvalError,
  ScimFilterSyntaxError,
  type AttrPath,
  type PatchPath,
  type ScimFilter,
} from '../cloud/scimFilter/index';
import { badRequest } from './errors';
import { canonicalize, canonicalName, isMultiValued, isSchemaUrn, keyIn, KNOWN_SCHEMAS, normalizePrimary, type Json } from './resource';

export interface PatchRules {
  /** Lower-case top-level attributes clients may not write (`id`, `meta`, `groups`). */
  readonly readOnly: ReadonlySet<string>;
  /**
   * `replace` through a value filter that matches nothing is 400 `noTarget`, even for `eq`
   * filters (Webex's Users document says so; the webex dialect sets it).
   */
  readonly replaceNeedsTarget?: boolean;
}

interface Target {
  readonly obj: Json;
  readonly key: string;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validates a PatchOp message and returns its operations. */
export function readPatchRequest(body: unknown): Array<{ op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown }> {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'the PATCH body must be a PatchOp JSON object');
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCHEMA.patchOp.toLowerCase())) {
    throw badRequest('invalidSyntax', `'schemas' must include ${SCHEMA.patchOp}`);
  }
  const ops = body['Operations'] ?? body['operations'];
  if (!Array.isArray(ops) || ops.length === 0) throw badRequest('invalidSyntax', "'Operations' must be a non-empty array");
  return ops.map((o, i) => {
    if (!isObject(o)) throw badRequest('invalidSyntax', `Operations[${i}] must be an object`);
    const op = typeof o['op'] === 'string' ? o['op'].toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw badRequest('invalidSyntax', `Operations[${i}].op must be add, replace or remove, not ${JSON.stringify(o['op'])}`);
    }
    if (o['path'] !== undefined && typeof o['path'] !== 'string') throw badRequest('invalidPath', `Operations[${i}].path must be a string`);
    const out: { op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown } = { op };
    if (typeof o['path'] === 'string' && o['path'] !== '') out.path = o['path'];
    if ('value' in o) out.value = canonicalize(o['value']);
    return out;
  });
}

function parsePath(text: string): PatchPath {
  try {
    return parseScimPatchPath(text);
  } catch (err) {
    if (err instanceof ScimFilterSyntaxError) throw badRequest('invalidPath', `invalid path ${JSON.stringify(text)}: ${err.message}`);
    throw err;
  }
}

/** `urn:…:enterprise:2.0:User` parses as uri `urn:…:2.0` + name `User`: recognise a whole-extension path. */
function extensionUrn(doc: Json, attr: AttrPath): string | undefined {
  if (!attr.uri || attr.sub) return undefined;
  const full = `${attr.uri}:${attr.name}`;
  const lower = full.toLowerCase();
  if (Object.keys(doc).some((k) => k.toLowerCase() === lower)) return keyIn(doc, full);
  if (KNOWN_SCHEMAS.some((s) => s.toLowerCase() === lower)) return canonicalName(full);
  const schemas = Array.isArray(doc['schemas']) ? (doc['schemas'] as string[]) : [];
  return schemas.find((s) => s.toLowerCase() === lower);
}

function target(doc: Json, attr: AttrPath, rules: PatchRules, create: boolean): Target | undefined {
  const ext = extensionUrn(doc, attr);
  if (ext) return { obj: doc, key: ext };
  if (attr.uri && !isCoreSchemaUri(attr.uri)) {
    const uriKey = keyIn(doc, attr.uri);
    let container = doc[uriKey];
    if (!isObject(container)) {
      if (!create) return undefined;
      container = {};
      doc[uriKey] = container;
    }
    return { obj: container as Json, key: keyIn(container as Json, attr.name) };
  }
  if (rules.readOnly.has(attr.name.toLowerCase())) {
    throw badRequest('mutability', `'${attr.name}' is read-only`);
  }
  const key = keyIn(doc, attr.name);
  if (key in doc) return { obj: doc, key };
  // An unqualified extension attribute (`department`) that an extension already holds.
  for (const [k, v] of Object.entries(doc)) {
    if (isSchemaUrn(k) && isObject(v)) {
      const sub = keyIn(v, attr.name);
      if (sub in v) return { obj: v, key: sub };
    }
  }
  return { obj: doc, key };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    if (a['value'] === undefined || b['value'] === undefined) return JSON.stringify(a) === JSON.stringify(b);
    if (a['value'] !== b['value']) return false;
    return a['type'] === undefined || b['type'] === undefined || a['type'] === b['type'];
  }
  return a === b;
}

function addAt(obj: Json, key: string, value: unknown): void {
  const current = obj[key];
  if (isMultiValued(key) || Array.isArray(current)) {
    const arr = Array.isArray(current) ? [...current] : current === undefined || current === null ? [] : [current];
    let lastPrimary: number | undefined;
    for (const v of Array.isArray(value) ? value : [value]) {
      const at = arr.findIndex((x) => sameValue(x, v));
      if (at >= 0) {
        if (isObject(arr[at]) && isObject(v)) arr[at] = { ...(arr[at] as Json), ...v };
        if (isObject(v) && v['primary'] === true) lastPrimary = at;
      } else {
        arr.push(v);
        if (isObject(v) && v['primary'] === true) lastPrimary = arr.length - 1;
      }
    }
    normalizePrimary(arr, lastPrimary);
    obj[key] = arr;
    return;
  }
  if (isObject(current) && isObject(value)) {
    obj[key] = { ...current, ...value };
    return;
  }
  obj[key] = value;
}

function replaceAt(obj: Json, key: string, value: unknown): void {
  if (value === null) {
    delete obj[key];
    return;
  }
  const current = obj[key];
  if (isMultiValued(key) || Array.isArray(current)) {
    const arr = Array.isArray(value) ? [...value] : [value];
    normalizePrimary(arr);
    obj[key] = arr;
    return;
  }
  // RFC 7644 §3.5.2.3: sub-attributes not in `value` are left unchanged.
  if (isObject(current) && isObject(value)) {
    obj[key] = { ...current, ...value };
    return;
  }
  obj[key] = value;
}

/** `type eq "work" and primary eq true` → `{ type: 'work', primary: true }`; undefined for other filters. */
function eqAttributes(f: ScimFilter): Json | undefined {
  if (f.kind === 'compare' && f.op === 'eq' && !f.path.uri && !f.path.sub) return { [canonicalName(f.path.name)]: f.value };
  if (f.kind === 'and') {
    const l = eqAttributes(f.left);
    const r = eqAttributes(f.right);
    return l && r ? { ...l, ...r } : undefined;
  }
  return undefined;
}

function matching(t: Target, filter: ScimFilter): { arr: unknown[]; hits: number[] } {
  const arr = Array.isArray(t.obj[t.key]) ? [...(t.obj[t.key] as unknown[])] : [];
  const hits: number[] = [];
  arr.forEach((el, i) => {
    try {
      // Evaluate as `key[filter]` on a one-element resource so caseExact rules see `members.value`.
      if (matchesScimFilter({ kind: 'valuePath', path: { name: t.key }, filter }, { [t.key]: [el] })) hits.push(i);
    } catch (err) {
      if (err instanceof ScimFilterEvalError) throw badRequest('invalidFilter', err.message);
      throw err;
    }
  });
  return { arr, hits };
}

function withFilter(op: 'add' | 'replace', t: Target, p: PatchPath, value: unknown, rules: PatchRules): void {
  const { arr, hits } = matching(t, p.filter!);
  if (hits.length === 0) {
    if (op === 'replace' && rules.replaceNeedsTarget) throw badRequest('noTarget', `no value of '${t.key}' matches the path's filter`);
    const base = eqAttributes(p.filter!);
    if (!base) {
      if (op === 'replace') throw badRequest('noTarget', `no value of '${t.key}' matches the path's filter`);
      throw badRequest('invalidPath', `cannot add through a filter other than eq comparisons joined by and`);
    }
    const created = p.sub ? { ...base, [canonicalName(p.sub)]: value } : { ...base, ...(isObject(value) ? value : { value }) };
    arr.push(created);
    normalizePrimary(arr, arr.length - 1);
    t.obj[t.key] = arr;
    return;
  }
  for (const i of hits) {
    const el: Json = isObject(arr[i]) ? { ...(arr[i] as Json) } : { value: arr[i] };
    if (p.sub) {
      const k = keyIn(el, p.sub);
      if (value === null) delete el[k];
      else el[k] = value;
      arr[i] = el;
    } else if (op === 'replace') {
      arr[i] = value;
    } else if (isObject(value)) {
      arr[i] = { ...el, ...value };
    }
  }
  normalizePrimary(arr, hits[hits.length - 1]);
  t.obj[t.key] = arr;
}

function applyOne(doc: Json, op: 'add' | 'replace' | 'remove', pathText: string | undefined, value: unknown, rules: PatchRules): void {
  if (pathText === undefined) {
    if (op === 'remove') throw badRequest('noTarget', "remove needs a 'path'");
    if (!isObject(value)) throw badRequest('invalidValue', `${op} without 'path' needs an object 'value'`);
    for (const [k, v] of Object.entries(value)) {
      if (isSchemaUrn(k) && isObject(v) && !/[.[]/.test(k.slice(k.lastIndexOf(':') + 1))) {
        const urn = keyIn(doc, k);
        const ext = (isObject(doc[urn]) ? doc[urn] : (doc[urn] = {})) as Json;
        for (const [sk, sv] of Object.entries(v)) (op === 'add' ? addAt : replaceAt)(ext, keyIn(ext, sk), sv);
      } else if (/[.[]/.test(k) || isSchemaUrn(k)) {
        // `{"name.givenName": "Ann"}` (Azure AD) and `{"urn:…:User:department": "x"}` carry paths as keys.
        applyOne(doc, op, k, v, rules);
      } else {
        const t = target(doc, { name: k }, rules, true)!;
        (op === 'add' ? addAt : replaceAt)(t.obj, t.key, v);
      }
    }
    return;
  }
  const p = parsePath(pathText);
  if (op !== 'remove' && value === undefined) throw badRequest('invalidValue', `${op} of '${pathText}' needs a 'value'`);
  const t = target(doc, p.attr, rules, op !== 'remove');
  if (!t) return; // removing from an extension the resource does not have: nothing to do

  if (p.filter) {
    if (op === 'remove') {
      const { arr, hits } = matching(t, p.filter);
      if (p.sub) {
        for (const i of hits) {
          if (isObject(arr[i])) {
            const el = { ...(arr[i] as Json) };
            delete el[keyIn(el, p.sub)];
            arr[i] = el;
          }
        }
        t.obj[t.key] = arr;
      } else {
        const kept = arr.filter((_, i) => !hits.includes(i));
        if (kept.length > 0) t.obj[t.key] = kept;
        else delete t.obj[t.key];
      }
      return;
    }
    withFilter(op, t, p, value, rules);
    return;
  }

  const sub = p.attr.sub;
  if (sub === undefined) {
    if (op === 'remove') {
      const current = t.obj[t.key];
      if (value !== undefined && Array.isArray(current)) {
        const drop = Array.isArray(value) ? value : [value];
        const kept = current.filter((x) => !drop.some((d) => sameValue(x, d) || (isObject(x) && isObject(d) && x['value'] === d['value'])));
        if (kept.length > 0) t.obj[t.key] = kept;
        else delete t.obj[t.key];
      } else {
        delete t.obj[t.key];
      }
      return;
    }
    (op === 'add' ? addAt : replaceAt)(t.obj, t.key, value);
    return;
  }

  // `name.givenName`: a sub-attribute of a complex attribute.
  const current = t.obj[t.key];
  if (Array.isArray(current) || (current === undefined && isMultiValued(t.key))) {
    if (op === 'remove') {
      const arr = ((current as unknown[] | undefined) ?? []).map((el) => {
        if (!isObject(el)) return el;
        const copy = { ...el };
        delete copy[keyIn(copy, sub)];
        return copy;
      });
      t.obj[t.key] = arr;
      return;
    }
    throw badRequest('invalidPath', `'${t.key}' is multi-valued: address one value with a filter, e.g. ${t.key}[type eq "work"].${sub}`);
  }
  if (op === 'remove') {
    if (isObject(current)) {
      const copy = { ...current };
      delete copy[keyIn(copy, sub)];
      if (Object.keys(copy).length > 0) t.obj[t.key] = copy;
      else delete t.obj[t.key];
    }
    return;
  }
  const obj = isObject(current) ? { ...current } : {};
  const k = keyIn(obj, sub);
  if (value === null) delete obj[k];
  else obj[k] = value;
  t.obj[t.key] = obj;
}

/**
 * Applies PATCH operations to a copy of `doc` and returns it. Throws ScimHttpError 400 with the
 * RFC's scimType (`invalidPath`, `noTarget`, `mutability`, `invalidValue`, `invalidFilter`).
 */
export function applyPatch(doc: Json, body: unknown, rules: PatchRules): Json {
  const ops = readPatchRequest(body);
  const out = structuredClone(doc);
  for (const o of ops) applyOne(out, o.op, o.path, o.value, rules);
  return out;
}
