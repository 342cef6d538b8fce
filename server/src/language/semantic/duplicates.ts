/**
 * Which items of a list repeat an earlier one (by a comparison key), kept per list from one
 * keystroke to the next: a list of thousands of protected DNs or user names in which one item was
 * edited is updated by that item, and when no key is repeated nothing more is done. Only a list
 * that has duplicates is walked again, in order, to say which items repeat an earlier one. Given
 * what changed in the same list since the walk it was last seen at (`ListDelta`, from the model of
 * a tree edited in place), only those items are read.
 */
import type { ListDelta } from '../config/modelLists';

interface ListKeys {
  readonly values: string[];
  readonly keys: string[];
  readonly counts: Map<string, number>;
  /** Keys counted more than once. */
  repeated: number;
  /** The list these keys are of and the walk it was at, when the model said (see `ListDelta`). */
  seen?: { readonly items: readonly unknown[]; walk: number };
}

/** At most this many changed items are applied one by one; more, and the list is keyed again. */
const MAX_CHANGED = 16;

export class DuplicateFinder {
  private readonly lists = new Map<string, ListKeys>();

  constructor(private readonly limit = 64) {}

  /**
   * Indices of the items whose key an earlier item already has, in order. `textOf` reads an
   * item's text (so a list of the model's items needs no array of its texts per keystroke).
   */
  repeats(name: string, values: readonly string[], key: (v: string) => string): number[];
  repeats<T>(name: string, items: readonly T[], key: (v: string) => string, textOf: (item: T) => string, delta?: ListDelta): number[];
  repeats(
    name: string,
    items: readonly unknown[],
    key: (v: string) => string,
    textOf = (v: unknown) => v as string,
    delta?: ListDelta,
  ): number[] {
    const list = this.update(name, items, key, textOf, delta);
    if (list.repeated === 0) return [];
    const out: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < list.keys.length; i++) {
      const k = list.keys[i]!;
      if (seen.has(k)) out.push(i);
      seen.add(k);
    }
    return out;
  }

  private update(
    name: string,
    items: readonly unknown[],
    key: (v: string) => string,
    textOf: (item: unknown) => string,
    delta: ListDelta | undefined,
  ): ListKeys {
    const old = this.lists.get(name);
    const seen = delta ? { items, walk: delta.walk } : undefined;
    if (
      old?.seen &&
      delta?.changed &&
      old.seen.items === items &&
      old.seen.walk === delta.walk - 1 &&
      old.values.length === items.length &&
      delta.changed.length <= MAX_CHANGED
    ) {
      // The same list one walk later: only the items the model changed are read.
      for (const i of delta.changed) this.set(old, i, textOf(items[i]), key);
      old.seen.walk = delta.walk;
      return old;
    }
    if (old && old.values.length === items.length) {
      const changed: number[] = [];
      for (let i = 0; i < items.length && changed.length <= MAX_CHANGED; i++) if (textOf(items[i]) !== old.values[i]) changed.push(i);
      if (changed.length <= MAX_CHANGED) {
        for (const i of changed) this.set(old, i, textOf(items[i]), key);
        if (seen) old.seen = seen;
        else delete old.seen;
        return old;
      }
    }
    const values = items.map(textOf);
    const list: ListKeys = { values, keys: values.map(key), counts: new Map(), repeated: 0, ...(seen ? { seen } : {}) };
    for (const k of list.keys) add(list, k);
    if (!this.lists.has(name) && this.lists.size >= this.limit) this.lists.delete(this.lists.keys().next().value!);
    this.lists.set(name, list);
    return list;
  }

  private set(list: ListKeys, i: number, v: string, key: (v: string) => string): void {
    if (v === list.values[i]) return;
    remove(list, list.keys[i]!);
    const k = key(v);
    add(list, k);
    list.values[i] = v;
    list.keys[i] = k;
  }
}

function add(list: ListKeys, k: string): void {
  const n = (list.counts.get(k) ?? 0) + 1;
  list.counts.set(k, n);
  if (n === 2) list.repeated++;
}

function remove(list: ListKeys, k: string): void {
  const n = list.counts.get(k)!;
  if (n === 2) list.repeated--;
  if (n === 1) list.counts.delete(k);
  else list.counts.set(k, n - 1);
}
