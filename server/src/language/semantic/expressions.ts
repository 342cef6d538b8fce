/** Reading parsed attribute expressions for the semantic checks, tolerant of missing grammar results. */
import { expressionReferences, type Expression } from '../attrExpr/index';
import type { EmbeddedValue } from '../embedded';
import type { TextRange } from '../../../../common/config';
import { guarded } from './context';

export interface Reference {
  readonly name: string;
  /** Range in the decoded expression text. */
  readonly range: TextRange;
}

/**
 * The references of each parsed expression: the parses are kept per distinct expression text
 * (embedded.ts), so the mappings' checks of a keystroke read them instead of collecting them again.
 */
const referencesByExpression = new WeakMap<Expression, readonly Reference[]>();

const BARE = /^(\s*)([A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*)\s*$/;

/**
 * The AD attributes an expression reads. When the grammar could not run (it threw), a bare
 * attribute name is still recognised so the mapping checks keep working; an expression with
 * syntax errors yields nothing (its DS3xx problems say why).
 */
export function referencesOf(ctx: { internalErrors: string[] }, value: EmbeddedValue | undefined, text: string): readonly Reference[] {
  if (value?.format === 'attrExpr' && value.result) {
    if (!value.result.ok) return [];
    const expr = value.result.value;
    const known = referencesByExpression.get(expr);
    if (known) return known;
    const refs = guarded(ctx, 'expressionReferences', () => expressionReferences(expr));
    if (refs) referencesByExpression.set(expr, refs);
    return refs ?? [];
  }
  const m = BARE.exec(text);
  return m ? [{ name: m[2]!, range: { start: m[1]!.length, end: m[1]!.length + m[2]!.length } }] : [];
}

/** The expression without redundant parentheses. */
export function unwrap(expr: Expression): Expression {
  let e = expr;
  while (e.type === 'group') e = e.expression;
  return e;
}

/** When the expression is just one attribute reference, its name. */
export function singleReference(value: EmbeddedValue | undefined, text: string): string | undefined {
  if (value?.format === 'attrExpr' && value.result) {
    if (!value.result.ok) return undefined;
    const e = unwrap(value.result.value);
    return e.type === 'attribute' ? e.name : undefined;
  }
  return BARE.exec(text)?.[2];
}

/** String literals of an expression (for "contains an @" and constant checks). */
export function literalsOf(expr: Expression): string[] {
  switch (expr.type) {
    case 'string':
      return [expr.value];
    case 'attribute':
      return [];
    case 'group':
      return literalsOf(expr.expression);
    case 'binary':
      return [...literalsOf(expr.left), ...literalsOf(expr.right)];
  }
}
