/**
 * The planner's DN key: equal for DNs that name the same entry as AD writes them (its `member`
 * and `manager` values use the entries' own DN text, differing at most in case and blanks).
 * Plain DNs (no escapes, quotes or multi-valued RDNs — almost all of them) get a cheap
 * lower-cased, blank-trimmed key; others go through the full RFC 4514 normalizer, which is exact
 * but ~20× slower (100k users + 100k memberships would spend seconds there).
 */
import { normalizeDn } from '../language/dn';

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
  return normalizeDn(dn) ?? dn.toLowerCase();
}
