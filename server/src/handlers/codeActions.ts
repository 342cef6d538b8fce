import type { CodeAction, Connection } from 'vscode-languageserver';
import { codeActions } from '../language/service';
import type { DocumentStore } from './documents';
import { fromRange, toDiagnostic, toTextEdit } from './convert';
import { guard } from './safe';

export function registerCodeActions(connection: Connection, store: DocumentStore): void {
  connection.onCodeAction(
    guard(connection, 'codeAction', [] as CodeAction[], (params) => {
      const doc = store.get(params.textDocument.uri);
      if (!doc) return [];
      const codes = params.context.diagnostics.map((d) => String(d.code));
      return codeActions(store.analysis(doc), fromRange(doc, params.range), codes.length ? codes : undefined).map((a) => ({
        title: a.title,
        kind: 'quickfix',
        diagnostics: [toDiagnostic(doc, a.diagnostic)],
        edit: { changes: { [doc.uri]: a.edits.map((e) => toTextEdit(doc, e)) } },
        ...(a.preferred ? { isPreferred: true } : {}),
      }));
    }),
  );
}
