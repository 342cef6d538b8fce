/**
 * Completion from the live directory, on top of the static items: attribute names from the
 * directory's schema (merged with the built-in list), base DNs from the live tree (naming
 * contexts, then one level at a time as a DN is typed), group DNs inside `memberOf=` filter
 * values. Two steps, both pure: `liveCompletionNeeds` says what the directory must be asked at
 * the cursor; the server asks (cached, cancellable) and `withLiveItems` merges the answers.
 */
import { findNodeAtOffset } from 'jsonc-parser';
import type { CompletionSource } from '../completion';
import { CONFIG_SPEC } from '../config/spec';
import { specAt } from '../config/specTypes';
import { decodeJsonString, escapeJsonStringContent, toDecoded, toDocument } from '../config/jsonString';
import { pathOf } from '../config/tree';
import type { TextRange } from '../../../../common/config';
import type { CompletionItem } from '../diagnostics';
import { looksLikeDn } from '../../domain/dn';
import { escapeFilterValue, filterContextAt } from '../ldapFilter/index';

export type LiveCompletionNeed =
  /** A DN in a base-DN list: list the children of `expand` (and the naming contexts). */
  | { readonly kind: 'dn'; readonly replace: TextRange; readonly typed: string; readonly expand: readonly string[] }
  /** The value of a `memberOf` test in a filter: groups whose cn starts with `prefix`. */
  | { readonly kind: 'group'; readonly replace: TextRange; readonly typed: string; readonly prefix: string }
  /** Static completion offers AD attribute names: add the schema's. */
  | { readonly kind: 'schema' };

/** What the directory answered, for `withLiveItems`. */
export interface LiveCompletionData {
  readonly schema?: readonly string[];
  readonly namingContexts?: readonly string[];
  /** Children (one level) of each expanded DN, by the DN as given in the need. */
  readonly children?: ReadonlyMap<string, readonly string[]>;
  readonly groups?: readonly string[];
}

/** The text after the first unescaped comma: the parent of a DN as written. */
export function parentDnText(dn: string): string | undefined {
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i++;
    else if (dn[i] === ',') return dn.slice(i + 1).trim();
  }
  return undefined;
}

const DN_LISTS = new Set(['baseDns', 'dns']);

/** What the live directory must be asked to complete at `offset` (none: empty list). */
export function liveCompletionNeeds(
  source: CompletionSource,
  offset: number,
  staticItems: readonly CompletionItem[],
): LiveCompletionNeed[] {
  const needs: LiveCompletionNeed[] = [];
  if (staticItems.some((i) => i.kind === 'adAttribute')) needs.push({ kind: 'schema' });
  const { root, text } = source;
  if (root?.type !== 'object') return needs;
  const node = findNodeAtOffset(root, offset, true);
  if (node?.type !== 'string' || offset <= node.offset) return needs;
  const closed = node.length >= 2 && text[node.offset + node.length - 1] === '"';
  if (closed && offset >= node.offset + node.length) return needs;
  if (node.parent?.type === 'property' && node.parent.children?.[0] === node) return needs;
  const path = pathOf(node);
  const decoded = decodeJsonString(text, node.offset, node.length);
  const inner = { start: node.offset + 1, end: closed ? node.offset + node.length - 1 : node.offset + node.length };
  if (typeof path[path.length - 1] === 'number' && DN_LISTS.has(String(path[path.length - 2]))) {
    const typed = decoded.value.trim();
    const expand: string[] = [];
    if (looksLikeDn(typed)) expand.push(typed);
    const parent = parentDnText(typed);
    if (parent && looksLikeDn(parent)) expand.push(parent);
    needs.push({ kind: 'dn', replace: inner, typed, expand });
    return needs;
  }
  const spec = specAt(CONFIG_SPEC, path);
  if (spec?.type === 'string' && spec.format === 'ldapFilter') {
    const ctx = filterContextAt(decoded.value, toDecoded(decoded, offset));
    if (ctx.kind === 'value' && ctx.attribute?.toLowerCase() === 'memberof') {
      const typed = ctx.text;
      // `CN=Eng…` → groups whose cn starts with `Eng`; an escaped character ends the prefix.
      const m = /^\s*cn\s*=\s*([^,\\*]*)/i.exec(typed);
      const prefix = m ? m[1]! : /[=,\\*]/.test(typed) ? '' : typed;
      needs.push({ kind: 'group', replace: toDocument(decoded, ctx.range), typed, prefix: prefix.trim() });
    }
  }
  return needs;
}

/** The static items with the live answers merged in. */
export function withLiveItems(
  staticItems: readonly CompletionItem[],
  needs: readonly LiveCompletionNeed[],
  data: LiveCompletionData,
): CompletionItem[] {
  const out = [...staticItems];
  for (const need of needs) {
    if (need.kind === 'schema') out.push(...schemaItems(staticItems, data.schema ?? []));
    else if (need.kind === 'dn') out.push(...dnItems(need, data));
    else out.push(...groupItems(need, data.groups ?? []));
  }
  return out;
}

function schemaItems(staticItems: readonly CompletionItem[], schema: readonly string[]): CompletionItem[] {
  const template = staticItems.find((i) => i.kind === 'adAttribute');
  if (!template) return [];
  const quoted = template.insertText.startsWith('"');
  const known = new Set(staticItems.filter((i) => i.kind === 'adAttribute').map((i) => i.label.toLowerCase()));
  return schema
    .filter((n) => !known.has(n.toLowerCase()))
    .map((name) => ({
      label: name,
      kind: 'adAttribute' as const,
      detail: 'from the directory schema',
      insertText: quoted ? JSON.stringify(name) : escapeJsonStringContent(name),
      replace: template.replace,
      sortText: `2${name.toLowerCase()}`,
      ...(quoted ? { filterText: JSON.stringify(name) } : {}),
    }));
}

function dnItems(need: Extract<LiveCompletionNeed, { kind: 'dn' }>, data: LiveCompletionData): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  const add = (dn: string, detail: string, rank: number) => {
    const k = dn.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    const insertText = escapeJsonStringContent(dn);
    out.push({ label: dn, kind: 'value', detail, insertText, replace: need.replace, filterText: insertText, sortText: `${rank}${k}` });
  };
  need.expand.forEach((parent, i) => {
    for (const dn of data.children?.get(parent) ?? []) add(dn, `in ${parent}`, i);
  });
  for (const [parent, children] of data.children ?? []) {
    if (need.expand.includes(parent)) continue;
    for (const dn of children) add(dn, `in ${parent}`, 3);
  }
  for (const dn of data.namingContexts ?? []) add(dn, 'naming context', 4);
  return out;
}

function groupItems(need: Extract<LiveCompletionNeed, { kind: 'group' }>, groups: readonly string[]): CompletionItem[] {
  return groups.map((dn) => {
    const insertText = escapeJsonStringContent(escapeFilterValue(dn));
    return {
      label: dn,
      kind: 'value' as const,
      detail: 'group (live directory)',
      insertText,
      replace: need.replace,
      filterText: insertText,
      sortText: `0${dn.toLowerCase()}`,
    };
  });
}
