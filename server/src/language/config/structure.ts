/**
 * DS1xx structural validation: walks the jsonc-parser tree with the format's spec (spec.ts) and
 * reports unknown keys (did-you-mean), wrong types, missing required keys, bad enum values,
 * duplicate keys, out-of-range numbers and bad string formats, each at the exact range, with
 * quick fixes where one is obvious. It also collects the string values that carry an embedded
 * language or a format checked later.
 */
import { findCloudAttribute, cloudAttributeNames } from '../../domain/cloudAttributes';
import type { Diagnostic, QuickFix } from '../diagnostics';
import { severityOf } from '../codes';
import { didYouMean } from '../suggest';
import { lazyFix, setValueEdits, snippetValue } from './edits';
import { describeType, type ObjectSpec, type Spec, type StringSpec } from './specTypes';
import { rangeOf, type Node } from './tree';
import { encodeJsonString } from './jsonString';
import { formatProblemOf } from './formatChecks';
import { isEmbeddedFormat } from '../embedded';
import type { TextRange } from '../../../../common/config';

/** A string value with a format, found during the walk. */
export interface TypedString {
  readonly node: Node;
  readonly spec: StringSpec;
  readonly path: ReadonlyArray<string | number>;
}

export interface StructureResult {
  readonly diagnostics: Diagnostic[];
  readonly strings: TypedString[];
}

interface Ctx {
  readonly text: string;
  /** See `TreeEdits`; undefined for a new tree. */
  readonly edits: TreeEdits | undefined;
  readonly out: Diagnostic[];
  readonly strings: TypedString[];
  /** Offsets of the text's line feeds, built on the first duplicate key (messages name its line). */
  newlines?: number[];
}

/** 1-based line of an offset, counting `\n` as `text.slice(0, offset).split('\n').length` does. */
function lineOf(ctx: Ctx, offset: number): number {
  if (!ctx.newlines) {
    ctx.newlines = [];
    for (let i = ctx.text.indexOf('\n'); i >= 0; i = ctx.text.indexOf('\n', i + 1)) ctx.newlines.push(i);
  }
  // Line feeds before `offset`, by binary search: one scan of the text for any number of duplicates.
  const nl = ctx.newlines;
  let lo = 0;
  let hi = nl.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nl[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function report(ctx: Ctx, code: string, range: TextRange, message: string, fixes?: QuickFix[]): void {
  ctx.out.push({ code, severity: severityOf(code), range, message, ...(fixes?.length ? { fixes } : {}) });
}

/** What happened to a tree edited in place (config/treeEdit.ts) since its last walk. */
export interface TreeEdits {
  /** Counts the walks of one tree: this walk's number (the last walk's plus one). */
  readonly walk: number;
  /** The string nodes whose value changed since the last walk. */
  readonly changed: ReadonlySet<Node>;
}

/**
 * Validates a whole document tree against the spec. With `edits` (a tree edited in place since
 * its last walk), the long lists of plain strings re-check only the items that changed.
 */
export function validateStructure(text: string | (() => string), root: Node, spec: ObjectSpec, edits?: TreeEdits): StructureResult {
  // The whole text only for what needs it (a quick fix, a duplicate's line): the caller may build it on demand.
  const read = typeof text === 'string' ? () => text : text;
  const ctx: Ctx = {
    get text() {
      return read();
    },
    edits,
    out: [],
    strings: [],
  };
  if (root.type !== 'object') {
    report(ctx, 'DS109', rangeOf(root), 'A .dirsync file is a JSON object: `{ "directory": …, "cloud": …, "policy": … }`');
    return { diagnostics: ctx.out, strings: ctx.strings };
  }
  visit(ctx, root, spec, undefined, []);
  return { diagnostics: ctx.out, strings: ctx.strings };
}

function jsonTypeName(node: Node): string {
  if (node.type === 'number') return Number.isInteger(node.value) ? 'a number' : 'a number';
  return { object: 'an object', array: 'an array', string: 'a string', boolean: 'a boolean', null: 'null', property: 'a property' }[
    node.type
  ];
}

/**
 * The path of the node being visited: one array for the whole walk, a key pushed before a child's
 * visit and popped after it (no copy of the path per property or item); copied where it is kept.
 */
type Path = Array<string | number>;

function visit(ctx: Ctx, node: Node, spec: Spec, keyNode: Node | undefined, path: Path): void {
  switch (spec.type) {
    case 'oneOf': {
      const match = spec.options.find((o) => accepts(o, node));
      if (!match) {
        report(ctx, 'DS102', rangeOf(node), `Expected ${describeType(spec)}, got ${jsonTypeName(node)}`);
        return;
      }
      visit(ctx, node, match, keyNode, path);
      return;
    }
    case 'object':
      if (node.type !== 'object') {
        wrongType(ctx, node, spec);
        return;
      }
      visitObject(ctx, node, spec, keyNode, path);
      return;
    case 'array':
      if (node.type !== 'array') {
        // A single string where a list is expected: offer to wrap it.
        const fixes: QuickFix[] =
          node.type === 'string' && spec.items.type === 'string'
            ? [
                {
                  title: 'Wrap in a list',
                  edits: [{ range: rangeOf(node), newText: `[${ctx.text.slice(node.offset, node.offset + node.length)}]` }],
                  preferred: true,
                },
              ]
            : [];
        report(ctx, 'DS102', rangeOf(node), `Expected ${describeType(spec)}, got ${jsonTypeName(node)}`, fixes);
        return;
      }
      if (node.children) {
        const items = node.children;
        const itemSpec = spec.items;
        if (itemSpec.type === 'string' && itemSpec.format && !itemSpec.enum && !isEmbeddedFormat(itemSpec.format)) {
          visitFormattedList(ctx, node, itemSpec, itemSpec.format, path);
          return;
        }
        // Paths are only kept for embedded-language strings, so list items share the parent's
        // path array plus an index computed on demand (long lists of DNs stay cheap).
        const sharePath = itemSpec.type === 'string' && !isEmbeddedFormat(itemSpec.format);
        for (let i = 0; i < items.length; i++) {
          if (sharePath) {
            visit(ctx, items[i]!, itemSpec, undefined, path);
            continue;
          }
          path.push(i);
          visit(ctx, items[i]!, itemSpec, undefined, path);
          path.pop();
        }
      }
      return;
    case 'string':
      if (node.type !== 'string') {
        wrongType(ctx, node, spec);
        return;
      }
      visitString(ctx, node, spec, path);
      return;
    case 'boolean':
      if (node.type !== 'boolean') {
        wrongType(ctx, node, spec);
        return;
      }
      return;
    case 'integer':
    case 'number': {
      if (node.type !== 'number') {
        wrongType(ctx, node, spec);
        return;
      }
      const v = node.value as number;
      if (spec.type === 'integer' && !Number.isInteger(v)) report(ctx, 'DS106', rangeOf(node), `Expected a whole number, got ${v}`);
      else if (spec.minimum !== undefined && v < spec.minimum) report(ctx, 'DS106', rangeOf(node), `Must be at least ${spec.minimum}`);
      else if (spec.maximum !== undefined && v > spec.maximum) report(ctx, 'DS106', rangeOf(node), `Must be at most ${spec.maximum}`);
      return;
    }
  }
}

/** Whether a node's JSON type fits a spec (for oneOf). */
function accepts(spec: Spec, node: Node): boolean {
  switch (spec.type) {
    case 'object':
    case 'array':
    case 'string':
    case 'boolean':
      return node.type === spec.type;
    case 'integer':
    case 'number':
      return node.type === 'number';
    case 'oneOf':
      return spec.options.some((o) => accepts(o, node));
  }
}

function wrongType(ctx: Ctx, node: Node, spec: Spec): void {
  const fixes: QuickFix[] = [];
  // `"true"` for a boolean, `"100"` for a number: offer the unquoted value.
  if (node.type === 'string') {
    const raw = node.value as string;
    if (spec.type === 'boolean' && (raw === 'true' || raw === 'false'))
      fixes.push({ title: `Change to ${raw}`, edits: [{ range: rangeOf(node), newText: raw }], preferred: true });
    if ((spec.type === 'integer' || spec.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw.trim()))
      fixes.push({ title: `Change to ${raw.trim()}`, edits: [{ range: rangeOf(node), newText: raw.trim() }], preferred: true });
  }
  if (spec.type === 'string' && (node.type === 'number' || node.type === 'boolean')) {
    fixes.push({
      title: 'Quote the value',
      edits: [{ range: rangeOf(node), newText: encodeJsonString(String(node.value)) }],
      preferred: true,
    });
  }
  report(ctx, 'DS102', rangeOf(node), `Expected ${describeType(spec)}, got ${jsonTypeName(node)}`, fixes);
}

function visitObject(ctx: Ctx, node: Node, spec: ObjectSpec, keyNode: Node | undefined, path: Path): void {
  const seen = new Map<string, Node>();
  const variant = spec.discriminator ? discriminatorVariant(spec, node) : undefined;
  for (const p of node.children ?? []) {
    const k = p.children?.[0];
    if (!k || typeof k.value !== 'string') continue;
    const key = k.value;
    const value = p.children?.[1];
    if (seen.has(key)) {
      const line = lineOf(ctx, seen.get(key)!.offset);
      report(ctx, 'DS105', rangeOf(k), `Duplicate key \`${key}\`: this one replaces the one on line ${line}, which is ignored`);
    }
    seen.set(key, k);
    let child: Spec | undefined = Object.hasOwn(spec.properties, key) ? spec.properties[key] : undefined;
    if (child && variant && !variant.allowed.includes(key)) {
      report(ctx, 'DS101', rangeOf(k), `\`${key}\` is not used with ${spec.discriminator!.key} "${variant.name}"`);
      continue;
    }
    if (!child && spec.additional) {
      child = spec.additional;
      if (spec.keyKind === 'cloudAttribute' && !findCloudAttribute(key)) {
        const guess = didYouMean(key, cloudAttributeNames());
        report(
          ctx,
          'DS108',
          rangeOf(k),
          `Unknown cloud attribute \`${key}\`${guess ? `. Did you mean \`${guess}\`?` : ''}`,
          guess
            ? [{ title: `Change to \`${guess}\``, edits: [{ range: rangeOf(k), newText: encodeJsonString(guess) }], preferred: true }]
            : [],
        );
      }
    }
    if (!child) {
      const guess = didYouMean(
        key,
        Object.keys(spec.properties).filter((n) => !seen.has(n) || n === key),
      );
      report(
        ctx,
        'DS101',
        rangeOf(k),
        `Unknown key \`${key}\`${guess ? `. Did you mean \`${guess}\`?` : ''}`,
        guess
          ? [{ title: `Change to \`${guess}\``, edits: [{ range: rangeOf(k), newText: encodeJsonString(guess) }], preferred: true }]
          : [],
      );
      continue;
    }
    if (value) {
      path.push(key);
      visit(ctx, value, child, k, path);
      path.pop();
    }
  }
  if (spec.required) missingKeys(ctx, node, spec, keyNode, path, seen, spec.required);
  if (variant?.required.length) missingKeys(ctx, node, spec, keyNode, path, seen, variant.required);
}

function missingKeys(
  ctx: Ctx,
  node: Node,
  spec: ObjectSpec,
  keyNode: Node | undefined,
  path: Path,
  seen: ReadonlyMap<string, Node>,
  required: readonly string[],
): void {
  for (const key of required) {
    if (seen.has(key)) continue;
    const at = keyNode ? rangeOf(keyNode) : { start: node.offset, end: node.offset + 1 };
    const child = spec.properties[key];
    const value = child?.insert ? snippetValue(child.insert) : child && 'default' in child ? child.default : '';
    const where = [...path, key];
    report(ctx, 'DS103', at, `Missing required key \`${key}\``, [
      lazyFix({ title: `Add \`${key}\``, preferred: true }, () => setValueEdits(ctx.text, where, value ?? '')),
    ]);
  }
}

function discriminatorVariant(
  spec: ObjectSpec,
  node: Node,
): { name: string; required: readonly string[]; allowed: readonly string[] } | undefined {
  const d = spec.discriminator!;
  const tag = node.children?.find((p) => p.children?.[0]?.value === d.key)?.children?.[1];
  if (tag?.type !== 'string') return undefined;
  const v = d.variants[tag.value as string];
  return v ? { name: tag.value as string, ...v } : undefined;
}

/** The format problems of a list of plain strings, by item index, as one walk of its array node found them. */
interface ListProblems {
  readonly walk: number;
  readonly format: string;
  readonly emailCode: string;
  readonly length: number;
  readonly problems: ReadonlyArray<{ readonly index: number; readonly code: string; readonly message: string }>;
}
const listProblems = new WeakMap<Node, ListProblems>();

/**
 * A list of plain strings with a format (emails, DNs, domains): what `visitString` does for each
 * item, kept by array node, so that in a tree edited since the last walk only the changed items of
 * a long list are checked again (ranges are the items' current ones).
 */
function visitFormattedList(ctx: Ctx, node: Node, spec: StringSpec, format: NonNullable<StringSpec['format']>, path: Path): void {
  const items = node.children!;
  const emailCode = path[0] === 'notification' ? 'DS506' : 'DS107';
  const walk = ctx.edits?.walk ?? 0;
  const kept = ctx.edits ? listProblems.get(node) : undefined;
  if (kept && kept.walk === walk - 1 && kept.format === format && kept.emailCode === emailCode && kept.length === items.length) {
    // Only string items are kept, and edits in place keep an item a string: re-check the changed ones.
    const changed = new Set<number>();
    for (const n of ctx.edits!.changed) if (n.parent === node) changed.add(items.indexOf(n));
    const problems = kept.problems.filter((p) => !changed.has(p.index));
    for (const i of changed) {
      const problem = formatProblemOf(format, items[i]!.value as string, emailCode);
      if (problem) problems.push({ index: i, ...problem });
    }
    if (changed.size) problems.sort((a, b) => a.index - b.index);
    for (const p of problems) report(ctx, p.code, rangeOf(items[p.index]!), p.message);
    listProblems.set(node, { walk, format, emailCode, length: items.length, problems });
    return;
  }
  const problems: Array<{ index: number; code: string; message: string }> = [];
  let allStrings = true;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.type !== 'string') {
      allStrings = false;
      wrongType(ctx, item, spec);
      continue;
    }
    const problem = formatProblemOf(format, item.value as string, emailCode);
    if (!problem) continue;
    problems.push({ index: i, ...problem });
    report(ctx, problem.code, rangeOf(item), problem.message);
  }
  if (allStrings) listProblems.set(node, { walk, format, emailCode, length: items.length, problems });
  else listProblems.delete(node);
}

function visitString(ctx: Ctx, node: Node, spec: StringSpec, path: Path): void {
  const value = node.value as string;
  const range = rangeOf(node);
  if (spec.enum) {
    if (!spec.enum.includes(value)) {
      const guess = didYouMean(value, spec.enum);
      report(
        ctx,
        'DS104',
        range,
        `\`${value}\` is not allowed here: expected ${spec.enum.map((e) => `"${e}"`).join(', ')}${guess ? `. Did you mean "${guess}"?` : ''}`,
        guess ? [{ title: `Change to "${guess}"`, edits: [{ range, newText: encodeJsonString(guess) }], preferred: true }] : [],
      );
    }
    return;
  }
  if (!spec.format) return;
  if (isEmbeddedFormat(spec.format)) ctx.strings.push({ node, spec, path: [...path] });
  const problem = formatProblemOf(spec.format, value, path[0] === 'notification' ? 'DS506' : 'DS107');
  if (problem) report(ctx, problem.code, range, problem.message);
}
