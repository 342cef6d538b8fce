/**
 * Checks of string formats that have no grammar of their own: directory URLs, HTTP URLs,
 * durations, email addresses, DNS domains (DNs: domain/dn.ts; secret references: common/secretRef.ts). Pure functions returning a
 * reason when the value is bad, undefined when it is fine.
 */
import type { DirectorySource } from '../../../../common/config';

const DIRECTORY_URL = /^(ldaps?):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?\/?$/i;

/** Parses `ldap://host[:port]`, `ldaps://host[:port]` or `ldif:path`. */
export function parseDirectoryUrl(url: string): DirectorySource | { error: string } {
  if (/^ldif:/i.test(url)) {
    const path = url.slice(5);
    if (!path.trim()) return { error: 'an `ldif:` URL needs a file path, e.g. `ldif:./export.ldif`' };
    return { kind: 'ldif', path };
  }
  const m = DIRECTORY_URL.exec(url);
  if (!m) {
    if (/^ldaps?:\/\/.+\/.+/i.test(url)) return { error: 'a directory URL names only the server; put base DNs in `baseDns`' };
    return { error: 'expected `ldap://host[:port]`, `ldaps://host[:port]` or `ldif:./file.ldif`' };
  }
  const secure = m[1]!.toLowerCase() === 'ldaps';
  const port = m[3] ? Number(m[3]) : secure ? 636 : 389;
  if (port < 1 || port > 65535) return { error: `port ${port} is out of range (1–65535)` };
  return { kind: 'ldap', secure, host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

/** An http(s) URL; `{orgId}` placeholders allowed. */
export function checkHttpUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'expected an `https://` or `http://` URL';
  if (u.username || u.password) return 'do not put credentials in a URL; use `credentials` or `token` with a secret reference';
  return undefined;
}

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** `4h`, `30m`, `1h30m`, `7d`, `90s` → seconds; undefined when malformed or zero. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => (x ? Number(x) : 0));
  const total = d! * 86400 + h! * 3600 + min! * 60 + s!;
  return total > 0 ? total : undefined;
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+[A-Za-z]{2,63}$`);
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** A DNS domain with at least two labels. */
export function isDomain(text: string): boolean {
  return text.length <= 253 && DOMAIN.test(text);
}

/** A plain `local@domain` address (RFC 5322 dot-atom; no display names or quoted locals). */
export function isEmail(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0) return false;
  const local = text.slice(0, at);
  if (local.length > 64 || !LOCAL.test(local)) return false;
  // Lists of addresses share their domain: remember the last one checked.
  const domain = text.slice(at + 1);
  if (domain !== lastDomain) {
    lastDomain = domain;
    lastDomainOk = isDomain(domain);
  }
  return lastDomainOk;
}
let lastDomain = '';
let lastDomainOk = isDomain(lastDomain);
