/**
 * Evaluation of attribute expressions on a directory entry, exactly as the README's table says:
 *
 * | operator | result                                                                   |
 * |----------|--------------------------------------------------------------------------|
 * | a % b    | a without everything up to and including the first b (a if b is "" or absent) |
 * | a - b    | a without everything from the first b on (a if b is "" or absent)        |
 * | a + b    | a followed by b                                                           |
 * | a \| b   | a, unless a is empty, then b                                              |
 *
 * Matching is case-sensitive (as .NET's String.IndexOf with ordinal comparison). An attribute
 * reads its first value as text (adValues.valueToText: objectGUID/objectSid in AD's text form,
 * other binary as base64); a missing attribute is "".
 */
import { valueToText } from '../../domain/adValues';
import type { TextRange } from '../../../../common/config';
import type { DirectoryEntry } from '../../domain/entry';
import type { Expression } from './index';

/** The value of one attribute reference as an expression sees it. */
export function attributeText(entry: DirectoryEntry, name: string): string {
  const v = entry.attributes[name.toLowerCase()]?.[0];
  return v === undefined ? '' : valueToText(name, v);
}

/** Applies one operator to two evaluated operands. */
export function applyOperator(op: '%' | '-' | '+' | '|', a: string, b: string): string {
  switch (op) {
    case '+':
      return a + b;
    case '|':
      return a !== '' ? a : b;
    case '%': {
      const i = b === '' ? -1 : a.indexOf(b);
      return i < 0 ? a : a.slice(i + b.length);
    }
    case '-': {
      const i = b === '' ? -1 : a.indexOf(b);
      return i < 0 ? a : a.slice(0, i);
    }
  }
}

/** The expression's value on an entry (see the module comment for the operators). */
export function evaluate(expr: Expression, entry: DirectoryEntry): string {
  switch (expr.type) {
    case 'string':
      return expr.value;
    case 'attribute':
      return attributeText(entry, expr.name);
    case 'group':
      return evaluate(expr.expression, entry);
    case 'binary':
      return applyOperator(expr.op, evaluate(expr.left, entry), evaluate(expr.right, entry));
  }
}

/** One step of an evaluation, innermost first, for hover ("mail - '@' → 'ada'"). */
export interface ExplainStep {
  readonly range: TextRange;
  /** The expression text of this step (from the source). */
  readonly source: string;
  readonly value: string;
  /** What happened, in words. */
  readonly note: string;
}

const q = (s: string) => JSON.stringify(s);

/**
 * Evaluates step by step. Steps are in evaluation order (operands before their operator); the
 * last step is the whole expression. `source` is the text the expression was parsed from.
 */
export function explain(expr: Expression, entry: DirectoryEntry, source: string): ExplainStep[] {
  const steps: ExplainStep[] = [];
  const text = (r: TextRange) => source.slice(r.start, r.end);
  const walk = (e: Expression): string => {
    switch (e.type) {
      case 'string':
        return e.value;
      case 'attribute': {
        const values = entry.attributes[e.name.toLowerCase()];
        const value = attributeText(entry, e.name);
        const note =
          values === undefined
            ? `${e.name} is not set: ""`
            : values.length > 1
              ? `${e.name} = ${q(value)} (first of ${values.length} values)`
              : `${e.name} = ${q(value)}`;
        steps.push({ range: e.range, source: text(e.range), value, note });
        return value;
      }
      case 'group':
        return walk(e.expression);
      case 'binary': {
        const a = walk(e.left);
        const b = walk(e.right);
        const value = applyOperator(e.op, a, b);
        let note: string;
        switch (e.op) {
          case '+':
            note = `${q(a)} + ${q(b)} → ${q(value)}`;
            break;
          case '|':
            note = a !== '' ? `${q(a)} is not empty → ${q(value)}` : `left side is empty, so the right side → ${q(value)}`;
            break;
          case '%':
            note =
              b === '' || a.indexOf(b) < 0
                ? `${q(b)} not found in ${q(a)}: unchanged`
                : `${q(a)} % ${q(b)} removes through the first ${q(b)} → ${q(value)}`;
            break;
          case '-':
            note =
              b === '' || a.indexOf(b) < 0
                ? `${q(b)} not found in ${q(a)}: unchanged`
                : `${q(a)} - ${q(b)} cuts from the first ${q(b)} → ${q(value)}`;
            break;
        }
        steps.push({ range: e.range, source: text(e.range), value, note });
        return value;
      }
    }
  };
  const value = walk(expr);
  const lastStep = steps[steps.length - 1];
  if (!lastStep || lastStep.range.start !== expr.range.start || lastStep.range.end !== expr.range.end) {
    steps.push({ range: expr.range, source: text(expr.range), value, note: `→ ${q(value)}` });
  }
  return steps;
}
