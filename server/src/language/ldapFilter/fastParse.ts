/**
 * A direct reader for well-formed RFC 4515 filters, building the tree the Ohm grammar's `ast`
 * operation builds (grammars/ldapFilter.ohm; same node types, attribute descriptions, assertion
 * values and ranges). An Ohm match of a typical AD filter costs a few hundred microseconds; this
 * reads it in a few.
 *
 * It only accepts: it follows the grammar's ordered choices (present, substring, simple,
 * extensible) and greedy repetitions, and the moment the text leaves the grammar it returns
 * `undefined`; the caller then runs the grammar, whose failure analysis (diagnose.ts) produces the
 * DS2xx problem. test/unit/language/ldapFilter/fastParse.test.ts compares both on the grammar
 * corpus and on thousands of generated filters.
 */
import type { AttributeDescription, AssertionValue, FilterNode } from './ast';
import { assertionValue } from './values';

const FAIL = Symbol('fail');

/** The filter's tree, or undefined when the grammar must decide (anything not well formed). */
export function readFilter(text: string): FilterNode | undefined {
  try {
    const r = new Reader(text);
    const f = r.filter();
    return r.atEnd() ? f : undefined;
  } catch {
    // FAIL, or a stack overflow on absurd nesting, or a bug: the grammar decides.
    return undefined;
  }
}

const OPEN = 40,
  CLOSE = 41,
  STAR = 42,
  BACKSLASH = 92,
  COLON = 58,
  EQUALS = 61,
  SEMI = 59,
  DOT = 46,
  HYPHEN = 45;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isKeychar = (c: number) => isAlpha(c) || isDigit(c) || c === HYPHEN;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos === this.text.length;
  }

  private at(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset);
  }

  private expect(c: number): void {
    if (this.at() !== c) throw FAIL;
    this.pos++;
  }

  /** filter = "(" filterComp ")"; every node's range is its parenthesized filter. */
  filter(): FilterNode {
    const start = this.pos;
    this.expect(OPEN);
    const comp = this.component();
    this.expect(CLOSE);
    return { ...comp, range: { start, end: this.pos } } as FilterNode;
  }

  private component(): FilterNode {
    const c = this.at();
    const start = this.pos;
    if (c === 38 /* & */ || c === 124 /* | */) {
      this.pos++;
      const filters: FilterNode[] = [];
      while (this.at() === OPEN) filters.push(this.filter());
      return { type: c === 38 ? 'and' : 'or', filters, range: { start, end: this.pos } };
    }
    if (c === 33 /* ! */) {
      this.pos++;
      const filter = this.filter();
      return { type: 'not', filter, range: { start, end: this.pos } };
    }
    return this.item();
  }

  /** item = present | substring | simple | extensible, tried in that order. */
  private item(): FilterNode {
    const start = this.pos;
    const attribute = this.tryAttrDesc();
    if (attribute) {
      const afterAttr = this.pos;
      const c = this.at();
      if (c === EQUALS) {
        // present: "=" "*" &")"
        if (this.at(1) === STAR && this.at(2) === CLOSE) {
          this.pos += 2;
          return { type: 'present', attribute, range: { start, end: this.pos } };
        }
        // substring: "=" value "*" (value "*")* value — needs a "*" after the first value.
        this.pos++;
        const initial = this.value();
        if (this.at() === STAR) return this.substrings(start, attribute, initial);
        // simple with "=": the value must end the item.
        return { type: 'equality', attribute, value: initial, range: { start, end: this.pos } };
      }
      const two = (c === 126 /* ~ */ || c === 62 /* > */ || c === 60) /* < */ && this.at(1) === EQUALS;
      if (two) {
        this.pos += 2;
        const value = this.value();
        const type = c === 126 ? 'approx' : c === 62 ? 'greaterOrEqual' : 'lessOrEqual';
        return { type, attribute, value, range: { start, end: this.pos } };
      }
      this.pos = afterAttr;
      if (c === COLON) return this.extensible(start, attribute);
      throw FAIL;
    }
    if (this.at() === COLON) return this.extensible(start, undefined);
    throw FAIL;
  }

  private substrings(start: number, attribute: AttributeDescription, initial: AssertionValue): FilterNode {
    this.expect(STAR);
    const any: AssertionValue[] = [];
    for (;;) {
      // (value "*")*: a value followed by "*" joins `any`; otherwise it is the final value.
      const v = this.value();
      if (this.at() === STAR) {
        this.pos++;
        any.push(v);
        continue;
      }
      return {
        type: 'substrings',
        attribute,
        ...(initial.raw ? { initial } : {}),
        any,
        ...(v.raw ? { final: v } : {}),
        range: { start, end: this.pos },
      };
    }
  }

  /** extensible_attr: attr dnAttrs? matchingRule? ":=" value; extensible_rule: dnAttrs? matchingRule ":=" value. */
  private extensible(start: number, attribute: AttributeDescription | undefined): FilterNode {
    const dnAttributes = this.tryDnAttrs();
    const matchingRule = this.tryMatchingRule();
    if (!attribute && !matchingRule) throw FAIL;
    if (this.at() !== COLON || this.at(1) !== EQUALS) throw FAIL;
    this.pos += 2;
    const value = this.value();
    return {
      type: 'extensible',
      ...(attribute ? { attribute } : {}),
      dnAttributes,
      ...(matchingRule ? { matchingRule } : {}),
      value,
      range: { start, end: this.pos },
    } as FilterNode;
  }

  /** dnAttrs = ":" caseInsensitive<"dn"> &":" */
  private tryDnAttrs(): boolean {
    const t = this.text;
    if (this.at() === COLON && t.slice(this.pos + 1, this.pos + 3).toLowerCase() === 'dn' && this.at(3) === COLON) {
      this.pos += 3;
      return true;
    }
    return false;
  }

  /** matchingRule = ":" oid */
  private tryMatchingRule(): { oid: string; range: { start: number; end: number } } | undefined {
    if (this.at() !== COLON) return undefined;
    const save = this.pos;
    this.pos++;
    const start = this.pos;
    if (!this.tryOid()) {
      this.pos = save;
      return undefined;
    }
    return { oid: this.text.slice(start, this.pos), range: { start, end: this.pos } };
  }

  /** attrDesc = oid (";" option)*; option = keychar+ */
  private tryAttrDesc(): AttributeDescription | undefined {
    const start = this.pos;
    if (!this.tryOid()) return undefined;
    const nameEnd = this.pos;
    while (this.at() === SEMI && isKeychar(this.at(1))) {
      this.pos += 2;
      while (isKeychar(this.at())) this.pos++;
    }
    const text = this.text.slice(start, this.pos);
    return {
      text,
      name: this.text.slice(start, nameEnd),
      options: text
        .slice(nameEnd - start)
        .split(';')
        .filter((o) => o !== ''),
      range: { start, end: this.pos },
    };
  }

  /** oid = numericOid | descr; numericOid = number ("." number)+; descr = alpha keychar* */
  private tryOid(): boolean {
    const start = this.pos;
    let p = this.number(start);
    if (p > 0) {
      let parts = 1;
      for (;;) {
        if (this.text.charCodeAt(p) !== DOT) break;
        const q = this.number(p + 1);
        if (q < 0) break;
        p = q;
        parts++;
      }
      if (parts >= 2) {
        this.pos = p;
        return true;
      }
    }
    if (!isAlpha(this.at())) return false;
    this.pos++;
    while (isKeychar(this.at())) this.pos++;
    return true;
  }

  /** number = "1".."9" digit+ | digit; the end offset, or -1. */
  private number(p: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c >= 49 && c <= 57 && isDigit(t.charCodeAt(p + 1))) {
      p += 2;
      while (isDigit(t.charCodeAt(p))) p++;
      return p;
    }
    return isDigit(c) ? p + 1 : -1;
  }

  /** assertionValue = (escaped | normal)*; stops at ( ) * NUL and at a `\` without two hex digits. */
  private value(): AssertionValue {
    const t = this.text;
    const start = this.pos;
    let p = start;
    for (;;) {
      if (p >= t.length) break;
      const c = t.charCodeAt(p);
      if (c === BACKSLASH) {
        if (isHex(t.charCodeAt(p + 1)) && isHex(t.charCodeAt(p + 2))) {
          p += 3;
          continue;
        }
        break;
      }
      if (c === OPEN || c === CLOSE || c === STAR || c === 0) break;
      p++;
    }
    this.pos = p;
    return assertionValue(t.slice(start, p), { start, end: p });
  }
}
