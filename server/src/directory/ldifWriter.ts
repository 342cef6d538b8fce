/**
 * RFC 2849 LDIF writer for content records (what `ldapsearch -L` and `ldifde -f` produce): unsafe
 * values base64-encoded (`::`), long lines folded. Used to write exports and the fixture's seed.
 */

/** Column at which lines are folded; RFC 2849 allows any, ldapsearch folds at 76 (ldif-wrap default). */
const WRAP = 76;

/** One content record: a DN and its attributes, values as text or bytes. */
export interface LdifRecord {
  readonly dn: string;
  readonly attributes: Readonly<Record<string, ReadonlyArray<string | Uint8Array>>>;
}

/**
 * RFC 2849 SAFE-STRING: no NUL/LF/CR, only ASCII, does not start with space, `:` or `<`. A
 * trailing space is also encoded (the RFC recommends it, readers may strip it otherwise).
 */
function isSafe(text: string): boolean {
  if (text === '') return true;
  if (/^[ :<]/.test(text) || text.endsWith(' ')) return false;
  return /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(text);
}

function fold(line: string): string {
  if (line.length <= WRAP) return line;
  const parts = [line.slice(0, WRAP)];
  for (let i = WRAP; i < line.length; i += WRAP - 1) parts.push(' ' + line.slice(i, i + WRAP - 1));
  return parts.join('\n');
}

/** One `name: value` or `name:: base64` line, folded. */
export function formatLdifLine(name: string, value: string | Uint8Array): string {
  if (typeof value === 'string' && isSafe(value)) return fold(`${name}: ${value}`);
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return fold(`${name}:: ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`);
}

/** A whole record, terminated by an empty line. */
export function formatLdifRecord(record: LdifRecord): string {
  const lines = [formatLdifLine('dn', record.dn)];
  for (const [name, values] of Object.entries(record.attributes)) {
    for (const v of values) lines.push(formatLdifLine(name, v));
  }
  return lines.join('\n') + '\n\n';
}

/** The `version: 1` header line RFC 2849 files start with. */
export const LDIF_HEADER = 'version: 1\n\n';
