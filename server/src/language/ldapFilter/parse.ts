/**
 * RFC 4515 text → FilterNode, through the Ohm grammar in grammars/ldapFilter.ohm. A failed match
 * becomes one precise DS2xx problem (diagnose.ts); a successful one is then checked for the
 * mistakes that are legal syntax but rarely meant (checks.ts).
 */
import type { Node } from 'ohm-js';
import grammar from '../../../../grammars/ldapFilter.ohm-bundle';
import type { ParseResult } from '../problems';
import { parseResult } from '../problems';
import type { AssertionValue, AttributeDescription, FilterNode } from './ast';
import { checkFilter } from './checks';
import { diagnoseFailure } from './diagnose';
import { readFilter } from './fastParse';
import { assertionValue, decodeAssertionValue } from './values';

type Range = { start: number; end: number };
type ExtensibleParts = Extract<FilterNode, { type: 'extensible' }>;

const rangeOf = (node: Node): Range => ({ start: node.source.startIdx, end: node.source.endIdx });

export { assertionValue, decodeAssertionValue };

const semantics = grammar.createSemantics();

semantics.addOperation<unknown>('ast', {
  filterText(f) {
    return f['ast']();
  },
  filter(_open, comp, _close) {
    // The component's node carries the range of the whole parenthesized filter.
    return { ...(comp['ast']() as FilterNode), range: rangeOf(this) };
  },
  filterComp(c) {
    return c['ast']();
  },
  and(_amp, list) {
    return { type: 'and', filters: list['ast'](), range: rangeOf(this) };
  },
  or(_bar, list) {
    return { type: 'or', filters: list['ast'](), range: rangeOf(this) };
  },
  not(_bang, f) {
    return { type: 'not', filter: f['ast'](), range: rangeOf(this) };
  },
  filterList(iter) {
    return iter.children.map((c) => c['ast']());
  },
  item(i) {
    return i['ast']();
  },
  present(attr, _eq, _star, _look) {
    return { type: 'present', attribute: attr['ast'](), range: rangeOf(this) };
  },
  substring(attr, _eq, initial, any, final) {
    const init = initial['ast']() as AssertionValue;
    const fin = final['ast']() as AssertionValue;
    return {
      type: 'substrings',
      attribute: attr['ast'](),
      ...(init.raw ? { initial: init } : {}),
      any: any['ast'](),
      ...(fin.raw ? { final: fin } : {}),
      range: rangeOf(this),
    };
  },
  anySubstrings(_star, values, _stars) {
    return values.children.map((v) => v['ast']());
  },
  simple(attr, op, value) {
    const type = ({ '=': 'equality', '~=': 'approx', '>=': 'greaterOrEqual', '<=': 'lessOrEqual' } as const)[
      op.sourceString as '=' | '~=' | '>=' | '<='
    ];
    return { type, attribute: attr['ast'](), value: value['ast'](), range: rangeOf(this) };
  },
  extensible_attr(attr, dn, rule, _colonEq, value) {
    const node: ExtensibleParts = {
      type: 'extensible',
      attribute: attr['ast']() as AttributeDescription,
      dnAttributes: dn.numChildren > 0,
      ...(rule.numChildren > 0 ? { matchingRule: rule.child(0)['ast']() } : {}),
      value: value['ast']() as AssertionValue,
      range: rangeOf(this),
    };
    return node;
  },
  extensible_rule(dn, rule, _colonEq, value) {
    const node: ExtensibleParts = {
      type: 'extensible',
      dnAttributes: dn.numChildren > 0,
      matchingRule: rule['ast']() as { oid: string; range: Range },
      value: value['ast']() as AssertionValue,
      range: rangeOf(this),
    };
    return node;
  },
  matchingRule(_colon, oid) {
    return { oid: oid.sourceString, range: rangeOf(oid) };
  },
  attrDesc(oid, options) {
    const text = this.sourceString;
    return {
      text,
      name: oid.sourceString,
      options: options.sourceString.split(';').filter((o) => o !== ''),
      range: rangeOf(this),
    } satisfies AttributeDescription;
  },
  assertionValue(_chars) {
    return assertionValue(this.sourceString, rangeOf(this));
  },
});

/** Parses a filter string (JSON escapes already removed). Problems carry DS2xx codes. */
export function parseFilterText(text: string): ParseResult<FilterNode> {
  // Well-formed filters (the usual case) are read directly, into the tree the grammar's `ast`
  // operation builds (fastParse.ts); anything else goes to the grammar, which explains the error.
  const ast = readFilter(text);
  if (ast) return parseResult(ast, checkFilter(ast));
  return parseFilterWithGrammar(text);
}

/** `parseFilterText` without the direct reader: always through the Ohm grammar. */
export function parseFilterWithGrammar(text: string): ParseResult<FilterNode> {
  const match = grammar.match(text);
  if (match.failed()) return parseResult<FilterNode>(undefined, [diagnoseFailure(text, match)]);
  const ast = semantics(match)['ast']() as FilterNode;
  return parseResult(ast, checkFilter(ast));
}
