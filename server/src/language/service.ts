/**
 * The `.dirsync` language service: pure functions from document text to diagnostics, completion,
 * hover, symbols, folding and quick fixes. No editor, no transport, no I/O (STYLE.md principle 1):
 * the language server and `dirsync check` adapt it. `loadConfig` is what the CLI and the sync
 * engine use to get a runnable `DirsyncConfig`.
 */
import { analyze, type Analysis } from './analysis';
import { complete, type CompletionSource } from './completion';
export type { CompletionSource } from './completion';
import { parseConfigTree } from './config/tree';
import type { DirsyncConfig, TextRange } from '../../../common/config';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover } from './diagnostics';
import { hover, type HoverOptions } from './hover';
import { documentSymbols, foldingRanges } from './outline';
import type { LineIndex } from './positions';

export { analyze, checkTree, editTree, reanalyze, type Analysis, type EditedTree, type TextChange } from './analysis';
export type * from './diagnostics';
export { CODES, severityOf } from './codes';
export { LineIndex, type Position, type LineRange } from './positions';
export { EXAMPLE_ENTRY } from './exampleEntry';
export type { DirsyncConfig } from '../../../common/config';

/** Diagnostics of a document, sorted by position. */
export function validate(text: string): readonly Diagnostic[] {
  return analyze(text).diagnostics;
}

/** Completion at an offset of an analyzed (or just parsed: see `parseForCompletion`) document. */
export function completionsAt(source: CompletionSource, offset: number): CompletionItem[] {
  return complete(source, offset);
}

/** The parse tree alone, enough for completion (no checks): fast after an edit. */
export function parseForCompletion(text: string): CompletionSource {
  return { text, root: parseConfigTree(text).root };
}

export function hoverAt(analysis: Analysis, offset: number, options?: HoverOptions): Hover | undefined {
  return hover(analysis, offset, options);
}

export function symbols(analysis: Analysis): DocumentSymbol[] {
  return documentSymbols(analysis);
}

/** `lineAt`: the line of an offset, when the caller keeps the document's lines (see `foldingRanges`). */
export function folding(analysis: Analysis, lineAt?: (offset: number) => number): FoldingRange[] {
  return foldingRanges(analysis, lineAt);
}

function overlaps(a: TextRange, b: TextRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Quick fixes for the diagnostics that touch `range`. With `codes`, only fixes of those codes
 * (an editor passes the diagnostics it shows in its code-action context).
 */
export function codeActions(analysis: Analysis, range: TextRange, codes?: readonly string[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    if (!d.fixes?.length || !overlaps(d.range, range)) continue;
    if (codes && !codes.includes(d.code)) continue;
    for (const f of d.fixes) {
      if (!f.edits.length) continue;
      out.push({ title: f.title, kind: 'quickfix', diagnostic: d, edits: f.edits, ...(f.preferred ? { preferred: true } : {}) });
    }
  }
  return out;
}

export type LoadResult =
  | { readonly ok: true; readonly config: DirsyncConfig; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly config: DirsyncConfig; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses and checks a config for running: `ok` when no diagnostic is an error (warnings are
 * returned for the caller to print). The model is returned either way, for previews.
 */
export function loadConfig(text: string): LoadResult {
  const a = analyze(text);
  const ok = !a.diagnostics.some((d) => d.severity === 'error');
  return { ok, config: a.config, diagnostics: a.diagnostics } as LoadResult;
}

/** `file:line:col severity code message` (1-based), as `dirsync check` prints a diagnostic. */
export function formatDiagnostic(file: string, lines: LineIndex, d: Diagnostic): string {
  const p = lines.positionAt(d.range.start);
  return `${file}:${p.line + 1}:${p.character + 1} ${d.severity} ${d.code} ${d.message}`;
}
