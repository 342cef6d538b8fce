/**
 * Every custom `dirsync/*` request and notification between the VS Code client and the language
 * server, typed once and imported by both sides (as vscode-eslint does). Standard LSP messages are
 * not listed here. Add new messages below, with their params and result shapes.
 */
import type { WorkSummary } from './work';
import type { DirsyncConfig } from './config';
import type { EngineEvent, Explanation } from './engine';
import type { ReportThreshold, SyncReport } from './report';
import { reportItemCount } from './reportItems';

/**
 * A typed request: its method name plus phantom parameter/result types. Plain data rather than
 * vscode-jsonrpc's RequestType because the client (vscode-languageclient 11) and the server
 * (vscode-languageserver 10) bundle different vscode-jsonrpc majors whose classes do not mix.
 * Register with `connection.onRequest(R.method, …)`, send with `client.sendRequest(R.method, …)`.
 */
export interface Request<P, R> {
  readonly method: string;
  /** Type carriers only; never set. */
  readonly params?: P;
  readonly result?: R;
}
export interface Notification<P> {
  readonly method: string;
  readonly params?: P;
}
export type ParamsOf<T> = T extends Request<infer P, unknown> ? P : T extends Notification<infer P> ? P : never;
export type ResultOf<T> = T extends Request<unknown, infer R> ? R : never;

function request<P, R>(method: string): Request<P, R> {
  return { method };
}
function notification<P>(method: string): Notification<P> {
  return { method };
}

/** The typed model of an open `.dirsync` document, for previews and commands. */
export interface ConfigModelParams {
  readonly uri: string;
}
export interface ConfigModelResult {
  /** The model with defaults filled (present even when the document has errors). */
  readonly config: DirsyncConfig;
  /** Counts of the document's current diagnostics. */
  readonly errors: number;
  readonly warnings: number;
  /** The document version the result is for. */
  readonly version: number;
}
export const ConfigModelRequest = request<ConfigModelParams, ConfigModelResult | null>('dirsync/configModel');

/**
 * Something went wrong inside the server for one document (a handler threw, a grammar failed).
 * The client shows it once per document and points at the output channel; the server keeps going.
 */
export interface ServerProblemParams {
  readonly uri?: string;
  readonly message: string;
}
export const ServerProblemNotification = notification<ServerProblemParams>('dirsync/serverProblem');

/** Options the client passes in `initializationOptions`. */
export interface DirsyncInitializationOptions {
  /** Milliseconds to wait after the last change before validating (default 150). */
  readonly validationDelayMs?: number;
  /** Milliseconds after the static diagnostics before live directory checks run (default 400). */
  readonly liveDelayMs?: number;
  /**
   * How long completion waits for live directory data it does not have yet (default 800 ms);
   * past it, the static items are returned marked incomplete and the next keystroke gets more.
   */
  readonly liveCompletionWaitMs?: number;
  /**
   * The run result versions ({@link RUN_RESULT_VERSION}) this client reads. An extension from before
   * version 2 sent none (it read the report inline): a client that lists no version the server
   * sends gets {@link RunResultMismatch} for its run requests (and an error for `dirsync/lastReport`),
   * and nothing is run.
   */
  readonly runResultVersions?: readonly number[];
}

// ─── Live directory previews (README § Directory side, "Live previews in the editor") ───────────

/** The object selections of a config (`objects.*`). */
export type SelectionKind = 'users' | 'groups' | 'contacts' | 'rooms';

/**
 * Where a document's live directory binding stands:
 * `unbound` (none; static checks only), `connecting`, `bound`, `failed` (the bind or open failed:
 * `reason` says why; no automatic retry after a credentials failure, so AD never locks the
 * account), `down` (was bound, the directory stopped answering; retried on the next edit after a
 * pause).
 */
export type LiveState = 'unbound' | 'connecting' | 'bound' | 'failed' | 'down';

/** The live side of one document, for the status bar and the once-per-document message. */
export interface LiveStatus {
  readonly uri: string;
  readonly state: LiveState;
  /** The directory as configured: `ldap://…`, `ldaps://…` or `ldif:…` (never with credentials). */
  readonly url?: string;
  readonly bindDn?: string;
  readonly kind?: 'ldap' | 'ldif';
  /** Live match counts of the enabled selections, as far as known. */
  readonly counts?: Partial<Record<SelectionKind, number>>;
  /** Sum of `counts` once every enabled selection is counted or its search failed. */
  readonly entries?: number;
  /** Selections whose search failed (a base DN missing, access refused, …), with the directory's reason. */
  readonly failed?: Partial<Record<SelectionKind, string>>;
  /** Why the live parts are off (`unbound`, `failed`, `down`), in one sentence naming URL and DN. */
  readonly reason?: string;
  /** The DirectoryError code behind `reason` (`invalidCredentials`, `unreachable`, …). */
  readonly code?: string;
  /** DN of the entry expressions are previewed on (picked, or the users selection's first match). */
  readonly previewEntry?: string;
  /** True when the user picked the preview entry ("Dirsync: Pick Preview Entry…"). */
  readonly previewEntryPicked?: boolean;
}

/**
 * Bind a document to its directory. The config says where and as whom; these fill what it does
 * not say (the "Dirsync: Bind Directory…" command asks for them).
 */
export interface BindDirectoryParams {
  readonly uri: string;
  /** Used when the config has no `directory.url`. */
  readonly url?: string;
  /** Used when the config has no `directory.bindDn`. */
  readonly bindDn?: string;
  /**
   * SecretStorage key of the bind password, used when the config has no `directory.password`
   * or its reference resolves to nothing (an unset `${env:NAME}`).
   */
  readonly passwordKey?: string;
}
export const BindDirectoryRequest = request<BindDirectoryParams, LiveStatus>('dirsync/bindDirectory');

export interface DocumentParams {
  readonly uri: string;
}
export const UnbindDirectoryRequest = request<DocumentParams, LiveStatus>('dirsync/unbindDirectory');
/** The current live status of a document (the client asks when the active editor changes). */
export const LiveStatusRequest = request<DocumentParams, LiveStatus>('dirsync/liveStatus');
/** Sent by the server whenever a document's live status changes. */
export const LiveStatusNotification = notification<LiveStatus>('dirsync/liveStatusChanged');

/**
 * Server → client: the value of a secret reference, sealed to the server's one-time public key
 * (common/secretBox.ts) so that it never appears in clear text in an LSP trace or log. The
 * client answers from VS Code SecretStorage (`${secret:KEY}`, or `fallbackKey`) or the
 * environment (`${env:NAME}`); `null` when it is not set.
 */
export interface ResolveSecretParams {
  readonly uri: string;
  /** What the secret is for, e.g. `directory.password`; for prompts and messages. */
  readonly purpose: string;
  readonly ref:
    | { readonly kind: 'env'; readonly name: string; readonly text: string }
    | { readonly kind: 'secret'; readonly key: string; readonly text: string };
  /** The server's X25519 public key (SPKI DER, base64) to seal the answer to. */
  readonly publicKey: string;
}
export interface SealedSecret {
  /** The client's one-time X25519 public key (SPKI DER, base64). */
  readonly ephemeralKey: string;
  /** AES-256-GCM nonce, ciphertext and tag (base64). */
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}
export const ResolveSecretRequest = request<ResolveSecretParams, SealedSecret | null>('dirsync/resolveSecret');

/** A sample of the entries an object selection matches (the CodeLens click). */
export interface SelectionSampleParams {
  readonly uri: string;
  readonly kind: SelectionKind;
  /** At most this many entries (default 25, at most 500). */
  readonly limit?: number;
}
export interface SampleEntry {
  readonly dn: string;
  /** A name to show: the display name, else the RDN value. */
  readonly label: string;
  /** The mapped cloud attributes' values (`uid`, `displayName`, …) on this entry. */
  readonly values: ReadonlyArray<{ readonly cloud: string; readonly value: string }>;
}
export interface SelectionSample {
  readonly kind: SelectionKind;
  readonly count?: number;
  readonly entries: readonly SampleEntry[];
  /** Why there is no sample (unbound, directory down, base DN missing, …). */
  readonly error?: string;
}
export const SelectionSampleRequest = request<SelectionSampleParams, SelectionSample>('dirsync/selectionSample');

/** Sets the entry expressions are previewed on; without `dn`, back to the users selection's first match. */
export interface SetPreviewEntryParams {
  readonly uri: string;
  readonly dn?: string;
}
export interface SetPreviewEntryResult {
  readonly status: LiveStatus;
  /** Why the entry could not be used (no such DN, not bound). */
  readonly error?: string;
}
export const SetPreviewEntryRequest = request<SetPreviewEntryParams, SetPreviewEntryResult>('dirsync/setPreviewEntry');

/** The avatar URI pattern resolved on the preview entry and fetched ("Test avatar URL"). */
export interface AvatarCheckResult {
  /** The entry the pattern was resolved on. */
  readonly dn?: string;
  /** The resolved URL (credentials never included). */
  readonly url?: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly contentType?: string;
  readonly bytes?: number;
  readonly width?: number;
  readonly height?: number;
  readonly format?: string;
  /** One line for people: `200 · image/jpeg · 12.3 KB · 96×96` or why it failed. */
  readonly summary: string;
}
export const TestAvatarRequest = request<DocumentParams, AvatarCheckResult>('dirsync/testAvatar');

// ─── Runs: dry run, sync, avatar purge, explain, last report (README § Extension, "Commands") ────

/**
 * Long requests take the LSP work-done token (`workDoneToken`, LSP 3.15 "Work Done Progress"):
 * the server reports on it with `$/progress` (`begin`, `report` with the phase's message and a
 * percentage when the total is known, `end`), and stops when the request is cancelled
 * (`$/cancelRequest`), answering `outcome: 'cancelled'`.
 */
export interface RunParamsBase {
  readonly uri: string;
  readonly workDoneToken?: string | number;
}

export type RunMode = 'full' | 'incremental';

/** The counts a confirmation shows, from the plan's report. */
export interface PlanCounts {
  readonly added: number;
  readonly modified: number;
  readonly deleted: number;
  readonly deactivated: number;
  /** Avatar uploads and removals. */
  readonly avatars: number;
  /** Operations the apply would send. */
  readonly operations: number;
  readonly invalid: number;
}

/**
 * The shape of the run results below (`PlanResult`, `ApplyOutcome`, `LastReportResult`), sent in
 * each as `resultVersion`. 2: the report is no longer in the result — it is saved on disk
 * (`reportFile`) and the result carries its {@link RunReportSummary}. A client that reads another
 * version says so instead of misreading the answer (a server and an extension of different installs).
 */
export const RUN_RESULT_VERSION = 2;

/**
 * What the editor shows of a run's report without reading it: its identity and its counts. Its size
 * does not depend on the number of objects (the items stay in the saved report file).
 */
export interface RunReportSummary {
  readonly sessionId: string;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly mode: SyncReport['mode'];
  readonly cloud: SyncReport['cloud'];
  /** Count per category (the report's tabs). */
  readonly summary: SyncReport['summary'];
  /** What applying the plan does, per kind of object. */
  readonly work: WorkSummary;
  readonly threshold: ReportThreshold;
  /** Objects in the report. */
  readonly items: number;
}

/**
 * The answer to a run request (`dirsync/dryRun`, `dirsync/sync`, `dirsync/purgeAvatars`) from a
 * client that reads none of the result versions the server sends: nothing is run, and `message`
 * says that the extension and the language server come from different installs. Every extension
 * shows it as a failed run with that message — one from before version 2 reads `outcome` and
 * `message`; a later one sees no `resultVersion` and says it cannot read the answer.
 */
export interface RunResultMismatch {
  readonly outcome: 'failed';
  readonly message: string;
}

/** The summary of a report, for a run result. */
export function runReportSummary(report: SyncReport): RunReportSummary {
  return {
    sessionId: report.sessionId,
    generatedAt: report.generatedAt,
    mode: report.mode,
    cloud: report.cloud,
    summary: report.summary,
    work: report.work,
    threshold: report.threshold,
    items: reportItemCount(report),
  };
}

/** Why a run ended the way it did. `refused`: over the deletion threshold, nothing written. */
export type RunOutcome = 'planned' | 'applied' | 'refused' | 'cancelled' | 'stale' | 'failed';

export interface DryRunParams extends RunParamsBase {
  /** Default `full`. */
  readonly mode?: RunMode;
}

/**
 * A plan the user can review. `planToken` (single use, kept 30 minutes, only for this document's
 * text as it was) applies exactly this plan with `dirsync/sync` or `dirsync/purgeAvatars`.
 */
export interface PlanResult {
  readonly resultVersion: typeof RUN_RESULT_VERSION;
  readonly outcome: 'planned' | 'cancelled' | 'failed';
  readonly sessionId?: string;
  readonly planToken?: string;
  /** The saved report the user reviews (absolute path of its JSON file; the client reads it). */
  readonly reportFile?: string;
  /** Its counts (its `threshold` says whether a sync would be refused). */
  readonly summary?: RunReportSummary;
  readonly counts?: PlanCounts;
  /** Why it failed or was cancelled, one sentence (never a secret). */
  readonly message?: string;
}
export const DryRunRequest = request<DryRunParams, PlanResult>('dirsync/dryRun');

/**
 * `dirsync/sync`: without `planToken`, plans (`outcome: 'planned'` with a token, or `refused` when
 * the plan is over the deletion threshold) — unless `applyWithoutReview` (Incremental Sync), which
 * applies at once when the threshold allows it. With `planToken`, applies that reviewed plan. A
 * cancelled apply keeps its token: sending it again resumes the same plan and session (the journal
 * skips what was done).
 */
export interface SyncParams extends RunParamsBase {
  readonly mode: RunMode;
  readonly planToken?: string;
  readonly applyWithoutReview?: boolean;
}
export interface ApplyOutcome {
  readonly resultVersion: typeof RUN_RESULT_VERSION;
  readonly outcome: RunOutcome;
  readonly sessionId?: string;
  readonly planToken?: string;
  /** The saved report of the plan or of the apply (absolute path of its JSON file; the client reads it). */
  readonly reportFile?: string;
  readonly summary?: RunReportSummary;
  readonly counts?: PlanCounts;
  readonly applied?: number;
  readonly resumed?: number;
  readonly failed?: number;
  readonly skipped?: number;
  readonly failures?: ReadonlyArray<{ readonly opId: string; readonly label: string; readonly message: string }>;
  /** What the apply did per kind, counted from the operations that completed (common/work.ts). */
  readonly work?: WorkSummary;
  readonly message?: string;
}
export const SyncRequest = request<SyncParams, ApplyOutcome>('dirsync/sync');

/** `dirsync/purgeAvatars`: without `planToken` the purge plan; with it, applies that plan. */
export interface PurgeAvatarsParams extends RunParamsBase {
  readonly planToken?: string;
}
export const PurgeAvatarsRequest = request<PurgeAvatarsParams, ApplyOutcome>('dirsync/purgeAvatars');

export interface ExplainParams extends RunParamsBase {
  /** A DN or a userName. */
  readonly target: string;
}
export interface ExplainResult {
  readonly explanation?: Explanation;
  readonly message?: string;
}
export const ExplainRequest = request<ExplainParams, ExplainResult>('dirsync/explain');

/** The newest report of this config: of this server session, else the newest saved under `.dirsync/reports`. */
export interface LastReportResult {
  readonly resultVersion: typeof RUN_RESULT_VERSION;
  /** The saved report (absolute path of its JSON file; the client reads it). */
  readonly file: string;
  readonly summary: RunReportSummary;
}
export const LastReportRequest = request<DocumentParams, LastReportResult | null>('dirsync/lastReport');

/** Server → client: one engine event of a run, for the "Dirsync" log output channel. */
export interface RunEventParams {
  readonly uri: string;
  readonly event: EngineEvent;
}
export const RunEventNotification = notification<RunEventParams>('dirsync/runEvent');
