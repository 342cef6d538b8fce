/**
 * The three embedded languages inside JSON strings: LDAP filters (`objects.*.filter`), attribute
 * expressions (`attributes.*`, `contactAttributes.*`) and avatar URI patterns (`avatar.uriPattern`).
 * Each string is decoded through its JSON escapes, parsed by its grammar module, and the grammar's
 * problems (DS2xx/3xx/4xx, offsets into the decoded text) are mapped back into the document.
 *
 * Grammar calls are guarded: a throwing parser (a bug, or a stub) costs that one string its
 * checks and is recorded in `internalErrors`, never the whole analysis.
 */
import { parseAttributeExpression, type Expression } from './attrExpr/index';
import { parseAvatarUriPattern, type AvatarUriPattern } from './avatarUri/index';
import type { Diagnostic } from './diagnostics';
import { decodeJsonString, toDocument, type DecodedString } from './config/jsonString';
import type { StringFormat } from './config/specTypes';
import type { TypedString } from './config/structure';
import { parseLdapFilter, type FilterNode } from './ldapFilter/index';
import type { ParseResult } from './problems';
import { TextMemo } from './memo';
import type { TextSource } from './text';

export type EmbeddedFormat = Extract<StringFormat, 'ldapFilter' | 'attrExpr' | 'avatarUri'>;

interface EmbeddedBase {
  readonly path: ReadonlyArray<string | number>;
  readonly decoded: DecodedString;
}

/** One embedded-language string of the document with its parse result (undefined when the parser threw). */
export type EmbeddedValue =
  | (EmbeddedBase & { readonly format: 'ldapFilter'; readonly result?: ParseResult<FilterNode> })
  | (EmbeddedBase & { readonly format: 'attrExpr'; readonly result?: ParseResult<Expression> })
  | (EmbeddedBase & { readonly format: 'avatarUri'; readonly result?: ParseResult<AvatarUriPattern> });

const PARSERS = {
  ldapFilter: parseLdapFilter,
  attrExpr: parseAttributeExpression,
  avatarUri: parseAvatarUriPattern,
} as const;

/**
 * Parse results by format and text. Configs repeat the same expressions and filters, and the
 * editor re-validates on every keystroke, so results are memoized (bounded; results are immutable).
 */
const cache = new Map<string, ParseResult<unknown>>();
const CACHE_LIMIT = 5000;

/** Parses one embedded text, never throwing; `error` is set when the grammar module threw. */
export function parseEmbedded(format: EmbeddedFormat, text: string): { result?: ParseResult<unknown>; error?: string } {
  const key = format + '\u0000' + text;
  const hit = cache.get(key);
  if (hit) return { result: hit };
  try {
    const result = PARSERS[format](text) as ParseResult<unknown>;
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, result);
    return { result };
  } catch (err) {
    return {
      error: `${format} parser failed on ${JSON.stringify(text.slice(0, 80))}: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** Empties the parse memo (benchmarks measure cold validation with it). */
export function clearEmbeddedCache(): void {
  cache.clear();
}

export function isEmbeddedFormat(f: StringFormat | undefined): f is EmbeddedFormat {
  return f === 'ldapFilter' || f === 'attrExpr' || f === 'avatarUri';
}

/** Parses every embedded string found by the structural pass and maps its problems into the document. */
export function checkEmbedded(
  text: TextSource,
  strings: readonly TypedString[],
  diagnostics: Diagnostic[],
  internalErrors: string[],
): EmbeddedValue[] {
  const out: EmbeddedValue[] = [];
  for (const s of strings) {
    const format = s.spec.format;
    if (!isEmbeddedFormat(format)) continue;
    const decoded = decodeEmbedded(text, s.node.offset, s.node.length);
    const { result, error } = parseEmbedded(format, decoded.value);
    if (error) {
      internalErrors.push(error);
      diagnostics.push({
        range: { start: s.node.offset, end: s.node.offset + s.node.length },
        severity: 'error',
        code: 'DS110',
        message: 'This value could not be checked; it is not used until it can be',
      });
    }
    out.push({ format, path: s.path, decoded, ...(result ? { result } : {}) } as EmbeddedValue);
    for (const p of result?.problems ?? []) {
      const range = safeProblemRange(decoded, p.start, p.end);
      diagnostics.push({ range, severity: p.severity, code: p.code, message: p.message });
    }
  }
  return out;
}

/**
 * The strings decoded, by their source text (quotes and escapes as written), with offsets from the
 * opening quote: a keystroke elsewhere in the document only moves them, so the next analysis shifts
 * the offsets instead of decoding the string again.
 */
const decodedBySource = new TextMemo<DecodedString>((source) => decodeJsonString(source, 0, source.length), 2_000);

/** `decodeJsonString(text, start, length)`, through the memo of decoded sources. */
export function decodeEmbedded(text: TextSource, start: number, length: number): DecodedString {
  const rel = decodedBySource.get(text.slice(start, start + length));
  const map = new Int32Array(rel.map.length);
  for (let i = 0; i < map.length; i++) map[i] = rel.map[i]! + start;
  return { value: rel.value, start, end: rel.end + start, map };
}

/** Maps a grammar range into the document; garbage from a buggy grammar is clamped into the string. */
function safeProblemRange(decoded: DecodedString, start: number, end: number) {
  const s = Number.isFinite(start) ? start : 0;
  const e = Number.isFinite(end) ? Math.max(s, end) : s;
  return toDocument(decoded, { start: s, end: e });
}

/** Maps a range in an embedded value (a grammar AST range) into the document. */
export function embeddedRange(value: EmbeddedValue, range: { start: number; end: number }) {
  return safeProblemRange(value.decoded, range.start, range.end);
}
