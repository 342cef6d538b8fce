/**
 * The planner's DN key: equal for DNs that name the same entry as AD writes them (its `member`
 * and `manager` values use the entries' own DN text, differing at most in case and blanks).
 * Plain DNs (no escapes, quotes or multi-valued RDNs — almost all of them) get a cheap
 * lower-cased, blank-trimmed key; others go through the full RFC 4514 normalizer, which is exact
 * but ~20× slower (100k users + 100k memberships would spend seconds there).
 */
import { normalizeDn } from '../language/dn';

const PLAIN = /^[^\\"+#;<>]*$/;

export function dnKey(dn: string): string {
  if (PLAIN.test(dn)) {
    let out = '';
    for (const rdn of dn.split(',')) {
      const eq = rdn.indexOf('=');
      if (eq < 0) return normalizeDn(dn) ?? dn.toLowerCase();
      out += (out ? ',' : '') + rdn.slice(0, eq).trim().toLowerCase() + '=' + rdn.slice(eq + 1).trim().toLowerCase();
    }
    return out;
  }
  return normalizeDn(dn) ?? dn.toLowerCase();
}
