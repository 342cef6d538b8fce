import type { CompletionList, Connection } from 'vscode-languageserver';
import { liveCompletionNeeds, withLiveItems } from '../language/live/index';
import { completionsAt } from '../language/service';
import { completionDataFor } from '../live/features';
import type { LivePreviews } from '../live/previews';
import { toSignal } from './cancel';
import type { DocumentStore } from './documents';
import { toCompletionItem } from './convert';
import { guard } from './safe';

/**
 * Completion: the static items at once; with a bound directory, plus schema attributes, base DNs
 * and groups from it (waiting at most `liveWaitMs` for what is not cached; then the list is
 * marked incomplete so the next keystroke asks again and gets the answers).
 */
export function registerCompletion(
  connection: Connection,
  store: DocumentStore,
  live?: LivePreviews,
  liveWaitMs: () => number = () => 800,
): void {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  connection.onCompletion(
    guard(connection, 'completion', empty, async (params, token) => {
      const doc = store.get(params.textDocument.uri);
      if (!doc) return empty;
      const source = store.completionSource(doc);
      const offset = doc.offsetAt(params.position);
      let items = completionsAt(source, offset);
      let isIncomplete = false;
      if (live?.isBound(doc.uri)) {
        const needs = liveCompletionNeeds(source, offset, items);
        if (needs.length) {
          const signal = toSignal(token);
          const { data, complete } = await completionDataFor(live, doc.uri, needs, { waitMs: liveWaitMs(), ...(signal ? { signal } : {}) });
          items = withLiveItems(items, needs, data);
          // DN and group lists follow what is typed (one-level searches): ask again on the next keystroke.
          isIncomplete = !complete || needs.some((n) => n.kind !== 'schema');
        }
      }
      return { isIncomplete, items: items.map((c) => toCompletionItem(doc, c)) };
    }),
  );
}
