/**
 * The run requests (common/requests.ts § Runs) as thin adapters over runs/service.ts: LSP
 * cancellation becomes the engine's AbortSignal, the engine's progress becomes `$/progress` on the
 * request's work-done token, its events become `dirsync/runEvent` notifications.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  WorkDoneProgress,
  type CancellationToken,
  type Connection,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver';
import type { SecretRef } from '../../../common/config';
import type { RunHooks, RunEngine } from '../runs/service';
import { RunService } from '../runs/service';
import {
  DryRunRequest,
  ExplainRequest,
  LastReportRequest,
  PurgeAvatarsRequest,
  RunEventNotification,
  RUN_RESULT_VERSION,
  SyncRequest,
  type ApplyOutcome,
  type DocumentParams,
  type DryRunParams,
  type ExplainParams,
  type ExplainResult,
  type LastReportResult,
  type PlanResult,
  type PurgeAvatarsParams,
  type RunParamsBase,
  type RunResultMismatch,
  type SyncParams,
} from '../../../common/requests';
import type { SyncProgress } from '../sync/contract';
import { toSignal } from './cancel';
import type { DocumentStore } from './documents';
import { guard } from './safe';

const TITLES: Readonly<Record<string, string>> = {
  [DryRunRequest.method]: 'Dirsync: dry run',
  [SyncRequest.method]: 'Dirsync: sync',
  [PurgeAvatarsRequest.method]: 'Dirsync: avatar purge',
  [ExplainRequest.method]: 'Dirsync: explain',
};

/** One progress line: `directory: Reading users (120/400)`; a percentage only when the total is known. */
export function progressReport(p: SyncProgress): { message: string; percentage?: number } {
  const of = p.total !== undefined && p.done !== undefined ? ` (${p.done}/${p.total})` : p.done !== undefined ? ` (${p.done})` : '';
  const percentage = p.total && p.done !== undefined ? Math.max(0, Math.min(100, Math.floor((p.done / p.total) * 100))) : undefined;
  return { message: `${p.phase}: ${p.message}${of}`, ...(percentage !== undefined ? { percentage } : {}) };
}

/** Hooks for one request: signal from its cancellation, progress on its work-done token, events to the client. */
function hooksFor(connection: Connection, method: string, params: RunParamsBase, token: CancellationToken): RunHooks & { end(): void } {
  const workDone = params.workDoneToken;
  const send = (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
    if (workDone !== undefined) void connection.sendProgress(WorkDoneProgress.type, workDone, value).catch(() => undefined);
  };
  send({ kind: 'begin', title: TITLES[method] ?? 'Dirsync', cancellable: true });
  const signal = toSignal(token);
  return {
    ...(signal ? { signal } : {}),
    onProgress: (p) => send({ kind: 'report', ...progressReport(p) }),
    onEvent: (event) => void connection.sendNotification(RunEventNotification.method, { uri: params.uri, event }),
    end: () => send({ kind: 'end' }),
  };
}

/**
 * What a client that reads none of our run result versions is told (common/requests.ts
 * `runResultVersions`) instead of an answer it would misread: an extension from before version 2
 * showed "unknown error" for a version-2 dry run, and nothing of what an apply did. Its run requests
 * get `failed` with the `run` text, which it shows after "Dirsync: dry run failed: "; its
 * `dirsync/lastReport` gets an error with the `lastReport` text.
 */
export function installMismatch(what: 'run' | 'lastReport'): string {
  const why =
    'the Dirsync extension and its language server come from different installs (the language server answers in a format this extension does not read)';
  const fix = 'Reload the window (Developer: Reload Window); if this stays, reinstall the Dirsync extension.';
  return what === 'run' ? `${why}, so nothing was run. ${fix}` : `${why.charAt(0).toUpperCase()}${why.slice(1)}. ${fix}`;
}

/**
 * Registers the run requests; `engine` is the sync engine (handlers/engine.ts). `clientReadsResults`
 * says whether the client listed {@link RUN_RESULT_VERSION} in its `runResultVersions` at initialize.
 */
export function registerRunRequests(
  connection: Connection,
  store: DocumentStore,
  engine: RunEngine,
  resolveSecret: (uri: string, ref: SecretRef, purpose: string) => Promise<string | undefined>,
  clientReadsResults: () => boolean,
): RunService {
  const service = new RunService({
    engine,
    async config(uri) {
      if (!uri.startsWith('file:')) return { error: `${uri} is not a file; save it as a .dirsync file first.` };
      const configFile = fileURLToPath(uri);
      const open = store.get(uri);
      if (open) return { configFile, configText: open.getText() };
      try {
        return { configFile, configText: await readFile(configFile, 'utf8') };
      } catch (err) {
        return { error: `Cannot read ${configFile}: ${(err as Error).message}` };
      }
    },
    secrets: (uri) => (ref) => resolveSecret(uri, ref, 'sync'),
  });

  // The cloud token's warnings are in the run's event log (the Dirsync output channel), which may go
  // unread while the next start may be refused or a secret stays on disk: a window warning, each text once.
  const warned = new Set<string>();
  engine.onAuthWarning?.((w) => {
    if (warned.has(w.message)) return;
    warned.add(w.message);
    // A notification (window/showMessage): nothing to answer, so nothing waits on the client.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Dirsync: ${w.message}` });
  });

  let mismatchLogged = false;
  /** True (and logged once) when the client cannot read our run results. */
  const mismatched = (): boolean => {
    if (clientReadsResults()) return false;
    if (!mismatchLogged) {
      mismatchLogged = true;
      connection.console.warn(
        `dirsync: the client did not list run result version ${RUN_RESULT_VERSION} in initializationOptions.runResultVersions, so its run requests are answered without running: ${installMismatch('run')}`,
      );
    }
    return true;
  };
  const refused: RunResultMismatch = { outcome: 'failed', message: installMismatch('run') };

  /** Runs `fn` with the request's hooks and always ends its progress. */
  const withHooks = <P extends RunParamsBase, R>(method: string, fallback: R, fn: (p: P, hooks: RunHooks) => Promise<R>) =>
    guard(connection, method, fallback, async (p: P, token: CancellationToken) => {
      const hooks = hooksFor(connection, method, p, token);
      try {
        return await fn(p, hooks);
      } finally {
        hooks.end();
      }
    });
  /** A run: as {@link withHooks}, but a client that cannot read its answer gets `refused` and nothing runs. */
  const run = <P extends RunParamsBase, R>(method: string, fallback: R, fn: (p: P, hooks: RunHooks) => Promise<R>) => {
    const guarded = withHooks(method, fallback, fn);
    return (p: P, token: CancellationToken): Promise<R | RunResultMismatch> =>
      mismatched() ? Promise.resolve(refused) : guarded(p, token);
  };

  const failed = {
    resultVersion: RUN_RESULT_VERSION,
    outcome: 'failed',
    message: 'The server could not complete the run; see the Dirsync output channel.',
  } as const;
  connection.onRequest<PlanResult | RunResultMismatch, unknown>(
    DryRunRequest.method,
    run<DryRunParams, PlanResult>(DryRunRequest.method, failed, (p, h) => service.dryRun(p.uri, p.mode ?? 'full', h)),
  );
  connection.onRequest<ApplyOutcome | RunResultMismatch, unknown>(
    SyncRequest.method,
    run<SyncParams, ApplyOutcome>(SyncRequest.method, failed, (p, h) =>
      service.sync(p.uri, p.mode === 'incremental' ? 'incremental' : 'full', p.planToken, !!p.applyWithoutReview, h),
    ),
  );
  connection.onRequest<ApplyOutcome | RunResultMismatch, unknown>(
    PurgeAvatarsRequest.method,
    run<PurgeAvatarsParams, ApplyOutcome>(PurgeAvatarsRequest.method, failed, (p, h) => service.purgeAvatars(p.uri, p.planToken, h)),
  );
  // Explain's answer has kept its shape: every client may ask.
  connection.onRequest(
    ExplainRequest.method,
    withHooks<ExplainParams, ExplainResult>(ExplainRequest.method, { message: failed.message }, (p, h) =>
      service.explain(p.uri, p.target, h),
    ),
  );
  // The last report has no failed outcome: a client that cannot read it gets an error with the message.
  const lastReport = guard(connection, LastReportRequest.method, null as LastReportResult | null, (p: DocumentParams) =>
    service.lastReport(p.uri),
  );
  connection.onRequest(LastReportRequest.method, (p: DocumentParams) =>
    mismatched() ? new ResponseError(LSPErrorCodes.RequestFailed, installMismatch('lastReport')) : lastReport(p),
  );
  return service;
}
