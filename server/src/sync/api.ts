/**
 * The engine's entry points as the CLI and the language server call them. Implementations live
 * in the sync folder (dryRun/explain in engine.ts, runSync/applySavedPlan in applyRun.ts,
 * purge in avatarPurge.ts) and are re-exported from sync/index.ts.
 */
import type { SecretResolver } from '../avatars/credentials';
import type { ConfigRef, ObjectType } from '../protocol/report';
import type { SyncProgress } from './types';

/** One event-log line (JSON lines on disk and in the CLI's `--log`; the extension's LogOutputChannel). */
export interface EngineEvent {
  readonly time: string;
  readonly sessionId: string;
  readonly level: 'debug' | 'info' | 'warning' | 'error';
  /** Short machine-readable kind: `sync.start`, `user.create`, `avatar.deleteFlag`, … */
  readonly event: string;
  readonly message: string;
  readonly dn?: string;
  readonly userName?: string;
  readonly [extra: string]: unknown;
}

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

/** `dirsync explain`: why an object is (or is not) synchronized and where each value comes from. */
export interface Explanation {
  readonly query: string;
  readonly found: boolean;
  readonly objectType?: ObjectType;
  readonly dn?: string;
  readonly userName?: string;
  readonly cloudId?: string;
  /** Each object selection tried: did the entry fall under a base DN, did the filter match. */
  readonly selections: ReadonlyArray<{
    readonly kind: 'users' | 'groups' | 'contacts' | 'rooms';
    readonly enabled: boolean;
    readonly underBaseDn: boolean;
    readonly filterMatches: boolean;
    readonly filter: string;
    readonly configRef?: ConfigRef;
  }>;
  /** Each mapped cloud attribute: expression, computed value, current cloud value. */
  readonly attributes: ReadonlyArray<{
    readonly attribute: string;
    readonly scimPath: string;
    readonly expression: string;
    readonly value?: string | boolean | null;
    readonly cloudValue?: string | boolean | null;
    readonly changes: boolean;
    readonly error?: string;
    readonly configRef?: ConfigRef;
  }>;
  /** What the plan does with it and why (category, action, reason). */
  readonly decision?: { readonly category: string; readonly action: string; readonly reason?: string };
  readonly messages: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The functions sync/index.ts exports (names fixed: the CLI, the language server and the tests
// import them). Who builds which: engine.ts (dryRun, explainObject), applyRun.ts (applyPlan,
// runSync, applySavedPlan), avatarPurge.ts (purgeAvatars).
// ---------------------------------------------------------------------------------------------
import type { ApplyResult, SyncPlan } from './types';

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
export type ApplySavedPlanFn = (planFile: string, options: Omit<EngineOptions, 'configFile'> & { readonly configFile?: string }) => Promise<ApplyResult>;
/** `dirsync purge-avatars`: the purge plan (users whose avatar source is empty), applied when `apply`. */
export type PurgeAvatarsFn = (options: EngineOptions & { readonly apply: boolean }) => Promise<{ readonly plan: SyncPlan; readonly result?: ApplyResult }>;
/** `dirsync explain <config> <DN or userName>`. */
export type ExplainFn = (options: EngineOptions & { readonly target: string }) => Promise<Explanation>;
