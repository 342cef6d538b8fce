/**
 * Turns an Ohm match failure of an LDAP filter into one precise, human DS2xx problem. Ohm says
 * where the match failed (getRightmostFailurePosition) and what it expected there; this module
 * adds what a person needs: which "(" is still open, whether the failure is inside a value, an
 * escape, whitespace or after the end of the filter.
 */
import type { MatchResult } from 'ohm-js';
import grammar from '../../../../grammars/ldapFilter.ohm-bundle';
import type { SyntaxProblem } from '../problems';
import { columnOf, problemFrom } from '../problems';
import { LDAP_FILTER_CODES, type LdapFilterCode } from './codes';

/** The failure API of ohm-js 17 that its typings leave out. */
interface OhmFailure {
  getText(): string;
  getType(): 'description' | 'string' | 'code';
  isFluffy(): boolean;
}
interface FailedMatch {
  getRightmostFailurePosition(): number;
  getExpectedText(): string;
  getRightmostFailures(): OhmFailure[];
}

const problem = (code: LdapFilterCode, start: number, end: number, message: string): SyntaxProblem =>
  problemFrom(LDAP_FILTER_CODES, code, start, end, message);

/** Parenthesis structure of text[0, end): escapes skipped, which "(" are open, the last top-level close. */
export function scanParens(text: string, end: number): { open: number[]; lastTopClose?: number } {
  const open: number[] = [];
  let lastTopClose: number | undefined;
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') open.push(i);
    else if (c === ')') {
      open.pop();
      if (open.length === 0) lastTopClose = i;
    }
  }
  return lastTopClose === undefined ? { open } : { open, lastTopClose };
}

/** "a, b or c" from Ohm's expected failures at the rightmost position. */
export function humanExpected(failures: readonly OhmFailure[]): string {
  const texts: string[] = [];
  const live = failures.filter((f) => !f.isFluffy());
  const hasOperator = live.some((f) => f.getType() === 'description' && f.getText().startsWith('a comparison operator'));
  for (const f of live) {
    let t = f.getType() === 'string' ? `'${f.getText()}'` : f.getText();
    // The comparison-operator description already names '='; ':=' deserves its meaning.
    if (hasOperator && t === "'='") continue;
    if (t === "':='") t = "':=' (extensible match)";
    if (!texts.includes(t)) texts.push(t);
  }
  if (texts.length === 0) return 'something else';
  if (texts.length === 1) return texts[0]!;
  return `${texts.slice(0, -1).join(', ')} or ${texts[texts.length - 1]}`;
}

const found = (text: string, p: number): string => {
  if (p >= text.length) return 'the end of the filter';
  const cp = String.fromCodePoint(text.codePointAt(p)!);
  return cp === ' ' ? 'a space' : `'${cp}'`;
};

/** The operator of the item whose text is `component` (from after its "(" to the failure), if any. */
function itemOperator(component: string): string | undefined {
  const eq = component.indexOf('=');
  if (eq < 0) return undefined;
  const before = component[eq - 1];
  return before && '~<>:'.includes(before) ? `${before}=` : '=';
}

/** The one problem for a failed match. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one scan of the filter text that names the first problem it meets, case by case.
export function diagnoseFailure(text: string, match: MatchResult): SyntaxProblem {
  const failed = match as unknown as FailedMatch;
  const p = failed.getRightmostFailurePosition();
  const expected = humanExpected(failed.getRightmostFailures());

  if (text.trim() === '') {
    return problem('DS214', 0, text.length, 'empty filter: write one such as (objectClass=user)');
  }

  const { open, lastTopClose } = scanParens(text, p);
  if (open.length === 0 && lastTopClose !== undefined) {
    let end = text.trimEnd().length;
    if (end <= p) end = text.length;
    const rest = text.slice(p);
    const at = `the filter ended at the ')' at column ${columnOf(lastTopClose)}`;
    let advice = '; remove it';
    if (rest.startsWith(')')) advice = '; this ")" has no matching "("';
    else if (rest.startsWith('(')) advice = '; to combine filters, wrap them in (&…) or (|…)';
    else if (rest.startsWith('*')) advice = "; a '*' wildcard belongs inside a value, e.g. (cn=Example*)";
    return problem('DS202', p, end, `text after the end of the filter: ${at}${advice}`);
  }

  const innermost = open[open.length - 1];
  const component = innermost === undefined ? '' : text.slice(innermost + 1, p);
  const op = itemOperator(component);
  const inValue = op !== undefined && !/^[&|!]/.test(component);
  const c = text[p];

  if (inValue && c === '\\') {
    let end = p + 1;
    while (end < text.length && end < p + 3 && !'()'.includes(text[end]!)) end++;
    const written = text.slice(p, end);
    const next = text[p + 1];
    if (next !== undefined && ',+"<>;='.includes(next)) end = p + 2;
    let message = `bad escape '${written}': a backslash must be followed by two hex digits, e.g. \\2a for '*', \\28 for '(', \\5c for '\\'`;
    if (end === p + 1) message = 'a backslash must start an escape of two hex digits (\\5c is a literal backslash)';
    else if (next !== undefined && ',+"<>;='.includes(next)) {
      // A DN escape such as `CN=Smith\, John` pasted into a filter: RFC 4515 needs the DN's backslash escaped too.
      message = `'\\${next}' is a DN escape, not a filter escape: in a filter write the backslash as \\5c, i.e. '\\5c${next}'`;
    }
    return problem('DS203', p, end, message);
  }

  if (p >= text.length && innermost !== undefined) {
    return problem('DS206', p, p, `expected ')' to close the filter opened at column ${columnOf(innermost)}`);
  }

  if (inValue && (c === '(' || c === '*' || c === '\u0000')) {
    const escaped = c === '(' ? '\\28' : c === '*' ? '\\2a' : '\\00';
    const why =
      c === '*'
        ? `'*' is a wildcard only in '=' values; in a '${op}' value write ${escaped} for a literal '*'`
        : c === '('
          ? `unescaped '(' in a value: write ${escaped} (and \\29 for ')')`
          : `a NUL character in a value must be written ${escaped}`;
    return problem('DS205', p, p + 1, why);
  }

  if (c !== undefined && /\s/.test(c)) {
    let end = p;
    while (end < text.length && /\s/.test(text[end]!)) end++;
    let where = 'here';
    if (p === 0) where = 'before the filter';
    else if (text[p - 1] === ')') where = 'between filters';
    else if (text[p - 1] === '(') where = "after '('";
    else if (/[&|!]$/.test(text.slice(0, p))) where = `after '${text[p - 1]}'`;
    else if (!inValue) where = 'in or after an attribute name';
    return problem('DS209', p, end, `whitespace is not allowed ${where}: RFC 4515 filters have no optional spaces`);
  }

  if (p === 0 && c !== '(') {
    const wrapped = grammar.match(`(${text})`).succeeded();
    return problem(
      'DS210',
      0,
      text.length,
      wrapped ? `an LDAP filter must be enclosed in parentheses: (${text})` : `an LDAP filter starts with '(', found ${found(text, 0)}`,
    );
  }

  if (innermost !== undefined && text[innermost + 1] === '!' && c === '(') {
    return problem(
      'DS201',
      p,
      p + 1,
      `'!' takes exactly one filter: expected ')' to close the (!…) opened at column ${columnOf(innermost)}; combine several filters with (&…) or (|…)`,
    );
  }

  if (innermost !== undefined && p === innermost + 1 && c === ')') {
    return problem('DS201', innermost, p + 1, "empty filter '()': expected an attribute name, '&', '|' or '!' after '('");
  }

  if (innermost !== undefined && component === '' && c === '(') {
    return problem(
      'DS201',
      p,
      p + 1,
      "expected an attribute name, '&', '|' or '!' after '(', found '(': to combine filters write (&(…)(…)) or (|(…)(…))",
    );
  }
  if (innermost !== undefined && component === '' && c !== undefined && '=~<>'.includes(c)) {
    return problem('DS212', p, p + 1, `expected an attribute name before '${c}'`);
  }
  const listOperator = /^[&|!]/.test(component) ? component[0] : undefined;
  if (listOperator && c !== undefined && c !== '(' && c !== ')' && (text[p - 1] === listOperator || text[p - 1] === ')')) {
    const example = listOperator === '!' ? '(!(cn=a))' : `(${listOperator}(cn=a)(sn=b))`;
    return problem('DS201', p, p + 1, `'${listOperator}' takes filters in parentheses, e.g. ${example}; found ${found(text, p)}`);
  }

  // Inside an attribute description: the component so far is an attribute name (or nothing).
  if (!inValue && /^[A-Za-z0-9.;-]*$/.test(component) && c !== undefined && !'=~<>:;)'.includes(c)) {
    const start = innermost === undefined ? p : innermost + 1;
    let end = p;
    while (end < text.length && !'=~<>:()'.includes(text[end]!)) end++;
    return problem(
      'DS212',
      start,
      Math.max(end, p + 1),
      `${found(text, p)} is not allowed in an attribute name: names start with a letter and hold letters, digits and '-' (or are numeric OIDs such as 2.5.4.3)`,
    );
  }

  if (c === ';' && !inValue) {
    return problem('DS212', p, p + 1, "expected an attribute option such as lang-en after ';'");
  }
  if (component.startsWith(':') && !inValue) {
    return problem(
      'DS201',
      p,
      Math.min(p + 1, text.length),
      `an extensible match without an attribute needs a matching rule, e.g. (:dn:1.2.840.113556.1.4.803:=2); found ${found(text, p)}`,
    );
  }

  let hint = '';
  if (!inValue && c === ')' && /^[A-Za-z][A-Za-z0-9-]*$/.test(component)) hint = `; to test presence write (${component}=*)`;
  return problem('DS201', p, Math.min(p + 1, text.length), `expected ${expected}, found ${found(text, p)}${hint}`);
}
