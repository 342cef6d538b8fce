/**
 * Distinguished names (RFC 4514), the one place for them: parsing, syntax checks for the config,
 * comparison keys, and base-DN scoping. AD returns `CN=Ada,OU=People,DC=corp`, a filter or a config
 * may say `cn=ada, ou=people,dc=corp`; both name the same entry. Pure: no I/O.
 */
import { shown } from './text';

/** One attribute-value assertion of an RDN, value unescaped. */
export interface DnAva {
  readonly type: string;
  readonly value: string;
}

/** A DN as a list of RDNs, leaf first; each RDN has one or more AVAs (`cn=a+sn=b`). */
export type ParsedDn = ReadonlyArray<ReadonlyArray<DnAva>>;

const HEX = /^[0-9a-fA-F]{2}$/;
const ENCODER = new TextEncoder();
/** Characters that end a run of plain value characters. */
const VALUE_END = new Set(['\\', ',', '+', ';']);

/**
 * Parses an RFC 4514 string DN, also accepting the spaces around `,`, `+` and `=` that RFC 1779
 * and AD tools allow. Returns undefined when the text is not a DN. The empty string is the root
 * DSE's DN (no RDNs).
 */
export function parseDn(text: string): ParsedDn | undefined {
  const rdns: DnAva[][] = [];
  if (text.trim() === '') return [];
  let i = 0;
  let rdn: DnAva[] = [];
  const n = text.length;
  const skipSpaces = () => {
    while (i < n && text[i] === ' ') i++;
  };
  for (;;) {
    skipSpaces();
    // attributeType: descr or numericoid (RFC 4512 §1.4); AD also accepts `OID.1.2.3`.
    const typeStart = i;
    while (i < n && /[A-Za-z0-9.-]/.test(text[i]!)) i++;
    const type = text.slice(typeStart, i);
    if (!/^([A-Za-z][A-Za-z0-9-]*|(OID\.|oid\.)?\d+(\.\d+)*)$/.test(type)) return undefined;
    skipSpaces();
    if (text[i] !== '=') return undefined;
    i++;
    skipSpaces();
    let value = '';
    if (text[i] === '#') {
      // Hex-encoded BER value: keep as written (compared case-insensitively anyway).
      const start = i;
      i++;
      while (i < n && /[0-9a-fA-F]/.test(text[i]!)) i++;
      value = text.slice(start, i);
    } else if (text[i] === '"') {
      // RFC 1779 quoted value.
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      if (text[i] !== '"') return undefined;
      i++;
    } else {
      // Runs of plain characters are taken whole (one encode each: a DN of megabytes parses in
      // linear time); `\XX` escapes may spell a multi-byte UTF-8 character across several pairs.
      const parts: Uint8Array[] = [];
      let trailingSpaces = 0;
      while (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        if (text[i] === '\\') {
          const pair = text.slice(i + 1, i + 3);
          if (HEX.test(pair)) {
            parts.push(Uint8Array.of(parseInt(pair, 16)));
            i += 3;
          } else if (i + 1 < n) {
            parts.push(ENCODER.encode(text[i + 1]!));
            i += 2;
          } else {
            return undefined;
          }
          trailingSpaces = 0;
          continue;
        }
        const start = i;
        while (i < n && !VALUE_END.has(text[i]!)) i++;
        const run = text.slice(start, i);
        trailingSpaces = run.length - run.replace(/ +$/, '').length;
        parts.push(ENCODER.encode(run));
      }
      let length = 0;
      for (const p of parts) length += p.length;
      const bytes = new Uint8Array(length);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
      // Unescaped trailing spaces are not part of the value (RFC 4514 §3 requires escaping them).
      value = new TextDecoder().decode(bytes.subarray(0, length - trailingSpaces));
    }
    rdn.push({ type, value });
    skipSpaces();
    if (i >= n) {
      rdns.push(rdn);
      return rdns;
    }
    const sep = text[i];
    i++;
    if (sep === ',' || sep === ';') {
      rdns.push(rdn);
      rdn = [];
    } else if (sep !== '+') {
      return undefined;
    }
  }
}

/** Attribute type names AD and RFC 4519 write both as a name and an OID. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'cn',
  '2.5.4.11': 'ou',
  '2.5.4.10': 'o',
  '0.9.2342.19200300.100.1.25': 'dc',
  '2.5.4.6': 'c',
  '2.5.4.7': 'l',
  '2.5.4.8': 'st',
  '0.9.2342.19200300.100.1.1': 'uid',
};

/** Lower-cased attribute type, `OID.` prefix dropped, well-known OIDs as names. */
export function normalizeAttributeType(type: string): string {
  const t = type.replace(/^oid\./i, '').toLowerCase();
  return TYPE_ALIASES[t] ?? t;
}

/** Case-insensitive comparison key for directory strings (AD compares them without case). */
export function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * A comparison key for a DN: types normalized, values unescaped and case-folded, AVAs of a
 * multi-valued RDN sorted. Undefined when the text is not a DN.
 */
export function normalizeDn(text: string): string | undefined {
  // Filters compare the same few DNs (memberOf targets, objectCategory) against many entries.
  if (normalized.has(text)) return normalized.get(text);
  if (normalized.size >= 10_000) normalized.clear();
  const key = computeNormalizedDn(text);
  normalized.set(text, key);
  return key;
}

const normalized = new Map<string, string | undefined>();

function computeNormalizedDn(text: string): string | undefined {
  const dn = parseDn(text);
  if (!dn) return undefined;
  return dn
    .map((rdn) =>
      rdn
        .map((ava) => `${normalizeAttributeType(ava.type)}=${foldCase(ava.value)}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

/** True when both texts are DNs naming the same entry (case-insensitive, spacing-insensitive). */
export function dnEquals(a: string, b: string): boolean {
  const na = normalizeDn(a);
  return na !== undefined && na === normalizeDn(b);
}

/** True when the text parses as a DN with at least one RDN (`CN=x,DC=y`). */
export function looksLikeDn(text: string): boolean {
  const dn = parseDn(text);
  return dn !== undefined && dn.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Syntax checks for DNs typed into a config (the language service's diagnostics).
// ---------------------------------------------------------------------------------------------
const ATTR_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

/** The common case (`CN=a b,OU=c,DC=d`): no escapes, no multi-valued RDNs, no special characters. */
const SIMPLE_DN = /^[A-Za-z][A-Za-z0-9-]* *= *[^,+"\\;<>=\s][^,+"\\;<>=]*(?:, *[A-Za-z][A-Za-z0-9-]* *= *[^,+"\\;<>=\s][^,+"\\;<>=]*)*$/;

/** RFC 4514 distinguished name syntax; returns a reason or undefined. */
export function checkDn(dn: string): string | undefined {
  if (SIMPLE_DN.test(dn)) return undefined;
  if (dn.trim() === '') return 'empty DN';
  // Split on unescaped `,` (RFC 4514 §3) and `+` (multi-valued RDNs).
  let i = 0;
  let expectType = true;
  let type = '';
  let value = '';
  const rdns: Array<[string, string]> = [];
  const flush = (): string | undefined => {
    const t = type.trim();
    if (!ATTR_TYPE.test(t)) return t ? `\`${t}\` is not an attribute type` : 'missing attribute type before `=`';
    if (value.trim() === '') return `\`${t}=\` has an empty value`;
    rdns.push([t, value]);
    type = '';
    value = '';
    return undefined;
  };
  while (i < dn.length) {
    const c = dn[i]!;
    if (expectType) {
      if (c === '=') {
        expectType = false;
      } else if (c === ',' || c === '+') {
        return `\`${(type + c).trim()}\` is not \`type=value\``;
      } else {
        type += c;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      const next = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(next)) {
        value += dn.slice(i, i + 3);
        i += 3;
        continue;
      }
      if (i + 1 < dn.length && ' "#+,;<=>\\'.includes(dn[i + 1]!)) {
        value += dn.slice(i, i + 2);
        i += 2;
        continue;
      }
      return 'a `\\` must escape a special character or two hex digits';
    }
    if (c === ',' || c === '+') {
      const err = flush();
      if (err) return err;
      expectType = true;
      i++;
      continue;
    }
    if (c === '"' || c === ';' || c === '<' || c === '>') return `\`${c}\` must be escaped as \`\\${c}\``;
    value += c;
    i++;
  }
  if (expectType) return type.trim() ? `\`${type.trim()}\` is not \`type=value\`` : 'a DN cannot end with `,`';
  return flush();
}

/** The `DC=` components of a DN as a DNS domain (`DC=corp,DC=example,DC=com` → `corp.example.com`). */
export function dnToDomain(dn: string): string | undefined {
  const dcs = [...dn.matchAll(/(?:^|,)\s*dc=([^,]+)/gi)].map((m) => m[1]!.trim());
  return dcs.length ? dcs.join('.').toLowerCase() : undefined;
}

// ---------------------------------------------------------------------------------------------
// Comparison keys. The planner's DN key: equal for DNs that name the same entry as AD writes them (its `member`
// and `manager` values use the entries' own DN text, differing at most in case and blanks).
// Plain DNs (no escapes, quotes or multi-valued RDNs — almost all of them) get a cheap
// lower-cased, blank-trimmed key; others go through the full RFC 4514 normalizer, which is exact
// but ~20× slower (100k users + 100k memberships would spend seconds there).
// ---------------------------------------------------------------------------------------------
const PLAIN = /^[^\\"+#;<>]*$/;

/**
 * A flat copy of a string that is kept for the whole run. Values parsed from LDIF or LDAP are
 * often slices of a much larger buffer string, which a kept slice would keep alive.
 */
export function ownString(s: string): string;
export function ownString(s: string | undefined): string | undefined;
export function ownString(s: string | undefined): string | undefined {
  return s === undefined || s.length < 13 ? s : (' ' + s).slice(1);
}

export function dnKey(dn: string): string {
  if (PLAIN.test(dn)) {
    // Most DNs have nothing to trim (no blank beside a `,` or `=`, none at either end) and a `=` in
    // every RDN: their key is their lower case, without splitting them.
    if (!BLANK_BY_SEPARATOR.test(dn) && everyRdnHasType(dn)) return dn.toLowerCase();
    const parts = dn.split(',');
    for (let i = 0; i < parts.length; i++) {
      const rdn = parts[i]!;
      const eq = rdn.indexOf('=');
      if (eq < 0) return normalizeDn(dn) ?? dn.toLowerCase();
      parts[i] = `${rdn.slice(0, eq).trim()}=${rdn.slice(eq + 1).trim()}`;
    }
    // One flat string (a Map key for 100k entries): join, not repeated `+=`.
    return parts.join(',').toLowerCase();
  }
  return (COMMA_ESCAPED.test(dn) && commaEscapedKey(dn)) || normalizeDn(dn) || dn.toLowerCase();
}

/** A blank that the plain key's trimming would remove: beside a `,` or `=`, or at either end. */
const BLANK_BY_SEPARATOR = /\s[,=]|[,=]\s|^\s|\s$/;

/** Whether each comma-separated RDN of `dn` has a `=`. */
function everyRdnHasType(dn: string): boolean {
  let seen = false;
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if (c === 0x3d) seen = true;
    else if (c === 0x2c) {
      if (!seen) return false;
      seen = false;
    }
  }
  return seen;
}

/**
 * DNs whose only escapes are `\,` (AD's "CN=Doe\, Jane" names): the key `normalizeDn` gives,
 * without its parser (at 100k users, their own DNs and their managers' went through it, and its
 * memo of 10,000 DNs kept none of them for long). Undefined when an RDN is not `type=value`.
 */
const COMMA_ESCAPED = /^(?:[^\\"+#;<>]|\\,)*$/;

function commaEscapedKey(dn: string): string | undefined {
  const parts = dn.split(/(?<!\\),/);
  for (let i = 0; i < parts.length; i++) {
    const rdn = parts[i]!;
    const eq = rdn.indexOf('=');
    if (eq < 0) return undefined;
    const type = rdn.slice(0, eq).trim();
    const value = rdn.slice(eq + 1).trim();
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(type) || value.endsWith('\\')) return undefined;
    parts[i] = `${normalizeAttributeType(type)}=${foldCase(value.replaceAll('\\,', ','))}`;
  }
  return parts.join(',');
}

/**
 * The exact key (types normalized, values unescaped and case-folded) with a fallback for text that
 * is not a DN: the live previews compare the config's base DNs with what the directory returns.
 */
export function canonicalDnKey(dn: string): string {
  return normalizeDn(dn) ?? foldCase(dn.trim());
}

/** True when `dn` is `base` or below it, compared by `dnKey` (the config checks use it). */
export function isUnderDn(dn: string, base: string): boolean {
  const d = dnKey(dn);
  const b = dnKey(base);
  return d === b || d.endsWith(',' + b);
}

// ---------------------------------------------------------------------------------------------
// Base-DN scoping for the LDIF source: AD compares DNs without case, and "is this entry under that
// base DN" must be decided RDN by RDN — a string suffix test would put `CN=a\,DC=com` under `DC=com`.
// ---------------------------------------------------------------------------------------------
/** Normalized RDNs of a DN, leaf first; throws naming the text when it is not a DN. */
export function normalizedRdns(dn: string): string[] {
  const parsed = parseDn(dn);
  if (!parsed) throw new Error(`"${shown(dn)}" is not a valid DN (RFC 4514)`);
  // JSON-quoted values keep a value's own "," or "+" from reading as a separator.
  return parsed.map((rdn) =>
    rdn
      .map((ava) => `${normalizeAttributeType(ava.type)}=${JSON.stringify(foldCase(ava.value))}`)
      .sort()
      .join('+'),
  );
}

/** True when the entry is the base or lies below it (subtree scope); both from normalizedRdns. */
export function isUnderRdns(dn: readonly string[], base: readonly string[]): boolean {
  if (base.length > dn.length) return false;
  const offset = dn.length - base.length;
  for (let i = 0; i < base.length; i++) if (dn[offset + i] !== base[i]) return false;
  return true;
}

/** True when `dn` is `base` or lies below it (case-insensitive, escapes and spacing ignored). */
export function isUnder(dn: string, base: string): boolean {
  return isUnderRdns(normalizedRdns(dn), normalizedRdns(base));
}
