/**
 * A bounded memo of a pure function of one string. The editor re-validates the whole document on
 * every keystroke, and the long lists of a config (protected DNs and user names, recipients) are
 * the same from one keystroke to the next: a per-value check is computed once per distinct text.
 * Oldest entries go first past the limit; cached results must be immutable.
 */
const NONE = Symbol('undefined');

/** A string that shares no storage with a larger one (V8 cuts substrings of 13+ characters as views). */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class TextMemo<T> {
  private readonly map = new Map<string, T | typeof NONE>();

  constructor(
    private readonly compute: (text: string) => T,
    private readonly limit = 20_000,
  ) {}

  get(text: string): T {
    const hit = this.map.get(text);
    if (hit !== undefined) return hit === NONE ? (undefined as T) : hit;
    const value = this.compute(text);
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value!);
    // A key cut from the document by the parser can be a view into the whole text; kept as it is,
    // one memo entry would keep every version of a large document alive. Keys are copied.
    this.map.set(ownCopy(text), value === undefined ? NONE : value);
    return value;
  }
}
