/**
 * Base-DN scoping for the LDIF source, on top of the language service's RFC 4514 DN parser
 * (`language/dn.ts`): AD compares DNs without case, and "is this entry under that base DN" must be
 * decided RDN by RDN — a string suffix test would put `CN=a\,DC=com` under `DC=com`.
 */
import { foldCase, normalizeAttributeType, parseDn } from '../language/dn';

export { dnEquals as sameDn, normalizeDn } from '../language/dn';

/** Normalized RDNs of a DN, leaf first; throws naming the text when it is not a DN. */
export function normalizedRdns(dn: string): string[] {
  const parsed = parseDn(dn);
  if (!parsed) throw new Error(`"${dn}" is not a valid DN (RFC 4514)`);
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
