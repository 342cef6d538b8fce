/**
 * Edits of a clean parse tree in place, for the editor's keystrokes: typing inside a string value
 * (a DN, a user name, a filter) or changing the whitespace between tokens leaves the tree's shape
 * as it was, so instead of parsing the whole document again the tree takes the new string value
 * and every offset after the edit moves by the edit's length. The result is the tree the clean
 * parser (fastTree.ts) builds for the new text; anything else (an edit across tokens, into a
 * number or a comment, a quote typed into a string) says so and the caller parses from scratch.
 * test/unit/language/incremental.test.ts compares both on random edits.
 */
import type { Node } from 'jsonc-parser';
import { scanCleanString } from './fastTree';
import type { TextSource } from '../text';
import { ownCopy } from '../memo';
import { firstEndingAfter } from './children';

/** `[start, end)` of a text replaced by `text`; `removed` is what was there. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly removed: string;
}

type Mutable = { -readonly [K in keyof Node]: Node[K] };

/** What a change touched, to be checked against the final text once every change is applied. */
export type Touched =
  | { readonly kind: 'string'; readonly node: Node }
  | { readonly kind: 'gap'; readonly before: Token; readonly after: Token };

/** A token of the tree, by its node: the node itself, its opening or closing bracket, or a property's colon. */
interface Token {
  readonly node: Node;
  readonly part: 'whole' | 'open' | 'close' | 'colon';
}

const end = (n: Node) => n.offset + n.length;
const WHITESPACE = /^[ \t\r\n]*$/;

/**
 * Applies one change to the tree in place when it stays inside one string literal or inside the
 * whitespace between two tokens. Returns what it touched, or undefined (the tree is then
 * unchanged) when the change needs a new parse. Call `verifyEdits` with the final text after the
 * last change: only then is the tree known to be the new text's.
 */
export function applyChange(root: Node, change: TextChange): Touched | undefined {
  const { start, end: stop } = change;
  // The innermost node that holds the change strictly inside (not at its first or last character).
  if (!(root.offset < start && stop < end(root))) return undefined;
  const path: Node[] = [root];
  for (;;) {
    const n = path[path.length - 1]!;
    const child = childHolding(n, start, stop);
    if (!child) break;
    path.push(child);
  }
  const inner = path[path.length - 1]!;
  let touched: Touched;
  if (inner.type === 'string') {
    touched = { kind: 'string', node: inner };
  } else if (inner.type === 'object' || inner.type === 'array' || inner.type === 'property') {
    if (!WHITESPACE.test(change.removed) || !WHITESPACE.test(change.text)) return undefined;
    const gap = gapAround(inner, start, stop);
    if (!gap) return undefined;
    touched = { kind: 'gap', ...gap };
  } else {
    return undefined; // inside a number or a keyword
  }
  const delta = change.text.length - (stop - start);
  if (delta !== 0) {
    for (const n of path) {
      (n as Mutable).length += delta;
      if (n.colonOffset !== undefined && n.colonOffset >= stop) (n as Mutable).colonOffset = n.colonOffset + delta;
      shiftLaterChildren(n, stop, delta);
    }
  }
  return touched;
}

/**
 * Checks the touched strings and gaps in the final text and gives the strings their new values.
 * False when the text is not the tree's (a quote or a line break typed into a string, a comment
 * in a changed gap): the tree is then of no use and the text must be parsed.
 */
export function verifyEdits(text: TextSource, touched: readonly Touched[]): boolean {
  for (const t of touched) {
    if (t.kind === 'string') {
      // The string's own range is enough: the scan must end exactly at its last character.
      const source = text.slice(t.node.offset, end(t.node));
      if (source.charCodeAt(0) !== 0x22 /* " */) return false;
      const s = scanCleanString(source, 0);
      if (!s || s.end !== source.length) return false;
      // Its own copy: a slice would keep this whole version of the document alive with the tree.
      (t.node as Mutable).value = ownCopy(s.value);
    } else {
      const from = tokenEnd(t.before);
      const to = tokenStart(t.after);
      if (from > to || !/^[ \t\r\n,:]*$/.test(text.slice(from, to))) return false;
    }
  }
  return true;
}

/** The child of `n` holding `[start, stop)` strictly inside, if any. */
function childHolding(n: Node, start: number, stop: number): Node | undefined {
  const children = n.children;
  if (!children?.length) return undefined;
  const i = firstEndingAfter(children, start);
  const c = children[i];
  return c && c.offset < start && stop < end(c) ? c : undefined;
}

/** Shifts the children of `n` that start at or after `offset` (no copy of a 5,000-item list per keystroke). */
function shiftLaterChildren(n: Node, offset: number, delta: number): void {
  const children = n.children;
  if (!children?.length) return;
  let i = firstEndingAfter(children, offset);
  while (i < children.length && children[i]!.offset < offset) i++;
  for (; i < children.length; i++) shift(children[i]!, delta);
}

function shift(n: Node, delta: number): void {
  (n as Mutable).offset += delta;
  if (n.colonOffset !== undefined) (n as Mutable).colonOffset = n.colonOffset + delta;
  if (n.children) for (const c of n.children) shift(c, delta);
}

/** The tokens of a container or property on either side of `[start, stop)`, when no token overlaps it. */
function gapAround(n: Node, start: number, stop: number): { before: Token; after: Token } | undefined {
  const tokens: Token[] = [];
  if (n.type === 'property') {
    const [key, value] = n.children ?? [];
    if (!key || !value || n.colonOffset === undefined) return undefined;
    tokens.push({ node: key, part: 'whole' }, { node: n, part: 'colon' }, { node: value, part: 'whole' });
  } else {
    const children = n.children ?? [];
    const i = firstEndingAfter(children, start);
    tokens.push(i > 0 ? { node: children[i - 1]!, part: 'whole' } : { node: n, part: 'open' });
    tokens.push(i < children.length ? { node: children[i]!, part: 'whole' } : { node: n, part: 'close' });
  }
  let before: Token | undefined;
  let after: Token | undefined;
  for (const t of tokens) {
    if (tokenEnd(t) <= start) before = t;
    else if (tokenStart(t) >= stop) {
      after ??= t;
    } else return undefined; // the change overlaps a token
  }
  return before && after ? { before, after } : undefined;
}

function tokenStart(t: Token): number {
  switch (t.part) {
    case 'whole':
    case 'open':
      return t.node.offset;
    case 'close':
      return end(t.node) - 1;
    case 'colon':
      return t.node.colonOffset!;
  }
}

function tokenEnd(t: Token): number {
  switch (t.part) {
    case 'whole':
      return end(t.node);
    case 'open':
      return t.node.offset + 1;
    case 'close':
      return end(t.node);
    case 'colon':
      return t.node.colonOffset! + 1;
  }
}
