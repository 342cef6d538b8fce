import type { Connection, DocumentSymbol, FoldingRange } from 'vscode-languageserver';
import { folding, symbols } from '../language/service';
import type { DocumentStore } from './documents';
import { toDocumentSymbol } from './convert';
import { guard } from './safe';

export function registerOutline(connection: Connection, store: DocumentStore): void {
  connection.onDocumentSymbol(
    guard(connection, 'documentSymbol', [] as DocumentSymbol[], (params) => {
      const doc = store.get(params.textDocument.uri);
      return doc ? symbols(store.analysis(doc)).map((s) => toDocumentSymbol(doc, s)) : [];
    }),
  );
  connection.onFoldingRanges(
    guard(connection, 'foldingRanges', [] as FoldingRange[], (params) => {
      const doc = store.get(params.textDocument.uri);
      return doc
        ? // The document's own line offsets (kept per edit): no line table of the whole text per request.
          folding(store.analysis(doc), (offset) => doc.positionAt(offset).line).map((f) => ({
            startLine: f.startLine,
            endLine: f.endLine,
            ...(f.kind ? { kind: f.kind } : {}),
          }))
        : [];
    }),
  );
}
