/**
 * RFC 4515 §3 escaping of an assertion value, the one copy: the language service formats filters
 * with it, the directory side builds the filters it sends with it. Text values keep their
 * characters and escape only what RFC 4515 requires (`(` `)` `*` `\\` NUL) plus control
 * characters; values that are not UTF-8 (objectGUID bytes) are escaped byte by byte.
 */
const MUST_ESCAPE = new Set([0x00, 0x28, 0x29, 0x2a, 0x5c]);
const hex = (b: number) => `\\${b.toString(16).padStart(2, '0')}`;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Escapes octets (or text, as UTF-8) for use as an RFC 4515 assertion value. With `binary`, or
 * when the octets are not UTF-8, every octet is escaped (objectGUID → \4d\0f…).
 */
export function escapeFilterValue(value: Uint8Array | string, binary = false): string {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  let text: string | undefined;
  try {
    text = binary ? undefined : strictUtf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined) return Array.from(bytes, hex).join('');
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += MUST_ESCAPE.has(cp) || cp < 0x20 || cp === 0x7f ? hex(cp) : ch;
  }
  return out;
}
