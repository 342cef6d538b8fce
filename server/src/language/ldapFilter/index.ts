/**
 * LDAP search filters (RFC 4515) with Active Directory's matching rules. Pure: no I/O.
 *
 * - parseLdapFilter: text → FilterNode with DS2xx problems (codes.ts)
 * - matchesFilter / evaluateFilter: local evaluation with AD semantics (evaluate.ts)
 * - formatLdapFilter / escapeFilterValue: canonical text
 * - filterContextAt: what is under the cursor, for completion and hover
 * - MATCHING_RULES, USER_ACCOUNT_CONTROL_FLAGS, describeFlags: knowledge for hover and completion
 */
import type { DirectoryEntry } from '../../domain/entry';
import { filterTooDeep, MAX_NESTING } from '../nesting';
import { parseResult, problemFrom, type ParseResult } from '../problems';
import type { FilterNode } from './ast';
import { LDAP_FILTER_CODES } from './codes';
import { filterMatches, type MatchOptions } from './evaluate';
import { formatFilter } from './format';
import { parseFilterText } from './parse';

export type { FilterNode, AttributeDescription, AssertionValue } from './ast';
export { LDAP_FILTER_CODES, type LdapFilterCode } from './codes';
export { evaluateFilter, bitwiseMatch, type FilterTruth, type MatchOptions } from './evaluate';
export { escapeFilterValue } from '../../domain/filterValue';
export { filterContextAt, type FilterCursorContext } from './cursor';
export {
  MATCHING_RULES,
  USER_ACCOUNT_CONTROL_FLAGS,
  GROUP_TYPE_FLAGS,
  SAM_ACCOUNT_TYPES,
  findMatchingRule,
  describeFlags,
  type MatchingRuleInfo,
  type MatchingRuleKind,
  type FlagInfo,
} from './matchingRules';
export { DN_SYNTAX_ATTRIBUTES, isDnAttribute } from './adAttributes';

/** Parses a filter string (JSON escapes already removed). Problems carry DS2xx codes. */
export function parseLdapFilter(text: string): ParseResult<FilterNode> {
  const deep = filterTooDeep(text);
  if (deep !== undefined)
    return parseResult<FilterNode>(undefined, [
      problemFrom(LDAP_FILTER_CODES, 'DS218', deep, deep + 1, `Filter nesting deeper than ${MAX_NESTING} levels starts here`),
    ]);
  return parseFilterText(text);
}

/**
 * Evaluates a filter against an entry with LDAP semantics (used by the LDIF source and previews):
 * true only when the filter is TRUE for the entry under RFC 4511's three-valued logic. See
 * evaluate.ts for the AD specifics (binary values, objectCategory shorthand, bitwise rules, in-chain
 * through `options.memberOfChain`, `:dn:`).
 */
export function matchesFilter(filter: FilterNode, entry: DirectoryEntry, options?: MatchOptions): boolean {
  return filterMatches(filter, entry, options);
}

/** Canonical RFC 4515 text of a filter (values re-escaped), e.g. for logging or sending to a server. */
export function formatLdapFilter(filter: FilterNode): string {
  return formatFilter(filter);
}
