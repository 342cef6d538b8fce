/**
 * Validation, debounced per document: the last change wins, older pending runs are dropped.
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
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
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
    const t = timers.get(uri);
    if (t) clearTimeout(t);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        send(uri, true);
      }, delay),
    );
  };
  // Opening validates at once; typing waits for a pause.
  store.documents.onDidOpen((e) => schedule(e.document.uri, 0));
  store.documents.onDidChangeContent((e) => schedule(e.document.uri, delayMs));
  store.documents.onDidClose((e) => {
    const t = timers.get(e.document.uri);
    if (t) clearTimeout(t);
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
