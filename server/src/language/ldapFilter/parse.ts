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

type Range = { start: number; end: number };
type ExtensibleParts = Extract<FilterNode, { type: 'extensible' }>;

const rangeOf = (node: Node): Range => ({ start: node.source.startIdx, end: node.source.endIdx });

/** Decodes `\XX` escapes into octets; everything else is UTF-8 (RFC 4515 §3 valueencoding). */
export function decodeAssertionValue(raw: string): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  let plain = '';
  const flush = () => {
    if (plain) out.push(...encoder.encode(plain));
    plain = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      flush();
      out.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      plain += c;
    }
  }
  flush();
  return Uint8Array.from(out);
}

/** An AssertionValue from its raw text and range. */
export function assertionValue(raw: string, range: Range): AssertionValue {
  const bytes = decodeAssertionValue(raw);
  return { raw, bytes, text: new TextDecoder('utf-8', { fatal: false }).decode(bytes), range };
}

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
  const match = grammar.match(text);
  if (match.failed()) return parseResult<FilterNode>(undefined, [diagnoseFailure(text, match)]);
  const ast = semantics(match)['ast']() as FilterNode;
  return parseResult(ast, checkFilter(ast));
}
