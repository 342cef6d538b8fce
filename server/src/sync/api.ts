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
