/**
 * Email addresses as directory values (a user's `uid` → SCIM `userName`): RFC 5322's addr-spec in
 * its dot-atom form (no display name, no quoted local part, no comments), with RFC 6531's UTF-8
 * allowed in both halves. So `<`, `>`, spaces, quotes, brackets, controls and a second `@` are
 * refused: none of them belongs in an address a cloud account is named by.
 */

/** RFC 5322 §3.2.3 atext, plus any non-ASCII letter, mark or number (RFC 6531 UTF8-non-ascii, minus controls and separators). */
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\p{L}\p{M}\p{N}]+$/u;
/** A DNS label (IDNs in their Unicode form allowed): letters, digits, hyphens inside. */
const LABEL = /^[A-Za-z0-9\p{L}\p{M}\p{N}](?:[A-Za-z0-9\-\p{L}\p{M}\p{N}]{0,61}[A-Za-z0-9\p{L}\p{M}\p{N}])?$/u;

/** True for `local@domain` with a dot-atom local part (≤ 64 octets) and a domain of at least two labels. */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (utf8Length(local) > 64) return false;
  if (!local.split('.').every((atom) => ATOM.test(atom))) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  // The top-level domain is not numeric (an IP literal is not a mail domain here).
  return !/^\d+$/.test(labels.at(-1)!);
}

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
