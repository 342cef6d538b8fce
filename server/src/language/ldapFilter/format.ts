/**
 * Canonical RFC 4515 text of a filter: no spaces, values re-escaped. Text values keep their
 * characters and escape only what RFC 4515 §3 requires (`(` `)` `*` `\` NUL) plus control
 * characters; values that are not UTF-8 (objectGUID bytes) are escaped byte by byte.
 */
import { BINARY_ATTRIBUTES } from '../../domain/adValues';
import { escapeFilterValue } from '../../domain/filterValue';
import type { AssertionValue, AttributeDescription, FilterNode } from './ast';

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
