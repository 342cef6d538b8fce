/**
 * Escape-aware offset maps for JSON string literals (RFC 8259 §7). The embedded grammars see the
 * decoded value — `"(cn=a\\2a*)"` in the file is `(cn=a\2a*)` to the LDAP filter grammar — and
 * report offsets into it; `toDocument` maps them back to document offsets through the escapes.
 */
import type { TextRange } from '../../../../common/config';

export interface DecodedString {
  /** The decoded value. */
  readonly value: string;
  /** Document offset of the opening quote. */
  readonly start: number;
  /** Document offset just past the closing quote (or the end of an unterminated string). */
  readonly end: number;
  /**
   * `map[i]` is the document offset of the source text of decoded code unit `i`; `map[value.length]`
   * is the offset of the closing quote. Length `value.length + 1`.
   */
  readonly map: Int32Array;
}

const SIMPLE: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Decodes the JSON string literal whose opening quote is at `start` and which spans `length`
 * characters of `text` (jsonc-parser's node offset/length). Malformed escapes decode as written,
 * so offsets still line up (the parser has reported them as DS100).
 */
export function decodeJsonString(text: string, start: number, length: number): DecodedString {
  const end = start + length;
  const closed = length >= 2 && text.charCodeAt(end - 1) === 34 /* " */;
  const bodyEnd = closed ? end - 1 : end;
  const out: string[] = [];
  const map: number[] = [];
  let i = start + 1;
  while (i < bodyEnd) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= bodyEnd) {
      out.push(c);
      map.push(i);
      i++;
      continue;
    }
    const e = text[i + 1]!;
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out.push(simple);
      map.push(i);
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) && i + 6 <= bodyEnd) {
      out.push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)));
      map.push(i);
      i += 6;
    } else {
      out.push(c);
      map.push(i);
      i++;
    }
  }
  map.push(bodyEnd);
  return { value: out.join(''), start, end, map: Int32Array.from(map) };
}

/** Maps a range in the decoded value to document offsets (ranges are clamped into the value). */
export function toDocument(s: DecodedString, range: TextRange): TextRange {
  const n = s.value.length;
  const a = Math.max(0, Math.min(range.start, n));
  const b = Math.max(a, Math.min(range.end, n));
  const start = s.map[a]!;
  let end = s.map[b]!;
  // A zero-length problem at the very end points at the closing quote, not past it.
  if (end < start) end = start;
  return { start, end };
}

/** Maps a document offset inside the literal to an offset in the decoded value (for completion/hover). */
export function toDecoded(s: DecodedString, offset: number): number {
  const m = s.map;
  if (offset <= m[0]!) return 0;
  // Binary search: the last decoded index whose source starts at or before offset.
  let lo = 0;
  let hi = m.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  // Inside an escape sequence: count as before the escaped character unless at its start.
  return lo;
}

/** JSON-encodes a value for insertion into the document (used by quick fixes and completion). */
export function encodeJsonString(value: string): string {
  return JSON.stringify(value);
}

/** The text to insert inside an existing JSON string for `value` (escapes, no quotes). */
export function escapeJsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}
