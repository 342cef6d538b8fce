/** Conversions between the language service's offset-based shapes and LSP's. */
import type * as lsp from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Diagnostic, DocumentSymbol, Severity, SymbolKind, TextEdit } from '../language/service';
import type { TextRange } from '../../../common/config';

const SEVERITY: Record<Severity, lsp.DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

export function toRange(doc: TextDocument, r: TextRange): lsp.Range {
  return { start: doc.positionAt(r.start), end: doc.positionAt(r.end) };
}

export function fromRange(doc: TextDocument, r: lsp.Range): TextRange {
  return { start: doc.offsetAt(r.start), end: doc.offsetAt(r.end) };
}

export function toDiagnostic(doc: TextDocument, d: Diagnostic): lsp.Diagnostic {
  return {
    range: toRange(doc, d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'dirsync',
    message: d.message,
    ...(d.unnecessary ? { tags: [1 /* Unnecessary */] } : {}),
  };
}

export function toTextEdit(doc: TextDocument, e: TextEdit): lsp.TextEdit {
  return { range: toRange(doc, e.range), newText: e.newText };
}

const COMPLETION_KIND: Record<CompletionItem['kind'], lsp.CompletionItemKind> = {
  property: 10, // Property
  value: 12, // Value
  enum: 20, // EnumMember
  snippet: 15, // Snippet
  cloudAttribute: 5, // Field
  adAttribute: 6, // Variable
  matchingRule: 3, // Function
  keyword: 14, // Keyword
};

export function toCompletionItem(doc: TextDocument, c: CompletionItem): lsp.CompletionItem {
  return {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: 'markdown', value: c.documentation } } : {}),
    textEdit: { range: toRange(doc, c.replace), newText: c.insertText },
    insertTextFormat: c.snippet ? 2 : 1,
    ...(c.sortText ? { sortText: c.sortText } : {}),
    ...(c.filterText ? { filterText: c.filterText } : {}),
  };
}

const SYMBOL_KIND: Record<SymbolKind, lsp.SymbolKind> = {
  section: 2, // Module
  object: 19,
  array: 18,
  string: 15,
  number: 16,
  boolean: 17,
  null: 21,
  mapping: 8, // Field
};

export function toDocumentSymbol(doc: TextDocument, s: DocumentSymbol): lsp.DocumentSymbol {
  return {
    name: s.name || '""',
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: toRange(doc, s.range),
    selectionRange: toRange(doc, s.selectionRange),
    children: s.children.map((c) => toDocumentSymbol(doc, c)),
  };
}
