/**
 * A forgiving tokenizer of attribute expressions, used to explain a failed Ohm match in terms of
 * tokens (which string is unterminated, which operator lacks an operand). It never decides
 * acceptance: the grammar does.
 */

export type TokenKind = 'string' | 'name' | 'number' | 'operator' | 'open' | 'close' | 'unknown' | 'smartQuote';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For strings: the closing quote is missing. */
  readonly unterminated?: boolean;
  /** For strings: ranges of invalid escapes inside. */
  readonly badEscapes?: ReadonlyArray<{ start: number; end: number }>;
}

const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
const SMART_QUOTES = '“”„‟‘’‚‛«»';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}) =>
    tokens.push({ kind, start, end, text: text.slice(start, end), ...extra });
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      i++;
      const badEscapes: Array<{ start: number; end: number }> = [];
      let closed = false;
      while (i < text.length && text[i] !== '\n') {
        if (text[i] === c) {
          closed = true;
          i++;
          break;
        }
        if (text[i] === '\\') {
          const e = text[i + 1];
          if (e !== undefined && '\\\'"nt'.includes(e)) i += 2;
          else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
          else {
            let end = Math.min(i + 2, text.length);
            if (e === 'u') while (end < text.length && end < i + 6 && /[0-9a-fA-F]/.test(text[end]!)) end++;
            badEscapes.push({ start: i, end });
            i = end;
          }
        } else i++;
      }
      push('string', start, i, { ...(closed ? {} : { unterminated: true }), ...(badEscapes.length ? { badEscapes } : {}) });
    } else if (/[A-Za-z]/.test(c)) {
      i++;
      while (i < text.length && (isAlnum(text[i]) || (text[i] === '-' && isAlnum(text[i + 1])))) i++;
      push('name', start, i);
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9.]/.test(text[i]!)) i++;
      push(/^\d+(\.\d+)+$/.test(text.slice(start, i)) ? 'name' : 'number', start, i);
    } else if ('|+%-'.includes(c)) {
      i++;
      push('operator', start, i);
    } else if (c === '(') {
      i++;
      push('open', start, i);
    } else if (c === ')') {
      i++;
      push('close', start, i);
    } else if (SMART_QUOTES.includes(c)) {
      i++;
      push('smartQuote', start, i);
    } else {
      // A run of unknown operator characters (`&&`, `=>`, `*`) is one token.
      const cp = String.fromCodePoint(text.codePointAt(i)!);
      i += cp.length;
      while (i < text.length && /[&*/=<>!?,.;:^~#$@`[\]{}]/.test(text[i]!) && /[&*/=<>!?,.;:^~#$@`[\]{}]/.test(c)) i++;
      push('unknown', start, i);
    }
  }
  return tokens;
}

/** True for tokens that complete an operand (a following operand then needs an operator first). */
export const endsOperand = (t: Token | undefined) =>
  t !== undefined && (t.kind === 'string' || t.kind === 'name' || t.kind === 'number' || t.kind === 'close');

/** True for tokens that start an operand. */
export const startsOperand = (t: Token | undefined) =>
  t !== undefined && (t.kind === 'string' || t.kind === 'name' || t.kind === 'number' || t.kind === 'open');
