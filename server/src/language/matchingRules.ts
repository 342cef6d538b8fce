/**
 * Matching rules offered by completion and hover inside LDAP filters (`(attr:OID:=value)`): AD's
 * rules from the LDAP filter language's catalog (ldapFilter/matchingRules.ts), in the shape the
 * editor features use.
 */
import { MATCHING_RULES } from './ldapFilter/matchingRules';

export interface MatchingRuleInfo {
  readonly oid: string;
  /** Short name, e.g. LDAP_MATCHING_RULE_BIT_AND. */
  readonly name: string;
  /** Other names, for filtering completion by what people call it (IN_CHAIN, TRANSITIVE_EVAL). */
  readonly aliases: readonly string[];
  /** Markdown. */
  readonly description: string;
}

const RULES: readonly MatchingRuleInfo[] = MATCHING_RULES.map((r) => ({
  oid: r.oid,
  name: r.name,
  aliases: r.aliases,
  description: [
    r.summary,
    '',
    r.documentation,
    '',
    `Value: ${r.valueSyntax}. Since ${r.since}.`,
    ...(r.examples.length ? ['', ...r.examples.map((e) => `- \`${e.filter}\`: ${e.meaning}`)] : []),
  ].join('\n'),
}));

export function matchingRules(): readonly MatchingRuleInfo[] {
  return RULES;
}
