/**
 * Which items of a list repeat an earlier one (by a comparison key), kept per list from one
 * keystroke to the next: a list of thousands of protected DNs or user names in which one item was
 * edited is updated by that item, and when no key is repeated nothing more is done. Only a list
 * that has duplicates is walked again, in order, to say which items repeat an earlier one.
 */
interface ListKeys {
  readonly values: string[];
  readonly keys: string[];
  readonly counts: Map<string, number>;
  /** Keys counted more than once. */
  repeated: number;
}

/** At most this many changed items are applied one by one; more, and the list is keyed again. */
const MAX_CHANGED = 16;

export class DuplicateFinder {
  private readonly lists = new Map<string, ListKeys>();

  constructor(private readonly limit = 64) {}

  /** Indices of the items whose key an earlier item already has, in order. */
  repeats(name: string, values: readonly string[], key: (v: string) => string): number[] {
    const list = this.update(name, values, key);
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

  private update(name: string, values: readonly string[], key: (v: string) => string): ListKeys {
    const old = this.lists.get(name);
    if (old && old.values.length === values.length) {
      const changed: number[] = [];
      for (let i = 0; i < values.length && changed.length <= MAX_CHANGED; i++) if (values[i] !== old.values[i]) changed.push(i);
      if (changed.length <= MAX_CHANGED) {
        for (const i of changed) {
          remove(old, old.keys[i]!);
          const k = key(values[i]!);
          add(old, k);
          old.values[i] = values[i]!;
          old.keys[i] = k;
        }
        return old;
      }
    }
    const list: ListKeys = { values: [...values], keys: values.map(key), counts: new Map(), repeated: 0 };
    for (const k of list.keys) add(list, k);
    if (!this.lists.has(name) && this.lists.size >= this.limit) this.lists.delete(this.lists.keys().next().value!);
    this.lists.set(name, list);
    return list;
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
