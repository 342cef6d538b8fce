/**
 * Checks of a well-formed filter for what is legal RFC 4515 but rarely meant, or what Active
 * Directory answers differently than the author expects. Every finding is a warning or a hint.
 */
import { parseGuid } from '../../domain/adValues';
import { looksLikeDn } from '../../domain/dn';
import type { SyntaxProblem } from '../problems';
import { problemFrom } from '../problems';
import { isDnAttribute } from './adAttributes';
import type { AssertionValue, FilterNode } from './ast';
import { LDAP_FILTER_CODES, type LdapFilterCode } from './codes';
import { findMatchingRule, MATCHING_RULES } from './matchingRules';

const problem = (code: LdapFilterCode, start: number, end: number, message: string): SyntaxProblem =>
  problemFrom(LDAP_FILTER_CODES, code, start, end, message);

const GUID_TEXT = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** True when text is a decimal integer an AD integer attribute can hold (32- or 64-bit). */
export function isFilterInteger(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 64n;
}

/** Text for a value shown in a message: the value as written, shortened. */
const shown = (v: AssertionValue) => (v.raw.length > 40 ? `${v.raw.slice(0, 37)}…` : v.raw);

function checkSpaces(v: AssertionValue, out: SyntaxProblem[]): void {
  const lead = v.raw.length - v.raw.trimStart().length;
  const trail = v.raw.length - v.raw.trimEnd().length;
  if (v.raw.trim() === '') return;
  if (lead > 0)
    out.push(problem('DS217', v.range.start, v.range.start + lead, 'the value starts with a space, which is part of the value'));
  if (trail > 0) out.push(problem('DS217', v.range.end - trail, v.range.end, 'the value ends with a space, which is part of the value'));
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one switch over the filter's node types; each case is a short, separate check.
function checkNode(node: FilterNode, out: SyntaxProblem[]): void {
  switch (node.type) {
    case 'and':
    case 'or':
      if (node.filters.length === 0) {
        out.push(
          problem(
            'DS207',
            node.range.start,
            node.range.end,
            node.type === 'and'
              ? '(&) is absolute true (RFC 4526): it matches every entry'
              : '(|) is absolute false (RFC 4526): it matches no entry',
          ),
        );
      }
      for (const f of node.filters) checkNode(f, out);
      return;
    case 'not':
      checkNode(node.filter, out);
      return;
    case 'present':
      return;
    case 'equality':
    case 'approx':
    case 'greaterOrEqual':
    case 'lessOrEqual': {
      checkSpaces(node.value, out);
      if (node.attribute.name.toLowerCase() === 'objectguid' && GUID_TEXT.test(node.value.text)) {
        const bytes = parseGuid(node.value.text);
        const escaped = Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
        out.push(
          problem(
            'DS216',
            node.value.range.start,
            node.value.range.end,
            `objectGUID is compared as 16 bytes, not as GUID text: write (objectGUID=${escaped})`,
          ),
        );
      }
      return;
    }
    case 'substrings': {
      if (node.initial) checkSpaces(node.initial, out);
      if (node.final) checkSpaces(node.final, out);
      for (const a of node.any) {
        if (a.raw === '') {
          out.push(problem('DS211', a.range.start - 1, a.range.start + 1, "'**' is an empty substring; write \\2a for a literal '*'"));
        }
      }
      if (isDnAttribute(node.attribute.name)) {
        out.push(
          problem(
            'DS215',
            node.range.start,
            node.range.end,
            `${node.attribute.name} holds distinguished names, and Active Directory does not match wildcards in DNs: this item matches nothing` +
              (node.attribute.name.toLowerCase() === 'memberof'
                ? '; name the group in full, e.g. (memberOf=CN=Sales,OU=Groups,DC=corp,DC=example,DC=com)'
                : ''),
          ),
        );
      }
      return;
    }
    case 'extensible': {
      const ruleNode = node.matchingRule;
      if (!ruleNode) return;
      const rule = findMatchingRule(ruleNode.oid);
      if (!rule) {
        out.push(
          problem(
            'DS204',
            ruleNode.range.start,
            ruleNode.range.end,
            `unknown matching rule '${ruleNode.oid}': Active Directory supports ${MATCHING_RULES.map((r) => `${r.oid} (${r.name})`).join(', ')}`,
          ),
        );
        return;
      }
      const v = node.value;
      const valueRange = v.raw === '' ? ruleNode.range : v.range;
      if ((rule.kind === 'bitAnd' || rule.kind === 'bitOr') && !isFilterInteger(v.text)) {
        out.push(
          problem(
            'DS208',
            valueRange.start,
            valueRange.end,
            `${rule.name} compares bits: the value must be a decimal integer such as 2, not '${shown(v)}'`,
          ),
        );
      }
      if (rule.kind === 'inChain' && !looksLikeDn(v.text)) {
        out.push(
          problem(
            'DS213',
            valueRange.start,
            valueRange.end,
            `${rule.name} needs a distinguished name such as CN=Sales,OU=Groups,DC=corp,DC=com, not '${shown(v)}'`,
          ),
        );
      }
      if (rule.kind === 'dnWithData' && !/^[BS]:\d+:/.test(v.text)) {
        out.push(problem('DS213', valueRange.start, valueRange.end, `${rule.name} needs a value such as ${rule.valueSyntax}`));
      }
      return;
    }
  }
}

/** All warnings and hints for a parsed filter, in document order. */
export function checkFilter(node: FilterNode): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  checkNode(node, out);
  return out;
}
