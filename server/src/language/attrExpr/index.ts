/**
 * Attribute expressions (Directory Connector's "customized attributes"): string literals, AD
 * attribute references, parentheses and the operators `%`, `-`, `+`, `|`. Pure: no I/O.
 *
 * Grammar: grammars/attributeExpression.ohm. Precedence (lowest first) `|`, `+`, then `%` and `-`
 * together, all left-associative; see README § Embedded languages.
 */
import type { TextRange } from '../../../../common/config';
import type { DirectoryEntry } from '../../domain/entry';
import { expressionTooDeep, MAX_NESTING, MAX_OPERATORS } from '../nesting';
import { parseResult, problemFrom, type ParseResult } from '../problems';
import { ATTRIBUTE_EXPRESSION_CODES } from './codes';
import { evaluate } from './evaluate';
import { parseExpressionText, type ParseExpressionOptions } from './parse';

export type Expression =
  | { readonly type: 'string'; readonly value: string; readonly range: TextRange }
  | { readonly type: 'attribute'; readonly name: string; readonly range: TextRange }
  | {
      readonly type: 'binary';
      readonly op: '%' | '-' | '+' | '|';
      readonly left: Expression;
      readonly right: Expression;
      readonly range: TextRange;
    }
  | { readonly type: 'group'; readonly expression: Expression; readonly range: TextRange };

export { ATTRIBUTE_EXPRESSION_CODES, type AttributeExpressionCode } from './codes';
export { applyOperator, attributeText, explain as explainExpression, type ExplainStep } from './evaluate';
export { formatExpressionText as formatExpression, quoteString, type FormatExpressionOptions } from './format';
export type { ParseExpressionOptions } from './parse';

/** Parses an expression (JSON escapes already removed). Problems carry DS3xx codes. */
export function parseAttributeExpression(text: string, options?: ParseExpressionOptions): ParseResult<Expression> {
  const deep = expressionTooDeep(text);
  if (deep) {
    const what = deep.kind === 'parentheses' ? `${MAX_NESTING} parentheses` : `${MAX_OPERATORS} operators`;
    return parseResult<Expression>(undefined, [
      problemFrom(ATTRIBUTE_EXPRESSION_CODES, 'DS315', deep.offset, deep.offset + 1, `Expression nesting deeper than ${what} starts here`),
    ]);
  }
  return parseExpressionText(text, options);
}

/** Every AD attribute the expression reads, in order, with ranges. */
export function expressionReferences(expr: Expression): Array<{ name: string; range: TextRange }> {
  switch (expr.type) {
    case 'string':
      return [];
    case 'attribute':
      return [{ name: expr.name, range: expr.range }];
    case 'group':
      return expressionReferences(expr.expression);
    case 'binary':
      return [...expressionReferences(expr.left), ...expressionReferences(expr.right)];
  }
}

/** Evaluates on an entry. A missing attribute is the empty string; a multi-valued one gives its first value. */
export function evaluateExpression(expr: Expression, entry: DirectoryEntry): string {
  return evaluate(expr, entry);
}
