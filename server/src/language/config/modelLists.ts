/**
 * The model's lists of strings (`baseDns`, `recipients`, the protected lists, `ownedDomains`),
 * which may hold thousands of items, kept from one walk of a tree edited in place to the next.
 */
import type { Node } from './tree';
import type { Located, TextRange } from '../../../../common/config';

/**
 * The lists of a tree edited in place (config/treeEdit.ts) by array node, with the walk that built
 * them: the next walk of the same tree updates a kept list where it changed instead of building
 * thousands of objects again on each keystroke. An item's range reads its node's offsets when
 * asked (`NodeRange`), so an edit that moves the items after it changes nothing in the list. The
 * previous analysis is out of date by then (its tree is the new text's), so its lists may change
 * with it.
 */
const keptLists = new WeakMap<Node, KeptList>();
interface KeptList {
  walk: number;
  readonly list: Array<Located<string>>;
}
/**
 * Which items of a list built by a walk changed since the walk before (their indices), so a check
 * that keeps its own state per list (semantic/duplicates.ts) reads only those; `changed` is
 * undefined for a list built anew.
 */
const listDeltas = new WeakMap<ReadonlyArray<Located<string>>, ListDelta>();
export interface ListDelta {
  readonly walk: number;
  readonly changed?: readonly number[];
}

/** The walk that made or updated `list` (a list of the model), and what it changed, if known. */
export function listDelta(list: ReadonlyArray<Located<string>>): ListDelta | undefined {
  return listDeltas.get(list);
}

/** The walk of the tree being built (set by `buildConfig`), undefined for a new tree. */
let currentWalk: number | undefined;
/** The strings whose value changed since the last walk (set by `buildConfig` with the walk), when known. */
let currentChanged: ReadonlySet<Node> | undefined;

/**
 * The range of a list item, read from its parse node when asked: the offsets of a tree edited in
 * place move with each edit before them, and a kept list follows without being walked.
 */
class NodeRange implements TextRange {
  readonly #node: Node;
  constructor(node: Node) {
    this.#node = node;
  }
  get start(): number {
    return this.#node.offset;
  }
  get end(): number {
    return this.#node.offset + this.#node.length;
  }
  toJSON(): TextRange {
    return { start: this.start, end: this.end };
  }
}

function listItem(c: Node): Located<string> {
  return { value: c.value as string, range: new NodeRange(c) };
}

export function locatedList(node: Node | undefined): Array<Located<string>> {
  if (node?.type !== 'array' || !node.children) return [];
  const walk = currentWalk;
  const kept = walk === undefined ? undefined : keptLists.get(node);
  if (kept && kept.walk === walk! - 1) {
    // Edits in place change no item's type: the kept list has one entry per string item, in order.
    kept.walk = walk!;
    const out = kept.list;
    const changed: number[] = [];
    listDeltas.set(out, { walk: walk!, changed });
    if (currentChanged) {
      for (const c of currentChanged) {
        if (c.parent !== node) continue;
        const j = stringIndex(node.children, c, out.length);
        if (j >= 0 && out[j]!.value !== c.value) {
          out[j] = listItem(c);
          changed.push(j);
        }
      }
      return out;
    }
    let j = 0;
    for (const c of node.children) {
      if (c.type !== 'string') continue;
      if (out[j]!.value !== c.value) {
        out[j] = listItem(c);
        changed.push(j);
      }
      j++;
    }
    return out;
  }
  const out: Array<Located<string>> = [];
  for (const c of node.children) if (c.type === 'string') out.push(listItem(c));
  keptLists.set(node, { walk: walk ?? 0, list: out });
  listDeltas.set(out, { walk: walk ?? 0 });
  return out;
}

/** The index of string item `c` among the string items of `children` (`strings` of them), or -1. */
function stringIndex(children: readonly Node[], c: Node, strings: number): number {
  const k = children.indexOf(c);
  // Only strings (the usual list): the item's index is its child's; otherwise count the strings before it.
  if (k < 0 || strings === children.length) return k;
  let j = 0;
  for (let i = 0; i < k; i++) if (children[i]!.type === 'string') j++;
  return j;
}

/** Runs `build` with the walk and the changed strings of a tree edited in place, for `locatedList`. */
export function withListEdits<T>(edits: { readonly walk: number; readonly changed?: ReadonlySet<Node> } | undefined, build: () => T): T {
  currentWalk = edits?.walk;
  currentChanged = edits?.changed;
  try {
    return build();
  } finally {
    currentWalk = undefined;
    currentChanged = undefined;
  }
}
