/**
 * A bounded memo of a pure function of one string. The editor re-validates the whole document on
 * every keystroke, and the long lists of a config (protected DNs and user names, recipients) are
 * the same from one keystroke to the next: a per-value check is computed once per distinct text.
 * Oldest entries go first past the limit; cached results must be immutable.
 */
const NONE = Symbol('undefined');

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
    this.map.set(text, value === undefined ? NONE : value);
    return value;
  }
}
