/**
 * Avatar URI patterns: a URL with `{attribute}` and `{attribute: regex}` placeholders. The regex is
 * written in .NET's dialect (the seed links Microsoft's reference) and run by JavaScript; what
 * JavaScript cannot run is a problem. Pure: no I/O.
 */
import { valueToText } from '../../domain/adValues';
import type { TextRange } from '../../../../common/config';
import type { DirectoryEntry } from '../../domain/entry';
import type { ParseResult } from '../problems';
import { parsePatternText } from './parse';

export type AvatarUriPart =
  | { readonly type: 'literal'; readonly text: string; readonly range: TextRange }
  | {
      readonly type: 'placeholder';
      readonly attribute: string;
      readonly attributeRange: TextRange;
      /**
       * The regex as written (blanks after ':' and before '}' trimmed), the JavaScript RegExp
       * source it runs as, and its JavaScript flags (from leading inline options such as (?i)).
       */
      readonly regex?: { readonly source: string; readonly jsSource: string; readonly flags?: string; readonly range: TextRange };
      readonly range: TextRange;
    };

export interface AvatarUriPattern {
  readonly parts: readonly AvatarUriPart[];
}

export { AVATAR_URI_CODES, type AvatarUriCode } from './codes';
export { translateDotnetRegex, type TranslatedRegex } from './dotnetRegex';

/** Parses a pattern (JSON escapes already removed). Problems carry DS4xx codes. */
export function parseAvatarUriPattern(text: string): ParseResult<AvatarUriPattern> {
  return parsePatternText(text);
}

/** Compiled regexes per parsed placeholder: resolution runs once per user with the same pattern. */
const regexCache = new WeakMap<object, RegExp>();
function compiled(regex: { readonly jsSource: string; readonly flags?: string }): RegExp {
  let re = regexCache.get(regex);
  if (!re) {
    re = new RegExp(regex.jsSource, regex.flags ?? '');
    regexCache.set(regex, re);
  }
  return re;
}

export type AvatarUriResolution =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly reason: 'missingAttribute' | 'noMatch'; readonly attribute: string };

/**
 * Resolves on an entry: each placeholder takes the regex's first match in the attribute's first
 * value (or the whole value), URL-encoded with encodeURIComponent. An absent or empty attribute is
 * `missingAttribute`; a regex that does not match, or matches only an empty string, is `noMatch`
 * (a URL with an empty segment would fetch the wrong resource).
 */
export function resolveAvatarUri(pattern: AvatarUriPattern, entry: DirectoryEntry): AvatarUriResolution {
  let url = '';
  for (const part of pattern.parts) {
    if (part.type === 'literal') {
      url += part.text;
      continue;
    }
    const raw = entry.attributes[part.attribute.toLowerCase()]?.[0];
    const value = raw === undefined ? '' : valueToText(part.attribute, raw);
    if (value === '') return { ok: false, reason: 'missingAttribute', attribute: part.attribute };
    let piece = value;
    if (part.regex) {
      const m = compiled(part.regex).exec(value);
      if (!m || m[0] === '') return { ok: false, reason: 'noMatch', attribute: part.attribute };
      piece = m[0];
    }
    url += encodeURIComponent(piece);
  }
  return { ok: true, url };
}
