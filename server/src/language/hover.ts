/**
 * Hover: documentation of every key and cloud attribute, enum values, secret references and
 * durations; inside embedded languages, the AD attribute or matching rule under the cursor and
 * the value on an example entry (an expression's result, whether a filter matches, the resolved
 * avatar URL).
 */
import { findNodeAtOffset } from 'jsonc-parser';
import { findAdAttribute, type AdAttribute } from '../domain/adSchema';
import type { Analysis } from './analysis';
import { evaluateExpression, expressionReferences } from './attrExpr/index';
import { resolveAvatarUri } from './avatarUri/index';
import { cloudAttributeDoc } from './completion';
import { parseDuration } from './config/formats';
import { parseSecretRef, secretEnvName } from '../../../common/secretRef';
import { toDecoded, toDocument } from './config/jsonString';
import { CONFIG_SPEC } from './config/spec';
import { specAt, type Spec } from './config/specTypes';
import { pathOf, rangeOf, type Node } from './config/tree';
import type { TextRange } from '../../../common/config';
import type { Hover } from './diagnostics';
import type { EmbeddedValue } from './embedded';
import { firstText, type DirectoryEntry } from '../domain/entry';
import { EXAMPLE_ENTRY } from './exampleEntry';
import { docOfSpec } from './hoverDocs';
import { matchesFilter, type FilterNode } from './ldapFilter/index';
import { matchingRules } from './ldapFilter/matchingRules';

export interface HoverOptions {
  /** The entry expressions and filters are evaluated on (default: a built-in example user). */
  readonly entry?: DirectoryEntry;
  /** How `entry` is called in the hover (default "the example entry"; live previews: "the sample user"). */
  readonly entryLabel?: string;
  /** A directory is bound (its sample may still be on the way): no "bind a directory" advice. */
  readonly bound?: boolean;
  /** Collects failures of grammar helpers (logged by the server). */
  readonly internalErrors?: string[];
}

export function hover(analysis: Analysis, offset: number, options: HoverOptions = {}): Hover | undefined {
  const root = analysis.root;
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, false);
  if (!node) return undefined;
  const errors = options.internalErrors ?? [];
  const entry = options.entry ?? EXAMPLE_ENTRY;
  const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  if (isKey) {
    const key = node.value as string;
    const objPath = pathOf(node.parent!.parent!);
    const objSpec = specAt(CONFIG_SPEC, objPath);
    if (objSpec?.type === 'object' && objSpec.keyKind === 'cloudAttribute' && !Object.hasOwn(objSpec.properties, key)) {
      const doc = cloudAttributeDoc(key);
      return doc ? { contents: doc, range: rangeOf(node) } : undefined;
    }
    const spec = specAt(CONFIG_SPEC, [...objPath, key]);
    return spec ? { contents: `**${[...objPath, key].join('.')}**\n\n${docOfSpec(spec)}`, range: rangeOf(node) } : undefined;
  }
  // Objects and arrays: the key already explains them; hovering braces says nothing.
  if (node.type === 'object' || node.type === 'array') return undefined;
  const path = pathOf(node);
  const spec = specAt(CONFIG_SPEC, path);
  if (!spec) return undefined;
  if (node.type !== 'string') return { contents: `**${path.join('.')}**\n\n${docOfSpec(spec)}`, range: rangeOf(node) };
  return stringHover(
    analysis,
    node,
    offset,
    spec,
    path,
    entry,
    errors,
    options.entryLabel ?? 'the example entry',
    options.entry ? 'entry' : options.bound ? 'bound' : 'unbound',
  );
}

/** Where the hover's entry comes from: the bound directory, or none (bound, or not, without an entry). */
type Live = 'entry' | 'bound' | 'unbound';

function stringHover(
  analysis: Analysis,
  node: Node,
  offset: number,
  spec: Spec,
  path: Array<string | number>,
  entry: DirectoryEntry,
  errors: string[],
  entryLabel: string,
  /** Whether a directory gave the entry; without one, no filter claims to match anything. */
  live: Live,
): Hover | undefined {
  const value = node.value as string;
  const range = rangeOf(node);
  const s = spec.type === 'oneOf' ? spec.options.find((o) => o.type === 'string') : spec;
  if (s?.type !== 'string') return undefined;
  if (s.enum) return { contents: `\`${value}\`: ${s.enumDocs?.[value] ?? s.doc}`, range };
  switch (s.format) {
    case 'secretRef': {
      const ref = parseSecretRef(value);
      if (typeof ref !== 'object' || 'error' in ref) return { contents: docOfSpec(s), range };
      const where =
        ref.kind === 'env'
          ? `the environment variable \`${ref.name}\``
          : `VS Code SecretStorage key \`${ref.key}\` (the CLI reads \`${secretEnvName(ref)}\`)`;
      return { contents: `Secret reference: read from ${where} when dirsync runs. The value never appears in reports or logs.`, range };
    }
    case 'duration': {
      const seconds = parseDuration(value);
      return { contents: seconds ? `\`${value}\` = ${humanDuration(seconds)}` : docOfSpec(s), range };
    }
    case 'ldapFilter':
    case 'attrExpr':
    case 'avatarUri': {
      const ev = analysis.embedded.find((e) => e.decoded.start === node.offset);
      if (!ev) return undefined;
      return embeddedHover(ev, offset, path, entry, errors, entryLabel, live) ?? { contents: docOfSpec(s), range };
    }
    case 'adAttribute': {
      const ad = findAdAttribute(value);
      return { contents: ad ? adDoc(ad) : docOfSpec(s), range };
    }
    default:
      return { contents: `**${path.join('.')}**\n\n${docOfSpec(s)}`, range };
  }
}

function humanDuration(seconds: number): string {
  const parts: string[] = [];
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = seconds;
  for (const [n, name] of units) {
    const q = Math.floor(rest / n);
    if (q) parts.push(`${q} ${name}${q > 1 ? 's' : ''}`);
    rest -= q * n;
  }
  return parts.join(' ');
}

function adDoc(ad: AdAttribute): string {
  return `**${ad.name}** (AD, ${ad.syntax}, ${ad.singleValued ? 'single-valued' : 'multi-valued'})\n\n${ad.description}`;
}

function guard<T>(errors: string[], what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return text === '' ? '*(empty)*' : `${fence}${text}${fence}`;
}

function embeddedHover(
  ev: EmbeddedValue,
  offset: number,
  path: Array<string | number>,
  entry: DirectoryEntry,
  errors: string[],
  entryLabel: string,
  live: Live,
): Hover | undefined {
  const k = toDecoded(ev.decoded, offset);
  const whole: TextRange = { start: ev.decoded.start, end: ev.decoded.end };
  const on = `On ${entryLabel} \`${entry.dn}\``;
  if (ev.format === 'attrExpr') {
    const cloud = typeof path[1] === 'string' ? cloudAttributeDoc(path[1]) : '';
    if (!ev.result) {
      // Grammar unavailable: a bare attribute name still gets its docs and value.
      const name = ev.decoded.value.trim();
      const ad = findAdAttribute(name);
      if (!ad) return cloud ? { contents: cloud, range: whole } : undefined;
      return { contents: `${adDoc(ad)}\n\n${on}: ${code(firstText(entry, name) ?? '')}`, range: whole };
    }
    if (!ev.result.ok) return undefined;
    const expr = ev.result.value;
    const ref = guard(errors, 'expressionReferences', () => expressionReferences(expr))?.find(
      (r) => r.range.start <= k && k <= r.range.end,
    );
    const result = guard(errors, 'evaluateExpression', () => evaluateExpression(expr, entry));
    const valueLine = result !== undefined ? `${on} this expression gives ${code(result)}.` : '';
    if (ref) {
      const ad = findAdAttribute(ref.name);
      const head = ad ? adDoc(ad) : `**${ref.name}** (not in the built-in AD schema list)`;
      return { contents: `${head}\n\n${valueLine}`, range: toDocument(ev.decoded, ref.range) };
    }
    return { contents: [cloud, valueLine].filter(Boolean).join('\n\n---\n\n'), range: whole };
  }
  if (ev.format === 'ldapFilter') {
    if (!ev.result?.ok) return undefined;
    const filter = ev.result.value;
    const hit = filterPartAt(filter, k);
    // Whether the filter matches is the directory's to say: the built-in example entry is made up.
    const matches = live === 'entry' ? guard(errors, 'matchesFilter', () => matchesFilter(filter, entry)) : undefined;
    const matchLine =
      live === 'unbound'
        ? 'The directory runs this filter. Bind a directory (Dirsync: Bind Directory…) to see which entries it matches.'
        : matches === undefined
          ? ''
          : `${on}: ${matches ? 'matches' : 'does not match'}.`;
    if (hit?.kind === 'rule') {
      const rule = matchingRules().find((r) => r.oid === hit.oid);
      return {
        contents: `${rule ? `**${rule.name}** \`${rule.oid}\`\n\n${rule.description}` : `Matching rule \`${hit.oid}\``}`,
        range: toDocument(ev.decoded, hit.range),
      };
    }
    if (hit?.kind === 'attribute') {
      const ad = findAdAttribute(hit.name);
      return {
        contents: ad ? adDoc(ad) : `**${hit.name}** (not in the built-in AD schema list)`,
        range: toDocument(ev.decoded, hit.range),
      };
    }
    return matchLine ? { contents: matchLine, range: whole } : undefined;
  }
  if (!ev.result?.ok) return undefined;
  const pattern = ev.result.value;
  const part = pattern.parts.find((p) => p.type === 'placeholder' && p.range.start <= k && k <= p.range.end);
  const resolved = guard(errors, 'resolveAvatarUri', () => resolveAvatarUri(pattern, entry));
  const line =
    resolved === undefined
      ? ''
      : resolved.ok
        ? `${on} the avatar URL is ${code(resolved.url)}.`
        : `${on} no URL: ${resolved.reason === 'missingAttribute' ? `\`${resolved.attribute}\` is empty` : `the regex does not match \`${resolved.attribute}\``}.`;
  if (part?.type === 'placeholder') {
    const ad = findAdAttribute(part.attribute);
    return {
      contents: [ad ? adDoc(ad) : `**${part.attribute}**`, line].filter(Boolean).join('\n\n'),
      range: toDocument(ev.decoded, part.range),
    };
  }
  return line ? { contents: line, range: whole } : undefined;
}

type FilterHit = { kind: 'rule'; oid: string; range: TextRange } | { kind: 'attribute'; name: string; range: TextRange };

function filterPartAt(node: FilterNode, k: number): FilterHit | undefined {
  if (k < node.range.start || k > node.range.end) return undefined;
  switch (node.type) {
    case 'and':
    case 'or':
      for (const f of node.filters) {
        const h = filterPartAt(f, k);
        if (h) return h;
      }
      return undefined;
    case 'not':
      return filterPartAt(node.filter, k);
    case 'extensible':
      if (node.matchingRule && node.matchingRule.range.start <= k && k <= node.matchingRule.range.end)
        return { kind: 'rule', oid: node.matchingRule.oid, range: node.matchingRule.range };
      if (node.attribute && node.attribute.range.start <= k && k <= node.attribute.range.end)
        return { kind: 'attribute', name: node.attribute.name, range: node.attribute.range };
      return undefined;
    default:
      if (node.attribute.range.start <= k && k <= node.attribute.range.end)
        return { kind: 'attribute', name: node.attribute.name, range: node.attribute.range };
      return undefined;
  }
}
