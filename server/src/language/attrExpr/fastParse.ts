/**
 * A direct reader for well-formed attribute expressions, building the tree the Ohm grammar's `ast`
 * operation builds (grammars/attributeExpression.ohm; same node types, values and ranges). An Ohm
 * match costs tens of microseconds even for `mail`, and a config holds dozens of expressions, so
 * the first validation of a document reads them here.
 *
 * It only accepts: the moment the text leaves the grammar it returns `undefined`, and the caller
 * runs the grammar, whose failure analysis (diagnoseExpression) produces the DS3xx problem. So
 * errors are always the grammar's. test/unit/language/attrExpr/parse.test.ts compares both on
 * the grammar corpus and on thousands of generated expressions.
 *
 * Mirrors the grammar: Ohm skips `space` (U+0000–U+0020) before every token of the syntactic
 * rules; `|` binds loosest, then `+`, then `%` and `-` together, all left-associative; a name is a
 * numeric OID or a letter followed by letters, digits and hyphens that have a letter or digit
 * after them; strings take `'` or `"` with the escapes \\ \' \" \n \t \uXXXX and no line feed.
 */
import type { Expression } from './index';
import { decodeStringBody } from './strings';

const FAIL = Symbol('fail');

/** The expression's tree, or undefined when the grammar must decide (anything not well formed). */
export function readExpression(text: string): Expression | undefined {
  try {
    const r = new Reader(text);
    const e = r.alternative();
    r.skip();
    return r.atEnd() ? e : undefined;
  } catch {
    // FAIL, or a stack overflow on absurd nesting, or a bug: the grammar decides.
    return undefined;
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos === this.text.length;
  }

  /** Ohm's space skipping in syntactic rules. */
  skip(): void {
    const t = this.text;
    while (this.pos < t.length && t.charCodeAt(this.pos) <= 32) this.pos++;
  }

  /** Skips spaces and consumes `ch` when it is next. */
  private eat(ch: number): boolean {
    this.skip();
    if (this.text.charCodeAt(this.pos) !== ch) return false;
    this.pos++;
    return true;
  }

  alternative(): Expression {
    let left = this.concatenation();
    while (this.eat(124 /* | */)) {
      const right = this.concatenation();
      left = { type: 'binary', op: '|', left, right, range: { start: left.range.start, end: right.range.end } };
    }
    return left;
  }

  private concatenation(): Expression {
    let left = this.cut();
    while (this.eat(43 /* + */)) {
      const right = this.cut();
      left = { type: 'binary', op: '+', left, right, range: { start: left.range.start, end: right.range.end } };
    }
    return left;
  }

  private cut(): Expression {
    let left = this.primary();
    for (;;) {
      this.skip();
      const c = this.text.charCodeAt(this.pos);
      if (c !== 37 /* % */ && c !== 45 /* - */) return left;
      this.pos++;
      const right = this.primary();
      left = { type: 'binary', op: c === 37 ? '%' : '-', left, right, range: { start: left.range.start, end: right.range.end } };
    }
  }

  private primary(): Expression {
    this.skip();
    const t = this.text;
    const start = this.pos;
    const c = t.charCodeAt(start);
    if (c === 40 /* ( */) {
      this.pos++;
      const expression = this.alternative();
      if (!this.eat(41 /* ) */)) throw FAIL;
      return { type: 'group', expression, range: { start, end: this.pos } };
    }
    if (c === 34 /* " */ || c === 39 /* ' */) return this.string(c);
    if (isDigit(c)) return this.numericOid();
    if (isLetter(c)) return this.descr();
    throw FAIL;
  }

  private string(quote: number): Expression {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      if (p >= t.length) throw FAIL;
      const c = t.charCodeAt(p);
      if (c === quote) break;
      if (c === 10 /* \n */) throw FAIL;
      if (c === 92 /* \ */) {
        const e = t.charCodeAt(p + 1);
        if (e === 92 || e === 39 || e === 34 || e === 110 /* n */ || e === 116 /* t */) p += 2;
        else if (
          e === 117 /* u */ &&
          isHex(t.charCodeAt(p + 2)) &&
          isHex(t.charCodeAt(p + 3)) &&
          isHex(t.charCodeAt(p + 4)) &&
          isHex(t.charCodeAt(p + 5))
        )
          p += 6;
        else throw FAIL;
        continue;
      }
      p++;
    }
    this.pos = p + 1;
    return { type: 'string', value: decodeStringBody(t.slice(start + 1, p)), range: { start, end: this.pos } };
  }

  /** `oidNumber ("." oidNumber)+`; a lone number is not a name. */
  private numericOid(): Expression {
    const t = this.text;
    const start = this.pos;
    let p = this.digits(start);
    let parts = 1;
    while (t.charCodeAt(p) === 46 /* . */ && isDigit(t.charCodeAt(p + 1))) {
      p = this.digits(p + 1);
      parts++;
    }
    if (parts < 2) throw FAIL;
    this.pos = p;
    return { type: 'attribute', name: t.slice(start, p), range: { start, end: p } };
  }

  private digits(p: number): number {
    while (p < this.text.length && isDigit(this.text.charCodeAt(p))) p++;
    return p;
  }

  /** `asciiLetter nameChar*`, where a hyphen belongs to the name only before a letter or digit. */
  private descr(): Expression {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      const c = t.charCodeAt(p);
      if (isLetter(c) || isDigit(c)) p++;
      else if (c === 45 /* - */ && (isLetter(t.charCodeAt(p + 1)) || isDigit(t.charCodeAt(p + 1)))) p++;
      else break;
    }
    this.pos = p;
    return { type: 'attribute', name: t.slice(start, p), range: { start, end: p } };
  }
}
