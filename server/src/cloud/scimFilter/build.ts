/**
 * Builds SCIM filters and PATCH paths as data and writes them as text, escaping values per
 * RFC 7644 §3.4.2.2 (compValue strings are JSON strings, RFC 7159 §7). Use this instead of string
 * concatenation: `userName eq "` + value + `"` breaks on a quote or backslash in AD data.
 *
 * @example
 *   const f = scimFilter.and(scimFilter.eq('userName', mail), scimFilter.pr('externalId'));
 *   formatScimFilter(f) // 'userName eq "a@b.c" and externalId pr'
 */
import type { AttrPath, CompareOp, CompValue, PatchPath, ScimFilter } from './ast';

const NAME = String.raw`\$?[A-Za-z][A-Za-z0-9_-]*`;
const ATTR_PATH = new RegExp(String.raw`^(?:(urn:(?:[A-Za-z0-9._%-]+:)+))?(${NAME})(?:\.(${NAME}))?$`, 'i');

/** Parses `name`, `name.sub` or `urn:…:name[.sub]` without the grammar (cheap; used by builders). */
export function attrPath(text: string | AttrPath): AttrPath {
  if (typeof text !== 'string') return text;
  const m = ATTR_PATH.exec(text);
  if (!m) throw new TypeError(`not a SCIM attribute path: ${JSON.stringify(text)}`);
  const path: { uri?: string; name: string; sub?: string } = { name: m[2]! };
  if (m[1]) path.uri = m[1].slice(0, -1);
  if (m[3]) path.sub = m[3];
  return path;
}

/** `urn:…:User:name.givenName`. */
export function formatAttrPath(path: AttrPath): string {
  return (path.uri ? `${path.uri}:` : '') + path.name + (path.sub ? `.${path.sub}` : '');
}

/** A comparison value as filter text: strings JSON-escaped in double quotes. */
export function formatCompValue(value: CompValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  return String(value);
}

function precedence(f: ScimFilter): number {
  return f.kind === 'or' ? 1 : f.kind === 'and' ? 2 : 3;
}

/** Writes a filter as RFC 7644 text; `parseScimFilter(formatScimFilter(f))` deep-equals `f`. */
export function formatScimFilter(f: ScimFilter): string {
  switch (f.kind) {
    case 'compare':
      return `${formatAttrPath(f.path)} ${f.op} ${formatCompValue(f.value)}`;
    case 'present':
      return `${formatAttrPath(f.path)} pr`;
    case 'not':
      return `not (${formatScimFilter(f.filter)})`;
    case 'valuePath':
      return `${formatAttrPath(f.path)}[${formatScimFilter(f.filter)}]`;
    case 'and':
    case 'or': {
      const p = precedence(f);
      // Left-associative: the right operand needs parentheses at equal precedence.
      const left = precedence(f.left) < p ? `(${formatScimFilter(f.left)})` : formatScimFilter(f.left);
      const right = precedence(f.right) <= p ? `(${formatScimFilter(f.right)})` : formatScimFilter(f.right);
      return `${left} ${f.kind} ${right}`;
    }
  }
}

/** Writes a PATCH path: `members`, `name.givenName`, `emails[type eq "work"].value`. */
export function formatPatchPath(p: PatchPath): string {
  if (!p.filter) return formatAttrPath(p.attr);
  return `${formatAttrPath(p.attr)}[${formatScimFilter(p.filter)}]` + (p.sub ? `.${p.sub}` : '');
}

type Attr = string | AttrPath;

function compare(op: CompareOp) {
  return (attr: Attr, value: CompValue): ScimFilter => ({ kind: 'compare', path: attrPath(attr), op, value });
}

function fold(kind: 'and' | 'or', parts: ScimFilter[]): ScimFilter {
  if (parts.length === 0) throw new TypeError(`${kind}() needs at least one filter`);
  return parts.reduce((left, right) => ({ kind, left, right }));
}

/** Filter builders. Every value is escaped when the filter is formatted. */
export const scimFilter = {
  eq: compare('eq'),
  ne: compare('ne'),
  co: compare('co'),
  sw: compare('sw'),
  ew: compare('ew'),
  gt: compare('gt'),
  ge: compare('ge'),
  lt: compare('lt'),
  le: compare('le'),
  pr: (attr: Attr): ScimFilter => ({ kind: 'present', path: attrPath(attr) }),
  and: (...parts: ScimFilter[]): ScimFilter => fold('and', parts),
  or: (...parts: ScimFilter[]): ScimFilter => fold('or', parts),
  not: (filter: ScimFilter): ScimFilter => ({ kind: 'not', filter }),
  /** `emails[type eq "work"]`: one element of a multi-valued attribute matches `filter`. */
  valuePath: (attr: Attr, filter: ScimFilter): ScimFilter => ({ kind: 'valuePath', path: attrPath(attr), filter }),
  /** `attr eq v1 or attr eq v2 …`, e.g. to look up a batch of userNames in one request. */
  anyOf: (attr: Attr, values: readonly CompValue[]): ScimFilter =>
    fold(
      'or',
      values.map((v) => compare('eq')(attr, v)),
    ),
} as const;

/** PATCH path builders. */
export const scimPath = {
  attr: (attr: Attr): PatchPath => ({ attr: attrPath(attr) }),
  /** `emails[type eq "work"].value` = `scimPath.valuePath('emails', scimFilter.eq('type', 'work'), 'value')`. */
  valuePath: (attr: Attr, filter: ScimFilter, sub?: string): PatchPath =>
    sub ? { attr: attrPath(attr), filter, sub } : { attr: attrPath(attr), filter },
} as const;
