/**
 * Avatar URI pattern text → parts, through grammars/avatarUri.ohm; then the URL is checked and
 * every placeholder's regex is translated from .NET to JavaScript (dotnetRegex.ts).
 */
import type { MatchResult, Node } from 'ohm-js';
import grammar from '../../../../grammars/avatarUri.ohm-bundle';
import type { ParseResult, SyntaxProblem } from '../problems';
import { columnOf, parseResult, problemFrom } from '../problems';
import { AVATAR_URI_CODES, type AvatarUriCode } from './codes';
import { translateDotnetRegex } from './dotnetRegex';
import type { AvatarUriPart, AvatarUriPattern } from './index';
import type { Mutable } from '../../domain/mutable';

const problem = (code: AvatarUriCode, start: number, end: number, message: string): SyntaxProblem =>
  problemFrom(AVATAR_URI_CODES, code, start, end, message);

const semantics = grammar.createSemantics();
semantics.addOperation<AvatarUriPart[] | AvatarUriPart>('parts', {
  pattern(parts) {
    return parts.children.map((p) => p['parts']() as AvatarUriPart);
  },
  part(p) {
    return p['parts']();
  },
  literal(_chars) {
    return { type: 'literal', text: this.sourceString, range: { start: this.source.startIdx, end: this.source.endIdx } };
  },
  placeholder(_open, _b1, name, _b2, regexPart, _close) {
    const part: Mutable<Extract<AvatarUriPart, { type: 'placeholder' }>> = {
      type: 'placeholder',
      attribute: name.sourceString,
      attributeRange: { start: name.source.startIdx, end: name.source.endIdx },
      range: { start: this.source.startIdx, end: this.source.endIdx },
    };
    if (regexPart.numChildren > 0) {
      const node: Node = regexPart.child(0);
      // After ':' leading and trailing blanks are layout, as in the seed's `{mail: .*?(?=@.*)}`.
      const raw = node.sourceString.slice(1);
      const lead = raw.length - raw.trimStart().length;
      const source = raw.trim();
      const start = node.source.startIdx + 1 + lead;
      if (source !== '') part.regex = { source, jsSource: '', flags: '', range: { start, end: start + source.length } };
      else part.regex = { source: '', jsSource: '', flags: '', range: { start: node.source.startIdx, end: node.source.endIdx } };
    }
    return part;
  },
});

interface FailedMatch {
  getRightmostFailurePosition(): number;
  getExpectedText(): string;
}

/** The one problem for a failed match. */
function diagnose(text: string, match: MatchResult): SyntaxProblem {
  const p = (match as unknown as FailedMatch).getRightmostFailurePosition();
  // Which placeholder is open at p (braces balance inside placeholders, escapes skipped).
  let open: number | undefined;
  let depth = 0;
  for (let i = 0; i < p && i < text.length; i++) {
    const c = text[i];
    if (depth > 0 && c === '\\') i++;
    else if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) depth--;
  }
  const c = text[p];
  if (depth === 0 && c === '}')
    return problem('DS403', p, p + 1, "unmatched '}': no placeholder is open (write %7D for a literal brace in a URL)");
  if (open !== undefined && depth > 0) {
    if (p >= text.length) {
      return problem('DS402', open, p, `the placeholder opened at column ${columnOf(open)} is not closed: expected '}'`);
    }
    const inside = text.slice(open + 1, p);
    if (!inside.includes(':')) {
      if (inside.trim() === '') {
        return problem('DS404', open, Math.min(p + 1, text.length), "expected an attribute name after '{', e.g. {mail} or {mail: regex}");
      }
      return problem(
        'DS404',
        p,
        p + 1,
        `expected ':' or '}' after the attribute name '${inside.trim()}', found '${c}' (attribute names hold letters, digits and '-')`,
      );
    }
  }
  return problem('DS401', p, Math.min(p + 1, text.length), `expected ${(match as unknown as FailedMatch).getExpectedText()}`);
}

const FORBIDDEN_IN_URL = /[ "<>\\^`|\t\n\r]/g;

/** URL-level checks: scheme, characters that must be encoded, validity, placeholders in the host. */
function checkUrl(text: string, parts: readonly AvatarUriPart[], out: SyntaxProblem[]): void {
  const placeholders = parts.filter((p) => p.type === 'placeholder');
  const first = parts[0];
  if (first?.type !== 'literal' || !/^https?:\/\//i.test(first.text)) {
    const scheme = first?.type === 'literal' ? /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(first.text) : null;
    const end = scheme ? scheme[0].length : (first?.range.end ?? 0);
    out.push(problem('DS405', 0, end, 'the URL must start with http:// or https:// (the scheme and host cannot come from a placeholder)'));
    return;
  }
  for (const part of parts) {
    if (part.type !== 'literal') continue;
    for (const m of part.text.matchAll(FORBIDDEN_IN_URL)) {
      const at = part.range.start + m.index;
      const enc = `%${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
      out.push(problem('DS406', at, at + 1, `${m[0] === ' ' ? 'a space' : `'${m[0]}'`} must be percent-encoded in a URL: write ${enc}`));
    }
  }
  if (out.some((p) => p.code === 'DS406')) return;
  // Fill placeholders with a marker to see where they land in the URL.
  const marker = 'dirsyncplaceholder';
  const sample = parts.map((p) => (p.type === 'literal' ? p.text : marker)).join('');
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    out.push(problem('DS407', 0, text.length, 'not a valid URL once the placeholders are filled in'));
    return;
  }
  if (url.hostname.includes(marker) || url.host === '') {
    const inHost = placeholders.find((p) => {
      const before = parts
        .slice(0, parts.indexOf(p))
        .map((q) => (q.type === 'literal' ? q.text : marker))
        .join('');
      return !/^[a-z]+:\/\/[^/?#]*[/?#]/i.test(before);
    });
    const r = inHost?.range ?? { start: 0, end: text.length };
    out.push(problem('DS408', r.start, r.end, 'a placeholder in the host name lets directory data choose which server is contacted'));
  }
  if (placeholders.length === 0) {
    out.push(problem('DS409', 0, text.length, 'no placeholder such as {mail}: every user would get the same avatar'));
  }
}

/** Parses a pattern: one DS4xx error for a failed match, else the parts with URL and regex problems. */
export function parsePatternText(text: string): ParseResult<AvatarUriPattern> {
  const match = grammar.match(text);
  if (match.failed()) return parseResult<AvatarUriPattern>(undefined, [diagnose(text, match)]);
  const parts = semantics(match)['parts']() as Array<Mutable<AvatarUriPart>>;
  const problems: SyntaxProblem[] = [];
  checkUrl(text, parts, problems);
  for (const part of parts) {
    if (part.type !== 'placeholder' || !part.regex) continue;
    if (part.regex.source === '') {
      problems.push(problem('DS412', part.regex.range.start, part.regex.range.end, "empty regex after ':': the whole value is used"));
      delete (part as { regex?: unknown }).regex;
      continue;
    }
    const translated = translateDotnetRegex(part.regex.source, part.regex.range.start);
    problems.push(...translated.problems);
    part.regex = { ...part.regex, jsSource: translated.jsSource, flags: translated.flags };
  }
  return parseResult<AvatarUriPattern>({ parts }, problems);
}
