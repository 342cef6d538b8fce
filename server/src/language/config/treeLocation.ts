/**
 * jsonc-parser's `getLocation` (the property path at an offset, and whether the offset is where a
 * property name goes) read from a clean parse tree instead of scanning the text from its start:
 * completion in a 5,000-line config then costs a walk of the tree's nodes before the offset, not a
 * scan of every character. It replays the events `getLocation` reacts to (brackets, property names,
 * values, colons, commas) from the tree; only the separators, which the tree does not hold, are
 * read from the text between two nodes. Only for a tree that is exactly its text's clean parse
 * (fastTree.ts, or one edited in place by treeEdit.ts): a tree jsonc-parser recovered from a
 * syntax error does not show every token. In a long list the offset's item is found by a binary
 * search. test/unit/language/config/treeLocation.test.ts compares both at every offset.
 */
import type { Node } from 'jsonc-parser';
import type { TextSource } from '../text';
import { firstEndingAfter } from './children';

export interface TreeLocation {
  readonly path: Array<string | number>;
  readonly isAtPropertyKey: boolean;
}

/** Thrown when the replay reaches the offset (as `getLocation` stops its visit there). */
const STOP = Symbol('stop');

/** Arrays longer than this are entered by a binary search for the offset's item, not a walk from the start. */
const LONG_LIST = 32;

/**
 * The indexes of an array node's children that are objects or arrays (none in a list of strings),
 * kept per node: an edit in place (treeEdit.ts) changes strings and offsets, never a node's type
 * or its children, and a new parse makes new nodes.
 */
const containers = new WeakMap<Node, readonly number[]>();

function containersOf(n: Node, children: readonly Node[]): readonly number[] {
  let found = containers.get(n);
  if (!found) {
    const list: number[] = [];
    for (let i = 0; i < children.length; i++) {
      const t = children[i]!.type;
      if (t === 'object' || t === 'array') list.push(i);
    }
    found = list;
    containers.set(n, found);
  }
  return found;
}

const end = (n: Node) => n.offset + n.length;

/**
 * `getLocation(text, offset)`'s path and `isAtPropertyKey` for the clean tree `root` of `text`, or
 * undefined when the offset is not inside the root's brackets (the caller asks jsonc-parser).
 */
export function locationInTree(text: TextSource, root: Node, offset: number): TreeLocation | undefined {
  if (root.type !== 'object' && root.type !== 'array') return undefined;
  if (offset <= root.offset || offset >= end(root)) return undefined;
  const segments: Array<string | number> = [];
  let isAtPropertyKey = false;

  const literal = (n: Node): void => {
    if (offset < n.offset) throw STOP;
    if (offset <= end(n)) throw STOP;
  };
  const separator = (at: number): void => {
    if (offset <= at) throw STOP;
  };
  /** A comma between `from` and `to` (outside comments), or -1. */
  const comma = (from: number, to: number): number => commaBetween(text, from, to);

  const value = (n: Node): void => {
    if (n.type === 'object') object(n);
    else if (n.type === 'array') array(n);
    else literal(n);
  };
  const object = (n: Node): void => {
    separator(n.offset);
    isAtPropertyKey = true;
    segments.push('');
    const children = n.children ?? [];
    let prevEnd = n.offset + 1;
    for (let i = 0; i < children.length; i++) {
      const p = children[i]!;
      if (i > 0) {
        separator(comma(prevEnd, p.offset));
        isAtPropertyKey = true;
        segments[segments.length - 1] = '';
      }
      const key = p.children?.[0];
      const val = p.children?.[1];
      if (!key || !val || p.colonOffset === undefined) throw new Error('not a clean tree');
      if (offset < key.offset) throw STOP;
      segments[segments.length - 1] = key.value as string;
      if (offset <= end(key)) throw STOP;
      separator(p.colonOffset);
      isAtPropertyKey = false;
      value(val);
      prevEnd = end(val);
    }
    const close = end(n) - 1;
    const trailing = children.length ? comma(prevEnd, close) : -1;
    if (trailing >= 0) {
      separator(trailing);
      isAtPropertyKey = true;
      segments[segments.length - 1] = '';
    }
    separator(close);
    segments.pop();
  };
  const array = (n: Node): void => {
    separator(n.offset);
    segments.push(0);
    const children = n.children ?? [];
    let prevEnd = n.offset + 1;
    let first = 0;
    if (children.length > LONG_LIST) {
      // The items that end before the offset only count (no comma of theirs is read, none stops the
      // walk): jump past them; walk the objects and arrays among them, whose properties set
      // isAtPropertyKey as getLocation's visit of them does.
      first = firstEndingAfter(children, offset - 1);
      if (first > 0) {
        for (const m of containersOf(n, children)) {
          if (m >= first) break;
          value(children[m]!);
        }
        segments[segments.length - 1] = first - 1;
        prevEnd = end(children[first - 1]!);
      }
    }
    for (let i = first; i < children.length; i++) {
      const c = children[i]!;
      if (i > 0) {
        // The comma's offset matters only when the offset is before the next value.
        if (offset < c.offset) separator(comma(prevEnd, c.offset));
        segments[segments.length - 1] = (segments[segments.length - 1] as number) + 1;
      }
      // A literal wholly before the offset changes nothing getLocation returns.
      if (c.type === 'object' || c.type === 'array' || offset <= end(c)) value(c);
      prevEnd = end(c);
    }
    const close = end(n) - 1;
    const trailing = children.length ? comma(prevEnd, close) : -1;
    if (trailing >= 0) {
      separator(trailing);
      segments[segments.length - 1] = (segments[segments.length - 1] as number) + 1;
    }
    separator(close);
    segments.pop();
  };

  try {
    value(root);
  } catch (e) {
    if (e !== STOP) return undefined;
  }
  return { path: segments, isAtPropertyKey };
}

/** The offset of the first comma in `[from, to)` outside comments, or -1 (text between two tokens of a clean tree). */
function commaBetween(source: TextSource, from: number, to: number): number {
  // Only the gap is read (a document kept in pieces is not built whole); offsets in it are from `from`.
  const text = source.slice(from, to);
  to = text.length;
  for (let i = 0; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c /* , */) return from + i;
    if (c === 0x2f /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x2f) {
        while (i < to && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
      } else if (next === 0x2a) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0 || close + 2 > to) return -1;
        i = close + 1;
      }
    }
  }
  return -1;
}
