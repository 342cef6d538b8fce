/**
 * Diagnostic codes of attribute expressions (DS3xx). Codes are stable; wording may change.
 */
import type { DiagnosticCodeInfo } from '../problems';

export const ATTRIBUTE_EXPRESSION_CODES = {
  DS301: { severity: 'error', summary: 'Syntax error in an attribute expression.' },
  DS302: { severity: 'error', summary: 'Unterminated string literal: the closing quote is missing.' },
  DS303: { severity: 'error', summary: 'Missing operand: an operator needs an expression on both sides.' },
  DS304: { severity: 'error', summary: 'Unbalanced parenthesis.' },
  DS305: {
    severity: 'error',
    summary: 'Unknown operator: expressions use | (first non-empty), + (concatenate), % (remove through) and - (cut from).',
  },
  DS306: { severity: 'error', summary: 'Bad escape in a string literal: use \\\\ \\\' \\" \\n \\t or \\uXXXX.' },
  DS307: { severity: 'error', summary: 'Empty expression.' },
  DS308: { severity: 'error', summary: 'Missing operator between two operands.' },
  DS309: { severity: 'hint', summary: 'An unknown attribute name containing "-": write spaces around "-" to cut.' },
  DS310: { severity: 'warning', summary: '"%" or "-" with an empty string has no effect.' },
  DS311: { severity: 'error', summary: 'Typographic quote: string literals use straight quotes \' or ".' },
  DS312: { severity: 'warning', summary: 'The left side of "|" is a non-empty literal, so the right side is never used.' },
  DS313: { severity: 'hint', summary: "Concatenating an empty string has no effect (a space is ' ')." },
  DS314: { severity: 'error', summary: 'A number is not an operand: write it as a string literal.' },
  DS315: {
    severity: 'error',
    summary: 'Expression nesting deeper than 64 parentheses or 256 operators: the expression is not checked further.',
  },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type AttributeExpressionCode = keyof typeof ATTRIBUTE_EXPRESSION_CODES;
