/** Text edits for quick fixes: insert a property, replace a key or value, formatted like the file. */
import { modify, type FormattingOptions, parse } from 'jsonc-parser';
import type { QuickFix, TextEdit } from '../diagnostics';

/** Indentation of the document: tabs, or the smallest indent of a line (2 or 4 spaces). */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let tabs = 0;
  let spaces = 0;
  let smallest = Infinity;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    const indent = m[1]!;
    if (indent.startsWith('\t')) tabs++;
    else {
      spaces++;
      smallest = Math.min(smallest, indent.length);
    }
  }
  if (tabs > spaces) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: Number.isFinite(smallest) ? Math.min(8, smallest) : 2, eol };
}

/** Turns a completion snippet body into plain text: placeholders take their default. */
export function snippetToPlain(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
}

/** Edits that set `path` (a property, created with its parents when missing) to `value`. */
export function setValueEdits(text: string, path: Array<string | number>, value: unknown): TextEdit[] {
  try {
    return modify(text, path, value, { formattingOptions: detectFormatting(text) }).map((e) => ({
      range: { start: e.offset, end: e.offset + e.length },
      newText: e.content,
    }));
  } catch {
    return [];
  }
}

/**
 * A quick fix whose edits are made when first read (a code-action request), not by every analysis:
 * `setValueEdits` parses the whole text (tens of milliseconds on a 5,000-line config), which would
 * otherwise run on each keystroke while the diagnostic stays. `edits` must read only what does not
 * change afterwards: the analysed version's text (not the parse tree, which later edits move) and
 * values copied now.
 */
export function lazyFix(fix: { readonly title: string; readonly preferred?: boolean }, edits: () => TextEdit[]): QuickFix {
  let made: readonly TextEdit[] | undefined;
  return {
    ...fix,
    get edits() {
      return (made ??= edits());
    },
  };
}

/** A plain JSON value from a snippet body (`{ "count": ${1:50} }` → `{count: 50}`), or undefined. */
export function snippetValue(snippet: string): unknown {
  const plain = snippetToPlain(snippet);
  const errors: unknown[] = [];
  const v = parse(plain, errors as never, { allowTrailingComma: true });
  return errors.length ? undefined : v;
}
