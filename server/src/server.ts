/**
 * The language server: capabilities and handler registration. Transport-agnostic — `main.ts`
 * creates the connection (stdio, IPC or socket) and calls `startServer`.
 */
import { TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { registerCodeActions } from './handlers/codeActions';
import { registerCodeLens } from './handlers/codeLens';
import { registerCompletion } from './handlers/completion';
import { registerDiagnostics, type DiagnosticsPublisher } from './handlers/diagnostics';
import { DocumentStore } from './handlers/documents';
import { registerHover } from './handlers/hover';
import { registerInlayHints } from './handlers/inlayHints';
import { registerLiveRequests } from './handlers/live';
import { registerModelRequest } from './handlers/model';
import { registerOutline } from './handlers/outline';
import { registerRunRequests } from './handlers/run';
import { syncEngine } from './handlers/engine';
import { liveDiagnostics, mergeLiveDiagnostics } from './language/live/index';
import { LiveStatusNotification, RUN_RESULT_VERSION, type DirsyncInitializationOptions, type LiveStatus } from '../../common/requests';
import { LivePreviews } from './live/previews';
import { reportFolderDryRuns } from './live/lastDryRun';
import { clientSecretResolver } from './live/secrets';
import { dirname, join } from 'node:path';

export const SERVER_NAME = 'dirsync-language-server';
const DEFAULT_DELAY_MS = 150;
const DEFAULT_LIVE_DELAY_MS = 400;
const DEFAULT_LIVE_WAIT_MS = 800;

/** Coalesces bursts of refresh requests into one per tick. */
function coalesced(send: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      send();
    });
  };
}

/** Registers every handler on the connection and starts listening. */
export function startServer(connection: Connection): void {
  const store = new DocumentStore(connection);
  let delayMs = DEFAULT_DELAY_MS;
  let liveDelayMs = DEFAULT_LIVE_DELAY_MS;
  let liveWaitMs = DEFAULT_LIVE_WAIT_MS;
  let lensRefresh = false;
  let hintRefresh = false;
  /** The client listed our run result version in `runResultVersions` (an extension before version 2 sent none). */
  let readsRunResults = false;
  let publisher: DiagnosticsPublisher | undefined;
  const log = (m: string) => connection.console.warn(m);
  const resolveSecret = clientSecretResolver((method, params) => connection.sendRequest(method, params));
  const refreshLenses = coalesced(() => {
    if (lensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
  const refreshHints = coalesced(() => {
    if (hintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  const live = new LivePreviews({
    documents: {
      current(uri) {
        const doc = store.get(uri);
        return doc ? { version: doc.version, analysis: store.analysis(doc) } : undefined;
      },
    },
    resolveSecret,
    sendStatus: (s: LiveStatus) => void connection.sendNotification(LiveStatusNotification.method, s),
    publish: (uri) => publisher?.publish(uri),
    refreshLenses,
    refreshHints,
    log,
    // Dry-run reports next to the config, until the sync engine names its report folder.
    lastDryRun: reportFolderDryRuns((file) => [join(dirname(file), '.dirsync', 'reports')]),
    get liveDelayMs() {
      return liveDelayMs;
    },
  });

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as DirsyncInitializationOptions;
    if (typeof options.validationDelayMs === 'number' && options.validationDelayMs >= 0) delayMs = options.validationDelayMs;
    if (typeof options.liveDelayMs === 'number' && options.liveDelayMs >= 0) liveDelayMs = options.liveDelayMs;
    if (typeof options.liveCompletionWaitMs === 'number' && options.liveCompletionWaitMs >= 0) liveWaitMs = options.liveCompletionWaitMs;
    readsRunResults = Array.isArray(options.runResultVersions) && options.runResultVersions.includes(RUN_RESULT_VERSION);
    lensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    hintRefresh = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['"', '(', ':', '{', ' ', '=', '&', '|', '!', ','] },
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });
  connection.onInitialized(() => {
    publisher = registerDiagnostics(connection, store, delayMs, {
      merge(doc, analysis) {
        const facts = live.facts(doc.uri, analysis);
        return facts ? mergeLiveDiagnostics(analysis.diagnostics, liveDiagnostics(analysis, facts), facts) : analysis.diagnostics;
      },
      afterPublish(doc, analysis) {
        live.afterStaticPublish(doc.uri, analysis);
      },
    });
  });
  const secretFor = (uri: string, ref: Parameters<typeof resolveSecret>[1]) => resolveSecret(uri, ref, 'avatar.credentials');
  registerCompletion(connection, store, live, () => liveWaitMs);
  registerHover(connection, store, live, {
    get waitMs() {
      return liveWaitMs;
    },
    resolveSecret: secretFor,
  });
  registerOutline(connection, store);
  registerCodeActions(connection, store);
  registerModelRequest(connection, store);
  registerCodeLens(connection, store, live);
  registerInlayHints(connection, store, live);
  registerLiveRequests(connection, store, live, secretFor, refreshHints);
  registerRunRequests(connection, store, syncEngine, resolveSecret, () => readsRunResults);
  store.documents.onDidClose((e) => void live.closed(e.document.uri));
  connection.onShutdown(() => live.dispose());
  store.documents.listen(connection);
  connection.listen();
}
