/**
 * The language service's own result shapes. They are plain data with offsets (no LSP runtime):
 * the server converts them to LSP types, `dirsync check` to `file:line:col`.
 */
import type { TextRange } from '../../../common/config';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text edit on the document, offsets end-exclusive. */
export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

/** A quick fix attached to the diagnostic it repairs. */
export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor may apply on "auto fix" (one obvious repair). */
  readonly preferred?: boolean;
}

export interface Diagnostic {
  readonly range: TextRange;
  readonly severity: Severity;
  /** Stable code, see codes.ts (DS1xx structure, DS2xx–4xx embedded languages, DS5xx semantic). */
  readonly code: string;
  readonly message: string;
  readonly fixes?: readonly QuickFix[];
  /** Marks code that is not needed (e.g. a setting ignored for this source); editors fade it. */
  readonly unnecessary?: boolean;
}

export type CompletionKind = 'property' | 'value' | 'enum' | 'snippet' | 'cloudAttribute' | 'adAttribute' | 'matchingRule' | 'keyword';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Short text beside the label (type, SCIM path, …). */
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Text to insert; a snippet (`${1:x}` placeholders) when `snippet` is true. */
  readonly insertText: string;
  readonly snippet?: boolean;
  /** The document range the insert text replaces. */
  readonly replace: TextRange;
  readonly sortText?: string;
  readonly filterText?: string;
  readonly deprecated?: boolean;
}

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly range: TextRange;
}

export type SymbolKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'section' | 'mapping';

export interface DocumentSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: SymbolKind;
  readonly range: TextRange;
  readonly selectionRange: TextRange;
  readonly children: readonly DocumentSymbol[];
}

export interface FoldingRange {
  /** 0-based lines. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

export interface CodeAction {
  readonly title: string;
  readonly kind: 'quickfix';
  /** The diagnostic this action fixes. */
  readonly diagnostic: Diagnostic;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}
