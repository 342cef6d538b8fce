/**
 * Attribute expression text → Expression, through grammars/attributeExpression.ohm. A failed match
 * becomes one DS3xx problem explained in tokens; a successful one is checked for legal but
 * pointless constructs.
 */
import type { MatchResult, Node } from 'ohm-js';
import grammar from '../../../../grammars/attributeExpression.ohm-bundle';
import type { ParseResult, SyntaxProblem } from '../problems';
import { columnOf, parseResult, problemFrom } from '../problems';
import { ATTRIBUTE_EXPRESSION_CODES, type AttributeExpressionCode } from './codes';
import type { Expression } from './index';
import { readExpression } from './fastParse';
import { endsOperand, startsOperand, tokenize, type Token } from './lexer';
import { decodeStringBody } from './strings';

export interface ParseExpressionOptions {
  /**
   * Schema knowledge: when given, a name containing `-` that the schema does not know gets a hint
   * that `a-b` is one name and a cut needs spaces (`a - b`).
   */
  isKnownAttribute?(name: string): boolean;
}

type Range = { start: number; end: number };
const rangeOf = (node: Node): Range => ({ start: node.source.startIdx, end: node.source.endIdx });
const problem = (code: AttributeExpressionCode, start: number, end: number, message: string): SyntaxProblem =>
  problemFrom(ATTRIBUTE_EXPRESSION_CODES, code, start, end, message);

export { decodeStringBody };

const semantics = grammar.createSemantics();
const binary = (op: '%' | '-' | '+' | '|') =>
  function (this: Node, left: Node, _op: Node, right: Node): Expression {
    return { type: 'binary', op, left: left['ast'](), right: right['ast'](), range: rangeOf(this) };
  };

semantics.addOperation<Expression>('ast', {
  Expression(e) {
    return e['ast']();
  },
  Alternative_firstNonEmpty: binary('|'),
  Concatenation_concat: binary('+'),
  Cut_removeThrough: binary('%'),
  Cut_cutFrom: binary('-'),
  Primary_paren(_open, e, _close) {
    return { type: 'group', expression: e['ast'](), range: rangeOf(this) };
  },
  string_double(_open, body, _close) {
    return { type: 'string', value: decodeStringBody(body.sourceString), range: rangeOf(this) };
  },
  string_single(_open, body, _close) {
    return { type: 'string', value: decodeStringBody(body.sourceString), range: rangeOf(this) };
  },
  attributeName(_n) {
    return { type: 'attribute', name: this.sourceString, range: rangeOf(this) };
  },
});

interface FailedMatch {
  getRightmostFailurePosition(): number;
  getExpectedText(): string;
}

const describe = (t: Token | undefined) => (t === undefined ? 'the end of the expression' : t.kind === 'string' ? t.text : `'${t.text}'`);
const OPERATORS = '| (first non-empty), + (concatenate), % (remove through) and - (cut from)';

/** The one problem for a failed match, at Ohm's rightmost failure position. */
export function diagnoseExpression(text: string, match: MatchResult): SyntaxProblem {
  const failed = match as unknown as FailedMatch;
  const p = failed.getRightmostFailurePosition();
  if (text.trim() === '')
    return problem('DS307', 0, text.length, "empty expression: write an attribute name such as mail, or a string such as 'x'");
  const tokens = tokenize(text);
  const at = tokens.find((t) => t.start <= p && p < t.end);
  const last = tokens[tokens.length - 1];
  // A string that runs to the end contains the end-of-text failure position.
  const host = at ?? (last && last.kind === 'string' && last.unterminated && p >= last.start ? last : undefined);

  if (host?.kind === 'smartQuote') {
    return problem('DS311', host.start, host.end, `typographic quote ${host.text}: string literals use straight quotes ' or "`);
  }
  if (host?.kind === 'string') {
    const bad = host.badEscapes?.find((e) => e.start <= p && p <= e.end) ?? host.badEscapes?.[0];
    if (bad) {
      return problem('DS306', bad.start, bad.end, `bad escape '${text.slice(bad.start, bad.end)}': use \\\\ \\' \\" \\n \\t or \\uXXXX`);
    }
    if (host.unterminated) {
      return problem(
        'DS302',
        host.start,
        host.end,
        `unterminated string: add the closing ${host.text[0]} (the string starts at column ${columnOf(host.start)})`,
      );
    }
  }
  if (host?.kind === 'unknown' && /\p{L}/u.test(host.text)) {
    return problem(
      'DS301',
      host.start,
      host.end,
      `'${host.text}' cannot be part of an attribute name: names use ASCII letters, digits and '-'; text belongs in quotes`,
    );
  }
  if (host?.kind === 'unknown') {
    let hint = '';
    if (host.text === '&' || host.text === '&&') hint = "; to join strings use '+'";
    else if (host.text === '||') hint = "; 'first non-empty' is a single '|'";
    else if (host.text === '.' || host.text === ',') hint = "; to join strings use '+'";
    return problem('DS305', host.start, host.end, `unknown operator '${host.text}': expressions use ${OPERATORS}${hint}`);
  }
  if (host?.kind === 'number') {
    return problem('DS314', host.start, host.end, `a number is not an operand: write it as a string, '${host.text}'`);
  }

  const next = tokens.find((t) => t.start >= p);
  const before = tokens.filter((t) => t.end <= p);
  const prev = before[before.length - 1];
  const opens: Token[] = [];
  for (const t of before) {
    if (t.kind === 'open') opens.push(t);
    else if (t.kind === 'close') opens.pop();
  }
  const depth = opens.length;
  const lastOpen = opens[opens.length - 1];

  if (prev?.kind === 'operator' && (next === undefined || next.kind === 'operator' || next.kind === 'close')) {
    const hint = next?.kind === 'operator' && next.text === prev.text ? ` (write a single '${prev.text}')` : '';
    return problem('DS303', prev.start, prev.end, `'${prev.text}' needs an operand on its right, found ${describe(next)}${hint}`);
  }
  if ((prev === undefined || prev.kind === 'open') && next?.kind === 'operator') {
    return problem('DS303', next.start, next.end, `'${next.text}' needs an operand on its left`);
  }
  if (prev?.kind === 'open' && next === undefined) {
    return problem('DS303', prev.start, prev.end, `expected an expression after the '(' at column ${columnOf(prev.start)}`);
  }
  if (prev?.kind === 'open' && next?.kind === 'close') {
    return problem('DS303', prev.start, next.end, "empty parentheses: '()' holds no expression");
  }
  if (endsOperand(prev) && startsOperand(next)) {
    return problem('DS308', next!.start, next!.end, `expected an operator between ${describe(prev)} and ${describe(next)}: ${OPERATORS}`);
  }
  if (next?.kind === 'close' && depth === 0) {
    return problem('DS304', next.start, next.end, "unmatched ')': no '(' before it is still open");
  }
  if (next === undefined && lastOpen) {
    return problem('DS304', p, p, `expected ')' to close the '(' at column ${columnOf(lastOpen.start)}`);
  }
  return problem('DS301', p, Math.min(p + 1, text.length), `expected ${failed.getExpectedText()}, found ${describe(next)}`);
}

function unwrap(e: Expression): Expression {
  return e.type === 'group' ? unwrap(e.expression) : e;
}

/** Warnings and hints for a well-formed expression. */
export function checkExpression(expr: Expression, options: ParseExpressionOptions, out: SyntaxProblem[] = []): SyntaxProblem[] {
  switch (expr.type) {
    case 'string':
      return out;
    case 'attribute':
      if (expr.name.includes('-') && options.isKnownAttribute && !options.isKnownAttribute(expr.name)) {
        const spaced = expr.name.split('-').join(' - ');
        out.push(
          problem(
            'DS309',
            expr.range.start,
            expr.range.end,
            `'${expr.name}' is read as one attribute name; to cut, write spaces around '-': ${spaced}`,
          ),
        );
      }
      return out;
    case 'group':
      return checkExpression(expr.expression, options, out);
    case 'binary': {
      checkExpression(expr.left, options, out);
      checkExpression(expr.right, options, out);
      const left = unwrap(expr.left);
      const right = unwrap(expr.right);
      if ((expr.op === '%' || expr.op === '-') && right.type === 'string' && right.value === '') {
        out.push(
          problem('DS310', expr.right.range.start, expr.right.range.end, `'${expr.op}' with an empty string leaves the value unchanged`),
        );
      }
      if (expr.op === '|' && left.type === 'string' && left.value !== '') {
        out.push(problem('DS312', expr.right.range.start, expr.right.range.end, "never used: the left side of '|' is a non-empty string"));
      }
      if (expr.op === '+') {
        for (const side of [expr.left, expr.right]) {
          const s = unwrap(side);
          if (s.type === 'string' && s.value === '') {
            out.push(problem('DS313', side.range.start, side.range.end, "an empty string adds nothing; a space is ' '"));
          }
        }
      }
      return out;
    }
  }
}

/** Parses an expression: one DS3xx error for a failed match, else the tree with its warnings and hints. */
export function parseExpressionText(text: string, options: ParseExpressionOptions = {}): ParseResult<Expression> {
  // Well-formed expressions (the usual case) are read directly, into the tree the grammar's `ast`
  // operation builds (fastParse.ts); anything else goes to the grammar, which explains the error.
  const ast = readExpression(text);
  if (ast) return parseResult(ast, checkExpression(ast, options));
  return parseWithGrammar(text, options);
}

/** `parseExpressionText` without the direct reader: always through the Ohm grammar. */
export function parseWithGrammar(text: string, options: ParseExpressionOptions = {}): ParseResult<Expression> {
  const match = grammar.match(text);
  if (match.failed()) return parseResult<Expression>(undefined, [diagnoseExpression(text, match)]);
  const ast = semantics(match)['ast']() as Expression;
  return parseResult(ast, checkExpression(ast, options));
}
