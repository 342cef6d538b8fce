/**
 * Distinguished names (RFC 4514) for comparisons: AD returns `CN=Ada,OU=People,DC=corp`, a filter
 * or a config may say `cn=ada, ou=people,dc=corp`; both name the same entry. Pure: no I/O.
 */

/** One attribute-value assertion of an RDN, value unescaped. */
export interface DnAva {
  readonly type: string;
  readonly value: string;
}

/** A DN as a list of RDNs, leaf first; each RDN has one or more AVAs (`cn=a+sn=b`). */
export type ParsedDn = ReadonlyArray<ReadonlyArray<DnAva>>;

const HEX = /^[0-9a-fA-F]{2}$/;

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
      const bytes: number[] = [];
      let trailingSpaces = 0;
      const encoder = new TextEncoder();
      while (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        const c = text[i]!;
        if (c === '\\') {
          const pair = text.slice(i + 1, i + 3);
          if (HEX.test(pair)) {
            bytes.push(parseInt(pair, 16));
            i += 3;
          } else if (i + 1 < n) {
            bytes.push(...encoder.encode(text[i + 1]!));
            i += 2;
          } else {
            return undefined;
          }
          trailingSpaces = 0;
          continue;
        }
        trailingSpaces = c === ' ' ? trailingSpaces + 1 : 0;
        const cp = text.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        bytes.push(...encoder.encode(ch));
        i += ch.length;
      }
      // Unescaped trailing spaces are not part of the value (RFC 4514 §3 requires escaping them).
      value = new TextDecoder().decode(new Uint8Array(bytes.slice(0, bytes.length - trailingSpaces)));
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
