/**
 * Canonical RFC 4515 text of a filter: no spaces, values re-escaped. Text values keep their
 * characters and escape only what RFC 4515 §3 requires (`(` `)` `*` `\` NUL) plus control
 * characters; values that are not UTF-8 (objectGUID bytes) are escaped byte by byte.
 */
import { BINARY_ATTRIBUTES } from '../adValues';
import type { AssertionValue, AttributeDescription, FilterNode } from './ast';

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

let current: AttributeDescription | undefined;
const v = (value: AssertionValue) =>
  escapeFilterValue(value.bytes, current !== undefined && BINARY_ATTRIBUTES.has(current.name.toLowerCase()));

/** Canonical RFC 4515 text of a filter (values re-escaped), e.g. for logging or sending to a server. */
export function formatFilter(filter: FilterNode): string {
  current = 'attribute' in filter ? filter.attribute : undefined;
  switch (filter.type) {
    case 'and':
      return `(&${filter.filters.map(formatFilter).join('')})`;
    case 'or':
      return `(|${filter.filters.map(formatFilter).join('')})`;
    case 'not':
      return `(!${formatFilter(filter.filter)})`;
    case 'equality':
      return `(${filter.attribute.text}=${v(filter.value)})`;
    case 'approx':
      return `(${filter.attribute.text}~=${v(filter.value)})`;
    case 'greaterOrEqual':
      return `(${filter.attribute.text}>=${v(filter.value)})`;
    case 'lessOrEqual':
      return `(${filter.attribute.text}<=${v(filter.value)})`;
    case 'present':
      return `(${filter.attribute.text}=*)`;
    case 'substrings':
      return `(${filter.attribute.text}=${filter.initial ? v(filter.initial) : ''}*${filter.any
        .map((a) => `${v(a)}*`)
        .join('')}${filter.final ? v(filter.final) : ''})`;
    case 'extensible':
      return `(${filter.attribute?.text ?? ''}${filter.dnAttributes ? ':dn' : ''}${
        filter.matchingRule ? `:${filter.matchingRule.oid}` : ''
      }:=${v(filter.value)})`;
  }
}
