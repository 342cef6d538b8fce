/**
 * Validation, debounced per document: the last change wins, older pending runs are dropped (also
 * one that is due when a change arrives: it lets waiting messages go first).
 * Static diagnostics go out first, never waiting for the directory; the live DS6xx ones known so
 * far (cached) are merged in, and the live previews are told so they can ask the directory for
 * the rest and publish again (`publish`) when the answers are in.
 */
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../language/analysis';
import type { Diagnostic } from '../language/service';
import type { DocumentStore } from './documents';
import { toDiagnostic } from './convert';

export interface DiagnosticsHooks {
  /** The diagnostics to publish for an analysis: the static ones plus the cached live ones. */
  merge?(doc: TextDocument, analysis: Analysis): readonly Diagnostic[];
  /** Called after the static diagnostics of an open or edit are out. */
  afterPublish?(doc: TextDocument, analysis: Analysis): void;
}

export interface DiagnosticsPublisher {
  /** Publishes the document's current diagnostics now (static + cached live), e.g. when live answers arrive. */
  publish(uri: string): void;
}

export function registerDiagnostics(
  connection: Connection,
  store: DocumentStore,
  delayMs: number,
  hooks: DiagnosticsHooks = {},
): DiagnosticsPublisher {
  /** Each document's pending validation: its timer, then (once due) the turn it waits for. */
  const timers = new Map<string, { cancel(): void }>();
  const send = (uri: string, edit: boolean) => {
    try {
      const doc = store.get(uri);
      if (!doc) return;
      const analysis = store.analysis(doc);
      let diagnostics: readonly Diagnostic[] = analysis.diagnostics;
      try {
        diagnostics = hooks.merge?.(doc, analysis) ?? analysis.diagnostics;
      } catch (err) {
        connection.console.error(
          `dirsync: live diagnostics of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnostics.map((d) => toDiagnostic(doc, d)) });
      if (edit) hooks.afterPublish?.(doc, analysis);
    } catch (err) {
      connection.console.error(`dirsync: validation of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  const schedule = (uri: string, delay: number) => {
    timers.get(uri)?.cancel();
    const timer = setTimeout(() => {
      // Due: a message that is already waiting goes first. libuv runs due timers before it reads
      // input, and vscode-jsonrpc handles what it read on a setImmediate queued after `first`;
      // the checks run on the turn after. A keystroke arriving just then drops this validation
      // (its own is due after the delay), so the completion typed with it does not wait for the
      // checks of the version it replaced.
      const first = setImmediate(() => {
        const second = setImmediate(() => {
          timers.delete(uri);
          send(uri, true);
        });
        timers.set(uri, { cancel: () => clearImmediate(second) });
      });
      timers.set(uri, { cancel: () => clearImmediate(first) });
    }, delay);
    timers.set(uri, { cancel: () => clearTimeout(timer) });
  };
  // Opening validates at once; typing waits for a pause.
  store.documents.onDidOpen((e) => schedule(e.document.uri, 0));
  store.documents.onDidChangeContent((e) => schedule(e.document.uri, delayMs));
  store.documents.onDidClose((e) => {
    timers.get(e.document.uri)?.cancel();
    timers.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  return {
    publish(uri) {
      // An edit still waiting for its pause publishes then; don't publish the older version's twice.
      if (!timers.has(uri)) send(uri, false);
    },
  };
}
