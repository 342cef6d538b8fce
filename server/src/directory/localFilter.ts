/**
 * Local evaluation of search filters for sources without a server (the LDIF export): the filter
 * language's own `matchesFilter` decides every assertion except AD's in-chain matching rule
 * (LDAP_MATCHING_RULE_IN_CHAIN, 1.2.840.113556.1.4.1941, MS-ADTS §3.1.1.3.4.4.3), which needs the
 * whole directory's group graph and is evaluated here.
 */
import { matchesFilter, type FilterNode } from '../language/ldapFilter';
import type { DirectoryEntry } from '../domain/entry';
import { normalizeDn } from '../domain/dn';

export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';

/** Who is a direct member of which group, by normalized DN. */
export class GroupGraph {
  private readonly members = new Map<string, string[]>();
  private readonly raw = new Map<string, readonly string[]>();
  private readonly groupsOfMember = new Map<string, string[]>();
  /** Original spelling of each group DN, for synthesized memberOf values. */
  readonly displayDn = new Map<string, string>();

  addGroup(groupDn: string, memberDns: readonly string[]): void {
    const g = safeNormalize(groupDn);
    this.displayDn.set(g, groupDn);
    this.raw.set(g, memberDns);
    const list = memberDns.map(safeNormalize);
    this.members.set(g, list);
    for (const m of list) {
      const gs = this.groupsOfMember.get(m);
      if (gs) gs.push(g);
      else this.groupsOfMember.set(m, [g]);
    }
  }

  /** Direct groups of a member (normalized DNs). */
  directGroups(memberKey: string): readonly string[] {
    return this.groupsOfMember.get(memberKey) ?? [];
  }

  /** Groups the member belongs to at any depth (cycles tolerated). */
  transitiveGroups(memberKey: string): Set<string> {
    return this.closure(memberKey, (k) => this.groupsOfMember.get(k));
  }

  /** Members of a group at any depth, nested groups included. */
  transitiveMembers(groupKey: string): Set<string> {
    return this.closure(groupKey, (k) => this.members.get(k));
  }

  /** Direct members as the group's member values spell them. */
  rawMembers(groupKey: string): readonly string[] {
    return this.raw.get(groupKey) ?? [];
  }

  private closure(start: string, next: (k: string) => readonly string[] | undefined): Set<string> {
    const seen = new Set<string>();
    const queue = [...(next(start) ?? [])];
    while (queue.length) {
      const k = queue.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      queue.push(...(next(k) ?? []));
    }
    return seen;
  }
}

/** Comparison key of a DN (the text lower-cased when it is not a DN). */
export function safeNormalize(dn: string): string {
  return normalizeDn(dn) ?? dn.toLowerCase();
}

/** True when the filter uses the in-chain rule anywhere. */
export function usesInChain(node: FilterNode): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.filters.some(usesInChain);
    case 'not':
      return usesInChain(node.filter);
    case 'extensible':
      return node.matchingRule?.oid === IN_CHAIN_RULE;
    default:
      return false;
  }
}

/** Attribute names (lower-case) the filter tests. */
export function filterAttributes(node: FilterNode, out = new Set<string>()): Set<string> {
  switch (node.type) {
    case 'and':
    case 'or':
      node.filters.forEach((f) => filterAttributes(f, out));
      break;
    case 'not':
      filterAttributes(node.filter, out);
      break;
    default:
      if (node.attribute) out.add(node.attribute.name.toLowerCase());
  }
  return out;
}

/** Evaluates `node` on `entry`; `graph` is required when the filter uses the in-chain rule. */
export function evaluateFilter(node: FilterNode, entry: DirectoryEntry, graph?: GroupGraph): boolean {
  switch (node.type) {
    case 'and':
      return node.filters.every((f) => evaluateFilter(f, entry, graph));
    case 'or':
      return node.filters.some((f) => evaluateFilter(f, entry, graph));
    case 'not':
      return !evaluateFilter(node.filter, entry, graph);
    case 'extensible':
      if (node.matchingRule?.oid === IN_CHAIN_RULE) return inChain(node.attribute?.name ?? '', node.value.text, entry, graph);
      return matchesFilter(node, entry);
    default:
      return matchesFilter(node, entry);
  }
}

function inChain(attribute: string, value: string, entry: DirectoryEntry, graph?: GroupGraph): boolean {
  if (!graph) throw new Error('in-chain matching needs the group graph');
  const target = safeNormalize(value);
  const self = safeNormalize(entry.dn);
  switch (attribute.toLowerCase()) {
    case 'memberof':
      return graph.transitiveGroups(self).has(target);
    case 'member':
      return graph.transitiveMembers(self).has(target);
    default:
      // AD defines the rule for DN-valued attributes only; on anything else it matches nothing.
      return false;
  }
}
