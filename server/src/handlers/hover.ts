import type { Connection, Hover } from 'vscode-languageserver';
import type { SecretRef } from '../../../common/config';
import { liveHover } from '../language/live/index';
import { hoverAt } from '../language/service';
import { hoverInputFor } from '../live/features';
import type { LivePreviews } from '../live/previews';
import { toSignal } from './cancel';
import type { DocumentStore } from './documents';
import { toRange } from './convert';
import { guard } from './safe';

/** Hover: the static docs, evaluated on the live preview entry when bound, plus the live part. */
export function registerHover(
  connection: Connection,
  store: DocumentStore,
  live?: LivePreviews,
  opts: { waitMs: number; resolveSecret: (uri: string, ref: SecretRef) => Promise<string | undefined> } = {
    waitMs: 800,
    resolveSecret: async () => undefined,
  },
): void {
  connection.onHover(
    guard(connection, 'hover', null as Hover | null, async (params, token) => {
      const doc = store.get(params.textDocument.uri);
      if (!doc) return null;
      const analysis = store.analysis(doc);
      const version = doc.version;
      const offset = doc.offsetAt(params.position);
      const signal = toSignal(token);
      const input = live
        ? await hoverInputFor(live, doc.uri, analysis, offset, {
            waitMs: opts.waitMs,
            resolveSecret: (ref) => opts.resolveSecret(doc.uri, ref),
            ...(signal ? { signal } : {}),
          })
        : undefined;
      // Edited while the directory answered: the position and the analysis are out of date (the
      // next analysis may have taken over its tree), and the editor asks again.
      if (doc.version !== version) return null;
      const errors: string[] = [];
      const h = hoverAt(analysis, offset, {
        internalErrors: errors,
        bound: live?.get(doc.uri)?.binding.state === 'bound',
        ...(input?.user ? { entry: input.user, entryLabel: input.userLabel ?? 'the sample user' } : {}),
      });
      for (const e of errors) connection.console.warn(`dirsync: hover: ${e}`);
      const extra = input ? liveHover(analysis, offset, input) : undefined;
      if (!h && !extra) return null;
      const contents = [h?.contents, extra?.contents].filter(Boolean).join('\n\n---\n\n');
      return { contents: { kind: 'markdown', value: contents }, range: toRange(doc, (h ?? extra)!.range) };
    }),
  );
}
