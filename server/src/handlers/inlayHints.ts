import type { Connection, InlayHint } from 'vscode-languageserver';
import { hintsFor } from '../live/features';
import type { LivePreviews } from '../live/previews';
import type { DocumentStore } from './documents';
import { guard } from './safe';

/** Inlay hints: each mapping's value on the preview entry (`→ "Ada Lovelace"`); cache only, never waits. */
export function registerInlayHints(connection: Connection, store: DocumentStore, live: LivePreviews): void {
  connection.languages.inlayHint.on(
    guard(connection, 'inlayHint', [] as InlayHint[], (params) => {
      const doc = store.get(params.textDocument.uri);
      if (!doc) return [];
      const from = doc.offsetAt(params.range.start);
      const to = doc.offsetAt(params.range.end);
      return hintsFor(live, doc.uri, store.analysis(doc))
        .filter((h) => h.offset >= from && h.offset <= to)
        .map((h) => ({
          position: doc.positionAt(h.offset),
          label: h.label,
          paddingLeft: true,
          tooltip: { kind: 'markdown', value: h.tooltip },
        }));
    }),
  );
}
