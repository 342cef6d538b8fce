/**
 * What the local cloud refuses before doing any work, with a 4xx and never a 500: a body that is
 * not JSON by its media type (415), JSON nested deeper than any SCIM resource (400), and filters
 * nested or long enough to exhaust the parser's stack or hold the server up evaluating them (400
 * invalidFilter). Each check is linear in its input.
 */
import type { IncomingMessage } from 'node:http';
import { ScimHttpError, badRequest } from './errors';

/** Levels of objects/arrays a request body may nest (a SCIM resource needs about five). */
export const MAX_JSON_DEPTH = 32;
/** Parentheses and `[…]` value filters a filter may nest. */
export const MAX_FILTER_DEPTH = 32;
/** Comparisons and logical operators (`and`, `or`, `not`) in one filter. */
export const MAX_FILTER_TERMS = 200;
/** Characters of one filter. */
export const MAX_FILTER_LENGTH = 4096;

/** 415 unless a request body is JSON by its declared media type (`application/scim+json`, `application/json`, `…+json`); none declared is taken as JSON. */
export function checkJsonMediaType(req: IncomingMessage): void {
  const declared = req.headers['content-type'];
  if (declared === undefined || declared === '') return;
  const type = declared.split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type)) return;
  throw new ScimHttpError(415, undefined, `the body's media type is ${JSON.stringify(type)}; send application/scim+json`);
}

/** 400 invalidSyntax when parsed JSON nests deeper than MAX_JSON_DEPTH (checked without recursion). */
export function checkJsonDepth(value: unknown): void {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw badRequest('invalidSyntax', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
  }
}

/**
 * 400 invalidFilter for a filter too long, nested too deep or with too many terms, before it is
 * parsed (outside quoted strings, which may hold any character).
 */
export function checkFilterSize(text: string): void {
  const refuse = (why: string) => badRequest('invalidFilter', `the filter ${why}`);
  if (text.length > MAX_FILTER_LENGTH) throw refuse(`has ${text.length} characters; at most ${MAX_FILTER_LENGTH} are accepted`);
  let depth = 0;
  let terms = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '[') {
      if (++depth > MAX_FILTER_DEPTH) throw refuse(`nests deeper than ${MAX_FILTER_DEPTH} levels`);
    } else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ' ' && /^ (?:and|or|eq|ne|co|sw|ew|gt|ge|lt|le|pr)\b/i.test(text.slice(i, i + 4))) {
      if (++terms > MAX_FILTER_TERMS) throw refuse(`has more than ${MAX_FILTER_TERMS} terms`);
    }
  }
}
