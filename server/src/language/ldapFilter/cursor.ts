/**
 * What is under the cursor in a filter, for completion and hover. Works on text being typed (an
 * unfinished filter is the normal case in an editor), so it scans lexically instead of relying
 * on a successful parse.
 */
import type { TextRange } from '../../../../common/config';
import { findMatchingRule, type MatchingRuleInfo } from './matchingRules';

export type FilterCursorContext =
  /** An attribute description, or the place where one can be typed (empty range after `(`). */
  | { readonly kind: 'attribute'; readonly range: TextRange; readonly text: string }
  /** The OID (or name) of a matching rule in an extensible match, without its colons. */
  | {
      readonly kind: 'matchingRule';
      readonly range: TextRange;
      readonly text: string;
      readonly attribute?: string;
      readonly rule?: MatchingRuleInfo;
    }
  /** An assertion value, with what it is compared to. */
  | {
      readonly kind: 'value';
      readonly range: TextRange;
      readonly text: string;
      readonly attribute?: string;
      readonly operator: string;
      readonly rule?: MatchingRuleInfo;
    }
  /** `&`, `|`, `!`, `=`, `~=`, `>=`, `<=`, `:=` or `:dn`. */
  | { readonly kind: 'operator'; readonly range: TextRange; readonly text: string }
  | { readonly kind: 'none' };

interface Segment {
  readonly kind: 'attribute' | 'matchingRule' | 'value' | 'operator';
  readonly start: number;
  readonly end: number;
}

/** Index of the unescaped `(` that opens the item around offset, or -1. */
function itemStart(text: string, offset: number): number {
  const open: number[] = [];
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') open.push(i);
    else if (c === ')') open.pop();
  }
  return open.length ? open[open.length - 1]! : -1;
}

/** Index of the next unescaped `(` or `)` at or after `from`, or the text's length. */
function itemEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(' || c === ')') return i;
  }
  return text.length;
}

/** Splits one item `attr[:dn][:rule]op value` (offsets absolute) into segments. */
function segmentsOf(text: string, start: number, end: number): Segment[] {
  const segs: Segment[] = [];
  const first = text[start];
  if (first === '&' || first === '|' || first === '!') {
    segs.push({ kind: 'operator', start, end: start + 1 });
    return segs;
  }
  let i = start;
  while (i < end && /[A-Za-z0-9.;-]/.test(text[i]!)) i++;
  segs.push({ kind: 'attribute', start, end: i });
  // Extensible parts: `:dn`, `:rule`, then `:=`.
  while (i < end && text[i] === ':' && text[i + 1] !== '=') {
    const partStart = i + 1;
    let j = partStart;
    while (j < end && /[A-Za-z0-9.-]/.test(text[j]!)) j++;
    const part = text.slice(partStart, j);
    if (part.toLowerCase() === 'dn') segs.push({ kind: 'operator', start: i, end: j });
    else segs.push({ kind: 'matchingRule', start: partStart, end: j });
    i = j;
  }
  const op = /^(~=|>=|<=|:=|=)/.exec(text.slice(i, end));
  if (!op) return segs;
  segs.push({ kind: 'operator', start: i, end: i + op[0].length });
  segs.push({ kind: 'value', start: i + op[0].length, end });
  return segs;
}

/** What is at `offset` (a cursor position between characters) in a filter text. */
export function filterContextAt(text: string, offset: number): FilterCursorContext {
  if (offset < 0 || offset > text.length) return { kind: 'none' };
  const open = itemStart(text, offset);
  if (open < 0) return { kind: 'none' };
  const start = open + 1;
  const end = itemEnd(text, start);
  if (offset > end) return { kind: 'none' };
  const segs = segmentsOf(text, start, end);
  // Words win over operators, also at their end: a cursor at `(mail|=x)` completes the name.
  const word = (s: Segment) => s.kind !== 'operator';
  const seg =
    segs.find((s) => word(s) && s.start <= offset && offset < s.end) ??
    segs.find((s) => word(s) && s.start <= offset && offset <= s.end) ??
    segs.find((s) => s.start <= offset && offset < s.end) ??
    segs.find((s) => s.start <= offset && offset <= s.end);
  if (!seg) return { kind: 'none' };
  const range = { start: seg.start, end: seg.end };
  const segText = text.slice(seg.start, seg.end);
  const attribute = segs.find((s) => s.kind === 'attribute');
  const attrText = attribute && attribute.end > attribute.start ? text.slice(attribute.start, attribute.end) : undefined;
  const ruleSeg = segs.find((s) => s.kind === 'matchingRule');
  const rule = ruleSeg ? findMatchingRule(text.slice(ruleSeg.start, ruleSeg.end)) : undefined;
  switch (seg.kind) {
    case 'attribute':
      return { kind: 'attribute', range, text: segText };
    case 'operator':
      return { kind: 'operator', range, text: segText };
    case 'matchingRule':
      return { kind: 'matchingRule', range, text: segText, ...(attrText ? { attribute: attrText } : {}), ...(rule ? { rule } : {}) };
    case 'value': {
      const opSeg = segs[segs.indexOf(seg) - 1]!;
      return {
        kind: 'value',
        range,
        text: segText,
        operator: text.slice(opSeg.start, opSeg.end),
        ...(attrText ? { attribute: attrText } : {}),
        ...(rule ? { rule } : {}),
      };
    }
  }
}
