/**
 * .NET regular expressions (the dialect of Microsoft's "Regular Expression Language - Quick
 * Reference", which seed 001 points avatar URI patterns to) translated to JavaScript RegExp
 * source and flags. What has an exact JavaScript equivalent is translated; what JavaScript cannot
 * run is a DS410 error at the construct's exact range; the result is finally compiled with
 * `new RegExp`, whose own error becomes DS411. README § Embedded languages has the table.
 */
import type { SyntaxProblem } from '../problems';
import { problemFrom } from '../problems';
import { AVATAR_URI_CODES, type AvatarUriCode } from './codes';

export interface TranslatedRegex {
  /** JavaScript RegExp source. */
  readonly jsSource: string;
  /** JavaScript flags: i, m, s from leading inline options; u when \p{…} is used. */
  readonly flags: string;
  /** Problems with offsets into the pattern text (the regex's own offsets plus `offset`). */
  readonly problems: readonly SyntaxProblem[];
}

/** Unicode general categories that .NET and JavaScript (`u` flag) both know. */
const GENERAL_CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(' '),
);
/** Characters that may be escaped in a JavaScript `u`-mode pattern (ES2023 SyntaxCharacter and `/`). */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

const OPTION_NAMES: Readonly<Record<string, string>> = {
  n: 'n (ExplicitCapture)',
  x: 'x (IgnorePatternWhitespace)',
};

/** Translates `source` (a .NET regex); `offset` is where it starts in the pattern text. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: a single-pass translator; every construct advances the one cursor, which helpers would have to pass around.
export function translateDotnetRegex(source: string, offset: number): TranslatedRegex {
  const problems: SyntaxProblem[] = [];
  const report = (code: AvatarUriCode, start: number, end: number, message: string) =>
    problems.push(problemFrom(AVATAR_URI_CODES, code, offset + start, offset + end, message));
  const unsupported = (start: number, end: number, message: string) => report('DS410', start, end, message);

  const flags = new Set<string>();
  let needUnicode = false;
  let out = '';
  let i = 0;

  // Inline options at the very start apply to the whole pattern: i, m and s become JS flags.
  for (;;) {
    const m = /^\(\?([A-Za-z]*)(?:-([A-Za-z]*))?\)/.exec(source.slice(i));
    if (!m) break;
    const on = m[1] ?? '';
    const off = m[2] ?? '';
    for (const [k, ch] of [...on].entries()) {
      const at = i + 2 + k;
      if ('ims'.includes(ch)) flags.add(ch);
      else if (OPTION_NAMES[ch]) unsupported(at, at + 1, `inline option ${OPTION_NAMES[ch]} has no JavaScript equivalent`);
      else report('DS411', at, at + 1, `unknown inline option '${ch}' (.NET knows i, m, n, s and x)`);
    }
    for (const [k, ch] of [...off].entries()) {
      // Turning an option off at the start is what JavaScript does anyway.
      if (!'imnsx'.includes(ch)) {
        const at = i + 3 + on.length + k;
        report('DS411', at, at + 1, `unknown inline option '${ch}' (.NET knows i, m, n, s and x)`);
      }
    }
    i += m[0].length;
  }
  const multiline = flags.has('m');

  /** Translates the escape at i (source[i] === '\\'); returns the JS text and advances i. */
  // biome-ignore lint/complexity/noExcessiveLinesPerFunction: the escape table of .NET regex (classes, Unicode categories, back-references) in one switch on the cursor.
  const translateEscape = (inClass: boolean): string => {
    const start = i;
    const n = source[i + 1];
    if (n === undefined) {
      report('DS411', start, start + 1, 'a backslash at the end of the regex escapes nothing (write \\\\ for a backslash)');
      i += 1;
      return '\\\\';
    }
    i += 2;
    const anchorInClass = () => {
      report('DS411', start, i, `\\${n} is not allowed in a character class`);
      return '';
    };
    switch (n) {
      case 'A':
        if (inClass) return anchorInClass();
        return multiline ? '(?<![\\s\\S])' : '^';
      case 'z':
        if (inClass) return anchorInClass();
        return multiline ? '(?![\\s\\S])' : '$';
      case 'Z':
        if (inClass) return anchorInClass();
        // End of input, or before a final newline.
        return multiline ? '(?=\\n?(?![\\s\\S]))' : '(?=\\n?$)';
      case 'G':
        unsupported(start, i, '\\G (match where the previous match ended) has no JavaScript equivalent');
        return '';
      case 'p':
      case 'P': {
        const m = /^\{([A-Za-z0-9_-]+)\}/.exec(source.slice(i));
        if (!m) {
          report('DS411', start, i, `\\${n} needs a category name in braces, e.g. \\${n}{Lu}`);
          return '';
        }
        i += m[0].length;
        const name = m[1]!;
        if (/^Is/.test(name)) {
          unsupported(
            start,
            i,
            `.NET named block \\${n}{${name}} has no JavaScript equivalent: use a character range (e.g. [\\u0370-\\u03FF] for IsGreek) or a script, \\${n}{Script=Greek}`,
          );
          return '';
        }
        if (!GENERAL_CATEGORIES.has(name)) {
          report('DS411', start, i, `unknown Unicode category '${name}'`);
          return '';
        }
        needUnicode = true;
        return `\\${n}{${name}}`;
      }
      case 'k': {
        if (inClass) return anchorInClass();
        const m = /^(?:<([^>]*)>|'([^']*)')/.exec(source.slice(i));
        if (!m) {
          report('DS411', start, i, "\\k needs a group name: \\k<name> or \\k'name'");
          return '';
        }
        i += m[0].length;
        const name = m[1] ?? m[2] ?? '';
        return /^\d+$/.test(name) ? `\\${name}` : `\\k<${name}>`;
      }
      case 'e':
        return '\\x1B';
      case 'a':
        return '\\x07';
      case '0': {
        // .NET: \0 followed by up to two more octal digits.
        const m = /^[0-7]{0,2}/.exec(source.slice(i))!;
        i += m[0].length;
        const code = parseInt(`0${m[0]}`, 8);
        return `\\x${code.toString(16).padStart(2, '0')}`;
      }
      case 'x': {
        if (!/^[0-9a-fA-F]{2}/.test(source.slice(i))) report('DS411', start, i, '\\x needs exactly two hex digits');
        return '\\x';
      }
      case 'u': {
        if (!/^[0-9a-fA-F]{4}/.test(source.slice(i))) report('DS411', start, i, '\\u needs exactly four hex digits');
        return '\\u';
      }
      case 'c':
        return '\\c';
      default:
        break;
    }
    if (/[1-9]/.test(n)) {
      if (inClass) return anchorInClass();
      return `\\${n}`;
    }
    if ('dDwWsSbBtnrfv'.includes(n)) {
      if (n === 'B' && inClass) return anchorInClass();
      return `\\${n}`;
    }
    if (/[A-Za-z0-9_]/.test(n)) {
      report('DS411', start, i, `unrecognized escape \\${n}`);
      return '';
    }
    // Escaped punctuation means the character itself; keep the escape only where JavaScript's
    // strict (u) mode allows it.
    if (JS_SYNTAX.has(n) || (inClass && n === '-')) return `\\${n}`;
    const cp = String.fromCodePoint(source.codePointAt(i - 1)!);
    i += cp.length - 1;
    return cp;
  };

  /** Translates the character class at i (source[i] === '['). */
  const characterClass = (): string => {
    let text = '[';
    i++;
    if (source[i] === '^') {
      text += '^';
      i++;
    }
    // A `]` right after `[` or `[^` is a literal in .NET; JavaScript would end the class.
    if (source[i] === ']') {
      text += '\\]';
      i++;
    }
    while (i < source.length && source[i] !== ']') {
      if (source[i] === '\\') text += translateEscape(true);
      else if (source.startsWith('-[', i)) {
        const start = i;
        i += 2;
        while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
        i++;
        unsupported(
          start,
          Math.min(i, source.length),
          'character-class subtraction (.NET [a-z-[aeiou]]) has no JavaScript equivalent: list the remaining characters, e.g. [b-df-hj-np-tv-z]',
        );
      } else if (source[i] === '[') {
        text += '\\[';
        i++;
      } else {
        text += source[i];
        i++;
      }
    }
    if (i >= source.length) report('DS411', 0, source.length, "unterminated character class: a '[' has no ']'");
    i++;
    return `${text}]`;
  };

  /** Offset just after the `)` that closes the group opening at `start` (escapes and classes skipped). */
  const groupEnd = (start: number): number => {
    let depth = 0;
    for (let j = start; j < source.length; j++) {
      const c = source[j];
      if (c === '\\') j++;
      else if (c === '[') {
        j++;
        while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
    }
    return source.length;
  };

  /** Translates a group opening at i (source[i] === '('). */
  const group = (): string => {
    const rest = source.slice(i);
    const start = i;
    let m: RegExpExecArray | null;
    if (rest.startsWith('(?#')) {
      // A .NET comment: dropped, it matches nothing.
      const close = source.indexOf(')', i);
      if (close < 0) {
        report('DS411', start, source.length, "unterminated (?#…) comment: missing ')'");
        i = source.length;
      } else i = close + 1;
      return '';
    }
    for (const same of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
      if (rest.startsWith(same)) {
        i += same.length;
        return same;
      }
    }
    if (rest.startsWith('(?>')) {
      i += 3;
      unsupported(
        start,
        groupEnd(start),
        'atomic group (?>…) has no JavaScript equivalent: use a plain group (?:…) if backtracking into it is harmless',
      );
      return '(?:';
    }
    if (rest.startsWith('(?(')) {
      i += 2;
      unsupported(start, groupEnd(start), 'conditional (?(…)yes|no) has no JavaScript equivalent: use alternatives with lookaheads');
      return '(?:';
    }
    if ((m = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest))) {
      i += m[0].length;
      return m[0];
    }
    if ((m = /^\(\?'([A-Za-z_][A-Za-z0-9_]*)'/.exec(rest))) {
      i += m[0].length;
      return `(?<${m[1]}>`;
    }
    if ((m = /^\(\?[<']([A-Za-z0-9_]*)-([A-Za-z0-9_]+)[>']/.exec(rest))) {
      i += m[0].length;
      unsupported(start, groupEnd(start), `balancing group ${m[0]}…) has no JavaScript equivalent`);
      return '(?:';
    }
    if ((m = /^\(\?[<'](\d+)[>']/.exec(rest))) {
      i += m[0].length;
      unsupported(
        start,
        i,
        `numbered group name ${m[0]}…) has no JavaScript equivalent: use a plain group ( … ) or a name that starts with a letter`,
      );
      return '(';
    }
    if ((m = /^\(\?[A-Za-z]*(?:-[A-Za-z]*)?\)/.exec(rest))) {
      i += m[0].length;
      unsupported(
        start,
        i,
        `inline options ${m[0]} in the middle of a pattern have no JavaScript equivalent: put them at the very start to apply them to the whole regex`,
      );
      return '';
    }
    if ((m = /^\(\?[A-Za-z]*(?:-[A-Za-z]*)?:/.exec(rest))) {
      i += m[0].length;
      unsupported(
        start,
        groupEnd(start),
        `scoped inline options ${m[0]}…) have no JavaScript equivalent: put (?${m[0].slice(2, -1)}) at the very start to apply them to the whole regex`,
      );
      return '(?:';
    }
    if (rest.startsWith('(?')) {
      i += 2;
      report('DS411', start, i + (i < source.length ? 1 : 0), 'unrecognized grouping construct (?…');
      return '(?:';
    }
    i++;
    return '(';
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') out += translateEscape(false);
    else if (c === '[') out += characterClass();
    else if (c === '(') out += group();
    else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i)))) {
      const start = i;
      const q = c === '{' ? /^\{\d+(,\d*)?\}/.exec(source.slice(i))![0] : c;
      i += q.length;
      out += q;
      if (source[i] === '?') {
        out += '?';
        i++;
      } else if (source[i] === '+') {
        i++;
        unsupported(
          start,
          i,
          `possessive quantifier '${q}+' is supported by neither .NET nor JavaScript: drop the '+', or use a lookahead (?=(…))\\1`,
        );
      }
    } else if (c === '{' || c === '}') {
      // A brace that is not part of a quantifier is a literal in .NET; escaped, it is one in any JS mode.
      out += `\\${c}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }

  const jsFlags = [...flags].sort().join('') + (needUnicode ? 'u' : '');
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      new RegExp(out, jsFlags);
    } catch (e) {
      const message = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      report('DS411', 0, source.length, `invalid regular expression: ${message}`);
    }
  }
  return { jsSource: out, flags: jsFlags, problems };
}
