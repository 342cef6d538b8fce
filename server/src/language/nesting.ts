/**
 * Nesting limits, checked by a linear scan before a recursive parser sees the text: JSON (the
 * config document), LDAP filters and attribute expressions. A document or value nested deeper than
 * any config needs is reported as a diagnostic where the nesting goes past the limit, instead of
 * overflowing the call stack of the parser or of a check that walks the tree.
 */

/** Levels of `{`/`[`, filter `(` or expression `(` a config may nest. */
export const MAX_NESTING = 64;
/** Binary operators in one attribute expression (each one nests the tree a level deeper). */
export const MAX_OPERATORS = 256;

/** Offset of the `{`/`[` that opens level MAX_NESTING + 1 of a JSONC text, skipping strings and comments. */
export function jsonTooDeep(text: string, max = MAX_NESTING): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22 || d === 0x0a || d === 0x0d) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      // A line comment ends at CR or LF, as jsonc-parser's scanner has it.
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 0x0a && text.charCodeAt(i + 1) !== 0x0d) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Offset of the `(` that opens level MAX_NESTING + 1 of an LDAP filter (values escape parentheses as \28 \29). */
export function filterTooDeep(text: string, max = MAX_NESTING): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 /* ( */) {
      if (++depth > max) return i;
    } else if (c === 0x29 /* ) */) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * Where an attribute expression goes past the limits, outside string literals: the `(` that opens
 * level MAX_NESTING + 1, or operator number MAX_OPERATORS + 1 (`|`, `+`, `%`, `-`).
 */
export function expressionTooDeep(
  text: string,
  max = MAX_NESTING,
  maxOperators = MAX_OPERATORS,
): { readonly offset: number; readonly kind: 'parentheses' | 'operators' } | undefined {
  let depth = 0;
  let operators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(') {
      if (++depth > max) return { offset: i, kind: 'parentheses' };
    } else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' || c === '+' || c === '%' || c === '-') {
      if (++operators > maxOperators) return { offset: i, kind: 'operators' };
    }
  }
  return undefined;
}
