/**
 * Local evaluation of a filter against one entry, with the semantics of RFC 4511 §4.5.1.7 as
 * Active Directory applies them. The offline LDIF source selects entries with it, and previews
 * explain with it why an entry is in or out, so it follows AD rather than a simplification:
 *
 * - Three-valued logic: an item is TRUE, FALSE or UNDEFINED; (!UNDEFINED) is still UNDEFINED and
 *   only TRUE selects an entry. UNDEFINED comes from an attribute the schema does not know
 *   (`options.isKnownAttribute`), an unknown matching rule or an invalid assertion value (a
 *   bitwise rule with a non-integer, in-chain with a non-DN, wildcards on a DN attribute).
 * - Attribute names are case-insensitive; values of directory strings compare without case.
 *   DN-valued attributes (and values that are both DNs) compare as DNs (spacing and case ignored).
 * - Binary values (objectGUID, objectSid, …) compare by bytes, as `\XX` escapes spell them;
 *   objectSid also accepts the `S-1-5-…` text form, as AD does.
 * - `>=`/`<=` compare integers numerically when both sides are integers, else case-insensitive by
 *   UTF-16 code units (right for generalized time and most strings).
 * - `~=` is equality ignoring case and all whitespace (AD's approximate match is not specified;
 *   this is a documented approximation).
 * - `objectCategory=person` uses AD's shorthand: a class name stands for the class's
 *   defaultObjectCategory DN (`CN=Person,CN=Schema,…`); user, contact and inetOrgPerson map to Person.
 */
import { BINARY_ATTRIBUTES, formatSid } from '../../domain/adValues';
import { dnEquals, foldCase, looksLikeDn, normalizeAttributeType, parseDn } from '../../domain/dn';
import type { DirectoryEntry } from '../../domain/entry';
import { isDnAttribute } from './adAttributes';
import type { AssertionValue, AttributeDescription, FilterNode } from './ast';
import { isFilterInteger } from './checks';
import { findMatchingRule } from './matchingRules';

/** RFC 4511's three truth values of a filter. */
export type FilterTruth = 'true' | 'false' | 'undefined';

export interface MatchOptions {
  /**
   * Resolves LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941): true when `entry`'s
   * `attribute` (memberOf, member, manager, …) reaches `targetDn` through any number of links.
   * Without it only direct values match, i.e. nested groups are not followed.
   */
  memberOfChain?(entry: DirectoryEntry, attribute: string, targetDn: string): boolean;
  /**
   * Schema knowledge: false for attribute names the directory does not define, which makes items
   * on them UNDEFINED (RFC 4511 §4.5.1.7). Without it every attribute is assumed known, so an
   * absent attribute is FALSE and `(!(attr=x))` is TRUE for entries without it.
   */
  isKnownAttribute?(name: string): boolean;
}

type Value = string | Uint8Array;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });

function attributeKey(attr: AttributeDescription | string): string {
  return normalizeAttributeType(typeof attr === 'string' ? attr : attr.name);
}

function valuesOf(entry: DirectoryEntry, name: string): readonly Value[] {
  return entry.attributes[name] ?? entry.attributes[name.toLowerCase()] ?? [];
}

/** A value is compared by bytes when it is bytes of a binary attribute, or bytes that are not UTF-8 text. */
function asBinary(attr: string, v: Value): Uint8Array | undefined {
  if (typeof v === 'string') return undefined;
  if (BINARY_ATTRIBUTES.has(attr)) return v;
  try {
    utf8.decode(v);
    return undefined;
  } catch {
    return v;
  }
}

const asText = (v: Value): string => (typeof v === 'string' ? v : lenientUtf8.decode(v));

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

/** AD classes whose defaultObjectCategory is another class's category (MS-ADSC). */
const CATEGORY_ALIASES: Readonly<Record<string, string>> = { user: 'person', contact: 'person', inetorgperson: 'person' };

/** `objectCategory=person` against `CN=Person,CN=Schema,…`; hyphens ignored (organizationalUnit ↔ Organizational-Unit). */
function objectCategoryMatches(stored: string, shorthand: string): boolean {
  const key = (s: string) => foldCase(s).replace(/-/g, '');
  const wanted = CATEGORY_ALIASES[key(shorthand)] ?? key(shorthand);
  const rdnValue = parseDn(stored)?.[0]?.[0]?.value ?? stored;
  return key(rdnValue) === wanted;
}

function equalityMatch(attr: string, assertion: AssertionValue, v: Value): boolean {
  const bin = asBinary(attr, v);
  if (bin) {
    if (attr === 'objectsid' && /^S-\d+-/i.test(assertion.text)) {
      try {
        return formatSid(bin).toUpperCase() === assertion.text.toUpperCase();
      } catch {
        return false;
      }
    }
    return bytesEqual(bin, assertion.bytes);
  }
  const text = asText(v);
  if (attr === 'objectcategory' && !assertion.text.includes('=')) return objectCategoryMatches(text, assertion.text);
  if (foldCase(text) === foldCase(assertion.text)) return true;
  if (isDnAttribute(attr) || (assertion.text.includes('=') && text.includes('='))) return dnEquals(text, assertion.text);
  return false;
}

function substringsMatch(node: Extract<FilterNode, { type: 'substrings' }>, attr: string, v: Value): boolean {
  const bin = asBinary(attr, v);
  const norm = (a: AssertionValue) => (bin ? latin1(a.bytes) : foldCase(a.text));
  const s = bin ? latin1(bin) : foldCase(asText(v));
  let pos = 0;
  if (node.initial) {
    const init = norm(node.initial);
    if (!s.startsWith(init)) return false;
    pos = init.length;
  }
  for (const a of node.any) {
    const part = norm(a);
    if (part === '') continue;
    const at = s.indexOf(part, pos);
    if (at < 0) return false;
    pos = at + part.length;
  }
  if (node.final) {
    const fin = norm(node.final);
    return s.length - fin.length >= pos && s.endsWith(fin);
  }
  return true;
}

/** <0, 0, >0 for value versus assertion, integers numerically. */
function order(attr: string, assertion: AssertionValue, v: Value): number {
  const bin = asBinary(attr, v);
  if (bin) return compareBytes(bin, assertion.bytes);
  const text = asText(v).trim();
  const a = assertion.text.trim();
  if (isFilterInteger(text) && isFilterInteger(a)) {
    const d = BigInt(text) - BigInt(a);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  const x = foldCase(asText(v));
  const y = foldCase(assertion.text);
  return x < y ? -1 : x > y ? 1 : 0;
}

const squash = (s: string) => foldCase(s).replace(/\s+/g, '');

function approxMatch(attr: string, assertion: AssertionValue, v: Value): boolean {
  const bin = asBinary(attr, v);
  if (bin) return bytesEqual(bin, assertion.bytes);
  return squash(asText(v)) === squash(assertion.text);
}

const fits32 = (x: bigint) => x >= -(2n ** 31n) && x < 2n ** 32n;

/**
 * Bitwise rules on AD integers. AD stores 32-bit attributes signed (groupType of a security group
 * is -2147483646) while filters usually write them unsigned (2147483648); both are the same bits,
 * so values that fit 32 bits are compared as unsigned 32-bit, others as 64-bit.
 */
export function bitwiseMatch(valueText: string, assertionText: string, kind: 'bitAnd' | 'bitOr'): boolean {
  const v = BigInt(valueText.trim());
  const a = BigInt(assertionText.trim());
  const width = fits32(v) && fits32(a) ? 32 : 64;
  const vv = BigInt.asUintN(width, v);
  const aa = BigInt.asUintN(width, a);
  return kind === 'bitAnd' ? (vv & aa) === aa : (vv & aa) !== 0n;
}

/** `B:8:0123abcd:CN=x` / `S:5:hello:CN=x` (Object(DN-Binary) / Object(DN-String), MS-ADTS §3.1.1.2.2.2). */
function parseDnWithData(text: string): { kind: 'B' | 'S'; data: string; dn: string } | undefined {
  const m = /^([BS]):(\d+):/.exec(text);
  if (!m) return undefined;
  const count = Number(m[2]);
  const rest = text.slice(m[0].length);
  if (rest.length < count || rest[count] !== ':') return undefined;
  return { kind: m[1] as 'B' | 'S', data: rest.slice(0, count), dn: rest.slice(count + 1) };
}

function any(values: Iterable<boolean>): boolean {
  for (const v of values) if (v) return true;
  return false;
}

const truth = (b: boolean): FilterTruth => (b ? 'true' : 'false');

function evaluateExtensible(node: Extract<FilterNode, { type: 'extensible' }>, entry: DirectoryEntry, options: MatchOptions): FilterTruth {
  const rule = node.matchingRule ? findMatchingRule(node.matchingRule.oid) : undefined;
  if (node.matchingRule && !rule) return 'undefined';
  const attr = node.attribute ? attributeKey(node.attribute) : undefined;
  if (attr && options.isKnownAttribute && !options.isKnownAttribute(attr)) return 'undefined';

  // The (attribute, value) pairs the rule applies to: the attribute's values, every attribute
  // when none is named, and with :dn: also the AVAs of the entry's DN (RFC 4511 §4.5.1.7.7).
  const pairs: Array<[string, Value]> = [];
  for (const [name, vals] of Object.entries(entry.attributes)) {
    if (attr === undefined || attributeKey(name) === attr) for (const v of vals) pairs.push([attributeKey(name), v]);
  }
  if (node.dnAttributes) {
    for (const rdn of parseDn(entry.dn) ?? []) {
      for (const ava of rdn) {
        const t = normalizeAttributeType(ava.type);
        if (attr === undefined || t === attr) pairs.push([t, ava.value]);
      }
    }
  }
  const value = node.value;

  if (!rule) return truth(any(pairs.map(([a, v]) => equalityMatch(a, value, v))));
  switch (rule.kind) {
    case 'bitAnd':
    case 'bitOr': {
      if (!isFilterInteger(value.text.trim())) return 'undefined';
      return truth(
        any(
          pairs.map(
            ([, v]) => typeof v === 'string' && isFilterInteger(v.trim()) && bitwiseMatch(v, value.text, rule.kind as 'bitAnd' | 'bitOr'),
          ),
        ),
      );
    }
    case 'inChain': {
      if (!node.attribute || !looksLikeDn(value.text)) return 'undefined';
      if (any(pairs.map(([, v]) => dnEquals(asText(v), value.text)))) return 'true';
      return truth(options.memberOfChain?.(entry, node.attribute.name, value.text) ?? false);
    }
    case 'dnWithData': {
      const wanted = parseDnWithData(value.text);
      if (!node.attribute || !wanted) return 'undefined';
      const parsed = pairs.map(([, v]) => parseDnWithData(asText(v)));
      if (parsed.length > 0 && parsed.every((p) => p === undefined)) return 'undefined';
      const rootDse = wanted.dn.trim() === '';
      return truth(
        any(
          parsed.map(
            (p) =>
              p !== undefined &&
              p.kind === wanted.kind &&
              (rootDse || dnEquals(p.dn, wanted.dn)) &&
              (p.kind === 'B' ? p.data.toLowerCase().startsWith(wanted.data.toLowerCase()) : p.data.startsWith(wanted.data)),
          ),
        ),
      );
    }
  }
}

/** RFC 4511 evaluation to TRUE, FALSE or UNDEFINED; see the module comment for AD specifics. */
export function evaluateFilter(filter: FilterNode, entry: DirectoryEntry, options: MatchOptions = {}): FilterTruth {
  switch (filter.type) {
    case 'and': {
      let result: FilterTruth = 'true';
      for (const f of filter.filters) {
        const r = evaluateFilter(f, entry, options);
        if (r === 'false') return 'false';
        if (r === 'undefined') result = 'undefined';
      }
      return result;
    }
    case 'or': {
      let result: FilterTruth = 'false';
      for (const f of filter.filters) {
        const r = evaluateFilter(f, entry, options);
        if (r === 'true') return 'true';
        if (r === 'undefined') result = 'undefined';
      }
      return result;
    }
    case 'not': {
      const r = evaluateFilter(filter.filter, entry, options);
      return r === 'true' ? 'false' : r === 'false' ? 'true' : 'undefined';
    }
    case 'extensible':
      return evaluateExtensible(filter, entry, options);
    default:
      break;
  }
  const attr = attributeKey(filter.attribute);
  const values = valuesOf(entry, attr);
  if (filter.type === 'present') return truth(values.length > 0);
  if (options.isKnownAttribute && !options.isKnownAttribute(attr)) return 'undefined';
  switch (filter.type) {
    case 'equality':
      return truth(any(values.map((v) => equalityMatch(attr, filter.value, v))));
    case 'approx':
      return truth(any(values.map((v) => approxMatch(attr, filter.value, v))));
    case 'greaterOrEqual':
      return truth(any(values.map((v) => order(attr, filter.value, v) >= 0)));
    case 'lessOrEqual':
      return truth(any(values.map((v) => order(attr, filter.value, v) <= 0)));
    case 'substrings':
      // AD has no substring matching for DN syntax: such an item matches nothing either way.
      if (isDnAttribute(attr)) return 'undefined';
      return truth(any(values.map((v) => substringsMatch(filter, attr, v))));
  }
}

/** True when the filter evaluates to TRUE for the entry (FALSE and UNDEFINED both exclude it). */
export function filterMatches(filter: FilterNode, entry: DirectoryEntry, options?: MatchOptions): boolean {
  return evaluateFilter(filter, entry, options) === 'true';
}
