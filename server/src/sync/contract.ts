/**
 * The sync engine's contract between its halves: `plan` (pure: config + directory + cloud → plan)
 * produces a `SyncPlan`; `apply` (journal, threshold, retries) consumes one. A saved plan file
 * (`dirsync plan -o plan.json`) is a `SyncReport` (common/report.ts) with the optional `plan`
 * field below added, so every report reader can open it too.
 */
import type { SyncReport } from '../../../common/report';
import type { SecretResolver } from '../avatars/credentials';
import type { EngineEvent, Explanation } from '../../../common/engine';
import type { WorkSummary } from '../../../common/work';

export const PLAN_FORMAT_VERSION = 1;

/** A SCIM resource body as sent (RFC 7643): schemas, userName, name, emails, … */
export type ScimBody = Readonly<Record<string, unknown>>;

/** One RFC 7644 §3.5.2 PATCH operation. */
export interface PatchOp {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path?: string;
  readonly value?: unknown;
}

/**
 * A reference to a user or group whose cloud id may not exist yet when the plan is made (it is
 * created earlier in the same apply). Resolved at apply time through the journal.
 */
export interface ObjectRef {
  /** The cloud id when the object already exists in the cloud. */
  readonly cloudId?: string;
  /** externalId (objectGUID) — always set for objects that come from AD. */
  readonly externalId?: string;
  readonly userName?: string;
}

/** A Webex org contact: its contact id and the objectGUID it is synchronized from. */
export interface ContactRef {
  readonly cloudId: string;
  readonly externalId: string;
}

interface OperationBase {
  /** Stable within the plan (`op-000001`); the journal records progress by it. */
  readonly opId: string;
  /** The report item this operation realises (ReportItem.id). */
  readonly itemId: string;
  /** The object's DN (AD side) or userName, for messages. */
  readonly label: string;
}

export type PlanOperation =
  | (OperationBase & { readonly kind: 'createUser'; readonly body: ScimBody })
  | (OperationBase & { readonly kind: 'patchUser'; readonly target: ObjectRef; readonly ops: readonly PatchOp[] })
  | (OperationBase & { readonly kind: 'deleteUser'; readonly target: ObjectRef })
  | (OperationBase & { readonly kind: 'createGroup'; readonly body: ScimBody })
  | (OperationBase & { readonly kind: 'patchGroup'; readonly target: ObjectRef; readonly ops: readonly PatchOp[] })
  | (OperationBase & {
      readonly kind: 'groupMembers';
      readonly target: ObjectRef;
      readonly add: readonly ObjectRef[];
      readonly remove: readonly ObjectRef[];
    })
  | (OperationBase & { readonly kind: 'deleteGroup'; readonly target: ObjectRef })
  | (OperationBase & {
      readonly kind: 'uploadAvatar';
      readonly target: ObjectRef;
      /** SHA-256 of the picture the plan saw; apply re-reads the source and refuses a different one. */
      readonly sha256: string;
      readonly dn: string;
    })
  | (OperationBase & { readonly kind: 'removeAvatar'; readonly target: ObjectRef; readonly dn?: string; readonly reason: string })
  /** Webex org contacts (Organization Contacts API): the body is a contact as that API takes it. */
  | (OperationBase & { readonly kind: 'createContact'; readonly externalId: string; readonly body: ScimBody })
  | (OperationBase & { readonly kind: 'updateContact'; readonly target: ContactRef; readonly body: ScimBody })
  | (OperationBase & { readonly kind: 'deleteContact'; readonly target: ContactRef });

export type OperationKind = PlanOperation['kind'];

/**
 * What the plan was made from. `dirsync apply plan.json` recomputes these and refuses the plan
 * when the config or the directory changed since it was reviewed.
 */
export interface PlanBasis {
  /** SHA-256 of the config file's text. */
  readonly configSha256: string;
  /** SHA-256 over the in-scope directory entries' DNs and mapped values, in a stable order. */
  readonly directoryFingerprint: string;
  /** SHA-256 over the owned cloud objects' ids and meta.version/lastModified. */
  readonly cloudFingerprint: string;
}

export interface PlanPayload {
  readonly version: typeof PLAN_FORMAT_VERSION;
  readonly basis: PlanBasis;
  readonly operations: readonly PlanOperation[];
}

/** A dry run's result: the report a human reviews and the operations that would realise it. */
export interface SyncPlan {
  readonly report: SyncReport;
  readonly payload: PlanPayload;
  /** Where the dry run saved the report (`<stateDir>/reports/…json`), when it saved one. */
  readonly reportFile?: string;
}

/** A saved plan file: a report with the payload attached. */
export type SavedPlan = SyncReport & { readonly plan: PlanPayload };

/** Progress as the CLI's progress line and the language server's `$/progress` show it. */
export interface SyncProgress {
  readonly phase: 'directory' | 'cloud' | 'plan' | 'apply' | 'avatars';
  readonly message: string;
  readonly done?: number;
  readonly total?: number;
}

/** What an apply did. */
export interface ApplyResult {
  readonly sessionId: string;
  readonly applied: number;
  /** Operations the journal showed as already done by an earlier, interrupted run. */
  readonly resumed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Per-operation failures, naming the object. */
  readonly failures: ReadonlyArray<{ readonly opId: string; readonly label: string; readonly message: string }>;
  /** The report of the plan that was applied, with `mode` set to the sync mode. */
  readonly report: SyncReport;
  /**
   * What the apply did, per kind (common/work.ts): the report items whose operations all
   * completed (in this run or an interrupted earlier one). Unchanged and skipped are not counted.
   */
  readonly work?: WorkSummary;
}

export type { EngineEvent, Explanation } from '../../../common/engine';
export interface EngineOptions {
  /** Absolute path of the `.dirsync` file. Relative paths in it resolve against its folder. */
  readonly configFile: string;
  /** The config text when it differs from the file on disk (an unsaved editor buffer). */
  readonly configText?: string;
  /** Resolves `${env:…}` / `${secret:…}` references. Default: the process environment. */
  readonly secrets?: SecretResolver;
  /**
   * Where reports, the state file and journals go. Default `<config folder>/.dirsync`:
   * `reports/` (JSON reports, newest dry run read by the live previews), `state/` (incremental
   * high-water marks, avatar hashes), `journal/` (append-only apply journals).
   */
  readonly stateDir?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly onEvent?: (event: EngineEvent) => void;
  /** Reuse a session id (resume); default a fresh one. */
  readonly sessionId?: string;
}

// ---------------------------------------------------------------------------------------------
// The engine's entry points (names fixed: the CLI, the language server and the tests import them
// from sync/engine/index.ts). Who builds which: engine/dryRun.ts (dryRun), engine/explain.ts
// (explainObject), engine/sync.ts (applyPlan, runSync, applySavedPlan), avatars/purge.ts (purgeAvatars).
// ---------------------------------------------------------------------------------------------

export type SyncMode = 'full' | 'incremental';

/** Reads both sides and computes the plan; writes nothing to the cloud. Saves the report under `reports/`. */
export type DryRunFn = (options: EngineOptions & { readonly mode?: SyncMode }) => Promise<SyncPlan>;
/**
 * Applies a plan made moments ago (the extension confirms its counts in a modal first). Checks the
 * deletion threshold before the first write; journals every operation; resumable.
 */
export type ApplyPlanFn = (plan: SyncPlan, options: EngineOptions & { readonly mode: SyncMode }) => Promise<ApplyResult>;
/** Plan + apply in one go (`dirsync sync [--incremental]`). */
export type RunSyncFn = (options: EngineOptions & { readonly mode: SyncMode }) => Promise<ApplyResult>;
/** `dirsync apply plan.json`: refuses when the config or the directory changed since the plan was made. */
export type ApplySavedPlanFn = (
  planFile: string,
  options: Omit<EngineOptions, 'configFile'> & { readonly configFile?: string },
) => Promise<ApplyResult>;
/** `dirsync purge-avatars`: the purge plan (users whose avatar source is empty), applied when `apply`. */
export type PurgeAvatarsFn = (
  options: EngineOptions & { readonly apply: boolean },
) => Promise<{ readonly plan: SyncPlan; readonly result?: ApplyResult }>;
/** `dirsync explain <config> <DN or userName>`. */
export type ExplainFn = (options: EngineOptions & { readonly target: string }) => Promise<Explanation>;
