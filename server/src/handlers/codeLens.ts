import type { CodeLens, Connection } from 'vscode-languageserver';
import { lensesFor } from '../live/features';
import type { LivePreviews } from '../live/previews';
import type { DocumentStore } from './documents';
import { toRange } from './convert';
import { guard } from './safe';

/** CodeLenses over the object selections (live counts) and the avatar pattern; cache only, never waits. */
export function registerCodeLens(connection: Connection, store: DocumentStore, live: LivePreviews): void {
  connection.onCodeLens(
    guard(connection, 'codeLens', [] as CodeLens[], (params) => {
      const doc = store.get(params.textDocument.uri);
      if (!doc) return [];
      return lensesFor(live, doc.uri, doc.version, store.analysis(doc)).map((l) => ({
        range: toRange(doc, l.range),
        command: { title: l.title, command: l.command?.id ?? '', ...(l.command ? { arguments: [...l.command.args] } : {}) },
      }));
    }),
  );
}
