/**
 * A fast path for jsonc-parser's `parseTree` on clean documents. jsonc-parser's scanner builds
 * every token character by character, which makes it the largest single cost of validating a big
 * config (long DN and user lists). This parser reads the common case — JSON with `//` and `/* *\/`
 * comments and trailing commas, ASCII whitespace, no errors — with `charCodeAt` and `slice`, and
 * builds the very same tree (node types, offsets, lengths, `colonOffset`, decoded values, parent
 * links; the root has no `parent`).
 *
 * It never reports errors: on anything it does not accept (a syntax error, an unusual whitespace
 * character, a BOM, an empty document, a control character in a string) it returns `undefined` and
 * the caller runs jsonc-parser, so the tree and the DS100 errors of a broken document are exactly
 * jsonc-parser's. test/unit/language/config/fastTree.test.ts compares both on mutated configs.
 */
import type { Node } from 'jsonc-parser';

/** Thrown internally when the text leaves the accepted subset; never escapes this module. */
const BAIL = Symbol('bail');

/** Nodes are filled in as the parser goes (lengths once the closing token is read). */
type Building = { -readonly [K in keyof Node]: Node[K] };

// Character codes.
const TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  QUOTE = 34,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  SLASH = 47;
const ZERO = 48,
  NINE = 57,
  COLON = 58,
  BRACKET_OPEN = 91,
  BACKSLASH = 92,
  BRACKET_CLOSE = 93;
const BRACE_OPEN = 123,
  BRACE_CLOSE = 125,
  STAR = 42,
  LOWER_E = 101,
  UPPER_E = 69;

/** The tree jsonc-parser would build for `text`, or undefined when the text needs jsonc-parser. */
export function parseCleanTree(text: string): Node | undefined {
  try {
    return new CleanParser(text).document();
  } catch {
    // BAIL, or a stack overflow on absurd nesting, or a bug: jsonc-parser decides.
    return undefined;
  }
}

class CleanParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): Node {
    this.skipTrivia();
    if (this.pos >= this.text.length) throw BAIL; // empty content: jsonc-parser's business
    const root = this.value(undefined);
    this.skipTrivia();
    if (this.pos !== this.text.length) throw BAIL;
    delete (root as { parent?: Node }).parent;
    return root;
  }

  /** Skips ASCII whitespace and comments; bails on anything jsonc-parser would treat specially. */
  private skipTrivia(): void {
    const t = this.text;
    const n = t.length;
    let p = this.pos;
    for (;;) {
      BLANK_RUN.lastIndex = p;
      BLANK_RUN.test(t);
      p = BLANK_RUN.lastIndex;
      if (p >= n) break;
      const c = t.charCodeAt(p);
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        p++;
      } else if (c === SLASH) {
        const d = t.charCodeAt(p + 1);
        if (d === SLASH) {
          p += 2;
          while (p < n) {
            const e = t.charCodeAt(p);
            if (e === LF || e === CR) break;
            p++;
          }
        } else if (d === STAR) {
          const close = t.indexOf('*/', p + 2);
          if (close < 0) throw BAIL; // unterminated comment: an error
          p = close + 2;
        } else {
          throw BAIL;
        }
      } else {
        break;
      }
    }
    this.pos = p;
  }

  private value(parent: Node | undefined): Node {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === BRACE_OPEN) return this.object(parent);
    if (c === BRACKET_OPEN) return this.array(parent);
    if (c === QUOTE) {
      const offset = this.pos;
      const value = this.string();
      return { type: 'string', offset, length: this.pos - offset, parent, value } as Node;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number(parent);
    for (const [word, value] of KEYWORDS) {
      if (t.startsWith(word, this.pos)) {
        const offset = this.pos;
        this.pos += word.length;
        this.endOfWord();
        return { type: value === null ? 'null' : 'boolean', offset, length: word.length, parent, value } as Node;
      }
    }
    throw BAIL;
  }

  /** After a number or keyword, the next character must end the token as jsonc-parser's scanner sees it. */
  private endOfWord(): void {
    if (this.pos >= this.text.length) return;
    const c = this.text.charCodeAt(this.pos);
    if (c === SPACE || c === LF || c === CR || c === TAB || c === COMMA || c === BRACE_CLOSE || c === BRACKET_CLOSE || c === SLASH) return;
    throw BAIL;
  }

  private object(parent: Node | undefined): Node {
    const t = this.text;
    const node = { type: 'object', offset: this.pos, length: -1, parent, children: [] as Node[] } as Building;
    this.pos++;
    this.skipTrivia();
    if (t.charCodeAt(this.pos) !== BRACE_CLOSE) {
      for (;;) {
        if (t.charCodeAt(this.pos) !== QUOTE) throw BAIL;
        const offset = this.pos;
        const property = { type: 'property', offset, length: -1, parent: node, children: [] as Node[] } as Building;
        const name = this.string();
        property.children!.push({ type: 'string', value: name, offset, length: this.pos - offset, parent: property } as Node);
        this.skipTrivia();
        if (t.charCodeAt(this.pos) !== COLON) throw BAIL;
        property.colonOffset = this.pos;
        this.pos++;
        this.skipTrivia();
        if (this.pos >= t.length) throw BAIL;
        const value = this.value(property);
        property.children!.push(value);
        property.length = value.offset + value.length - offset;
        node.children!.push(property);
        this.skipTrivia();
        const c = t.charCodeAt(this.pos);
        if (c === COMMA) {
          this.pos++;
          this.skipTrivia();
          if (t.charCodeAt(this.pos) === BRACE_CLOSE) break; // trailing comma (allowed)
          continue;
        }
        if (c === BRACE_CLOSE) break;
        throw BAIL;
      }
    }
    this.pos++;
    node.length = this.pos - node.offset;
    return node;
  }

  private array(parent: Node | undefined): Node {
    const t = this.text;
    const node = { type: 'array', offset: this.pos, length: -1, parent, children: [] as Node[] } as Building;
    const children = node.children!;
    this.pos++;
    this.skipTrivia();
    if (t.charCodeAt(this.pos) !== BRACKET_CLOSE) {
      for (;;) {
        if (this.pos >= t.length) throw BAIL;
        const c0 = t.charCodeAt(this.pos);
        if (c0 === COMMA || c0 === BRACKET_CLOSE || c0 === BRACE_CLOSE || c0 === COLON) throw BAIL;
        children.push(this.value(node));
        this.skipTrivia();
        const c = t.charCodeAt(this.pos);
        if (c === COMMA) {
          this.pos++;
          this.skipTrivia();
          if (t.charCodeAt(this.pos) === BRACKET_CLOSE) break; // trailing comma (allowed)
          continue;
        }
        if (c === BRACKET_CLOSE) break;
        throw BAIL;
      }
    }
    this.pos++;
    node.length = this.pos - node.offset;
    return node;
  }

  /** Reads a string literal at `pos` (an opening quote) and returns its decoded value. */
  private string(): string {
    const r = scanCleanString(this.text, this.pos);
    if (!r) throw BAIL;
    this.pos = r.end;
    return r.value;
  }

  /** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, valued as jsonc-parser does (`Number(text)`). */
  private number(parent: Node | undefined): Node {
    const t = this.text;
    const offset = this.pos;
    let p = offset;
    if (t.charCodeAt(p) === MINUS) p++;
    const first = t.charCodeAt(p);
    if (first === ZERO) p++;
    else if (first > ZERO && first <= NINE) p = this.digits(p);
    else throw BAIL;
    if (t.charCodeAt(p) === DOT) {
      const q = this.digits(p + 1);
      if (q === p + 1) throw BAIL;
      p = q;
    }
    const e = t.charCodeAt(p);
    if (e === LOWER_E || e === UPPER_E) {
      p++;
      const s = t.charCodeAt(p);
      if (s === PLUS || s === MINUS) p++;
      const q = this.digits(p);
      if (q === p) throw BAIL;
      p = q;
    }
    this.pos = p;
    this.endOfWord();
    return { type: 'number', offset, length: p - offset, parent, value: Number(t.slice(offset, p)) } as Node;
  }

  private digits(p: number): number {
    const t = this.text;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c < ZERO || c > NINE) break;
      p++;
    }
    return p;
  }
}

/**
 * The string literal opening at `offset` (a double quote), as the clean parser reads it: its decoded
 * value and the offset after its closing quote; undefined when jsonc-parser must read it (a
 * control character or line break, an unknown escape, no closing quote).
 */
export function scanCleanString(t: string, offset: number): { value: string; end: number } | undefined {
  const n = t.length;
  let p = offset + 1;
  let start = p;
  let out = '';
  for (;;) {
    // Skip the run of plain characters in one regex step (much faster than a charCodeAt loop).
    PLAIN_RUN.lastIndex = p;
    PLAIN_RUN.test(t);
    p = PLAIN_RUN.lastIndex;
    if (p >= n) return undefined; // unterminated
    const c = t.charCodeAt(p);
    if (c === QUOTE) break;
    if (c < SPACE) return undefined; // control character or line break: an error
    if (c !== BACKSLASH) {
      p++;
      continue;
    }
    out += t.slice(start, p);
    const e = t.charCodeAt(p + 1);
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      p += 2;
    } else if (e === 117 /* u */) {
      const hex = t.slice(p + 2, p + 6);
      if (!HEX4.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      p += 6;
    } else {
      return undefined;
    }
    start = p;
  }
  return { value: out + t.slice(start, p), end: p + 1 };
}

const KEYWORDS: ReadonlyArray<readonly [string, boolean | null]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

const ESCAPES: Record<number, string> = {
  [QUOTE]: '"',
  [BACKSLASH]: '\\',
  [SLASH]: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
};
const HEX4 = /^[0-9a-fA-F]{4}$/;
/** Characters a string literal holds as written: anything but a quote, a backslash or a control character. */
const BLANK_RUN = /[ \t\r\n]*/y;
const PLAIN_RUN = /[^"\\\x00-\x1f]*/y;
