/**
 * Searching a container's children by offset. The children of a clean parse tree's node are in
 * document order and do not overlap, so their ends increase: a binary search finds the child at an
 * offset in a 5,000-item list in ≈ 13 steps instead of a walk from the list's start.
 */
import type { Node } from 'jsonc-parser';

/** Index of the first child whose end (`offset + length`) is past `offset`; `children.length` when none is. */
export function firstEndingAfter(children: readonly Node[], offset: number): number {
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = children[mid]!;
    if (c.offset + c.length <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
