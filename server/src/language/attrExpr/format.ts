/**
 * Canonical text of an attribute expression: one space around each operator, parentheses as
 * written, string literals in single quotes by default (so the expression sits in a JSON string
 * without escapes).
 */
import type { Expression } from './index';

export interface FormatExpressionOptions {
  /** Quote for string literals. Default `'`. */
  readonly quote?: "'" | '"';
}

/** A string literal with the escapes the grammar understands. */
export function quoteString(value: string, quote: "'" | '"' = "'"): string {
  let out = quote;
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch.charCodeAt(0) < 0x20) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}

const PRECEDENCE = { '|': 1, '+': 2, '%': 3, '-': 3 } as const;
const precedenceOf = (e: Expression): number => (e.type === 'binary' ? PRECEDENCE[e.op] : 4);

export function formatExpressionText(expr: Expression, options: FormatExpressionOptions = {}): string {
  const quote = options.quote ?? "'";
  const walk = (e: Expression): string => {
    switch (e.type) {
      case 'string':
        return quoteString(e.value, quote);
      case 'attribute':
        return e.name;
      case 'group':
        return `(${walk(e.expression)})`;
      case 'binary': {
        // Parentheses only where the tree differs from what precedence and left-associativity
        // would build from the bare text (trees from the parser keep their own `group` nodes).
        const left = PRECEDENCE[e.op] > precedenceOf(e.left) ? `(${walk(e.left)})` : walk(e.left);
        const right = PRECEDENCE[e.op] >= precedenceOf(e.right) ? `(${walk(e.right)})` : walk(e.right);
        return `${left} ${e.op} ${right}`;
      }
    }
  };
  return walk(expr);
}
