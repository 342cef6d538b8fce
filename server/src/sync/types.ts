/**
 * The sync engine's contract between its halves: `plan` (pure: config + directory + cloud → plan)
 * produces a `SyncPlan`; `apply` (journal, threshold, retries) consumes one. A saved plan file
 * (`dirsync plan -o plan.json`) is a `SyncReport` (protocol/report.ts) with the optional `plan`
 * field below added, so every report reader can open it too.
 */
import type { SyncReport } from '../protocol/report';

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
  | (OperationBase & { readonly kind: 'removeAvatar'; readonly target: ObjectRef; readonly dn?: string; readonly reason: string });

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
}
