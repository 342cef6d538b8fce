/**
 * Checks of string formats that have no grammar of their own: directory URLs, HTTP URLs, secret
 * references, durations, DNs (RFC 4514), email addresses, DNS domains. Pure functions returning a
 * reason when the value is bad, undefined when it is fine.
 */
import type { DirectorySource, SecretRef } from './types';

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

const SECRET_REF = /^\$\{(env|secret):([^}]*)\}$/;

/** Parses a `${env:NAME}` / `${secret:KEY}` reference: a ref, a format error, or `literal` for a plain value. */
export function parseSecretRef(text: string): SecretRef | { error: string } | 'literal' {
  const m = SECRET_REF.exec(text);
  if (!m) {
    if (text.includes('${')) return { error: 'expected exactly `${env:NAME}` or `${secret:KEY}`' };
    if (text === '') return { error: 'empty secret reference; use `${env:NAME}` or `${secret:KEY}`' };
    return 'literal';
  }
  const name = m[2]!;
  if (m[1] === 'env') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { error: `\`${name}\` is not an environment variable name (letters, digits, _)` };
    return { kind: 'env', name, text };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/.test(name)) return { error: `\`${name}\` is not a secret key (letters, digits, . _ - /)` };
  return { kind: 'secret', key: name, text };
}

/** The environment variable the CLI reads for a reference (`${secret:KEY}` → `DIRSYNC_SECRET_KEY`). */
export function secretEnvName(ref: SecretRef): string {
  return ref.kind === 'env' ? ref.name : `DIRSYNC_SECRET_${ref.key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
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

const ATTR_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

/** RFC 4514 distinguished name syntax; returns a reason or undefined. */
/** The common case (`CN=a b,OU=c,DC=d`): no escapes, no multi-valued RDNs, no special characters. */
const SIMPLE_DN = /^[A-Za-z][A-Za-z0-9-]* *= *[^,+"\\;<>=\s][^,+"\\;<>=]*(?:, *[A-Za-z][A-Za-z0-9-]* *= *[^,+"\\;<>=\s][^,+"\\;<>=]*)*$/;

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
    if (value.trim() === '' ) return `\`${t}=\` has an empty value`;
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

/** Normalizes a DN for comparison: lower-case, spaces around separators dropped. */
export function normalizeDn(dn: string): string {
  const lower = dn.toLowerCase();
  // Spaces inside values (`CN=John Smith`) are significant; only those around separators go.
  return hasSpaceToDrop(lower) ? lower.replace(/\s*([,=+])\s*/g, '$1').trim() : lower;
}

/** `/\s[,=+]|[,=+]\s|^\s|\s$/.test(s)`, as one pass over the characters (DN lists are long). */
function hasSpaceToDrop(s: string): boolean {
  const n = s.length;
  if (!OTHER_SPACE.test(s)) {
    // Only plain spaces (the usual DN): jump from one to the next.
    for (let i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) {
      if (i === 0 || i === n - 1 || isDnSeparator(s.charCodeAt(i - 1)) || isDnSeparator(s.charCodeAt(i + 1))) return true;
    }
    return false;
  }
  for (let i = 0; i < n; i++) {
    if (!isJsSpace(s.charCodeAt(i))) continue;
    if (i === 0 || i === n - 1 || isDnSeparator(s.charCodeAt(i - 1)) || isDnSeparator(s.charCodeAt(i + 1))) return true;
  }
  return false;
}

/** The characters of `\s` other than the plain space. */
const OTHER_SPACE = /[\t-\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

const isDnSeparator = (c: number) => c === 44 /* , */ || c === 61 /* = */ || c === 43; /* + */

/** Exactly the characters of the regex class `\s` (ECMA-262 WhiteSpace and LineTerminator). */
function isJsSpace(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** True when `dn` is `base` or below it. */
export function isUnderDn(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(',' + b);
}
