/**
 * What the sync engine tells its callers while it runs and when it explains an object: the event-log
 * line (JSON lines on disk, the CLI's `--log`, the extension's log channel) and `dirsync explain`'s
 * answer. Both cross the language server ↔ extension boundary, so they live here.
 */
import type { ConfigRef, ObjectType } from './report';

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
    /**
     * The account-state mapping (`ds-pwp-account-disabled`): `value` is the source attribute's
     * value (e.g. userAccountControl "514"), `active` the cloud user's state it gives, and
     * `cloudActive` the state the cloud user has now.
     */
    readonly active?: boolean;
    readonly cloudActive?: boolean;
    readonly changes: boolean;
    readonly error?: string;
    readonly configRef?: ConfigRef;
  }>;
  /** What the plan does with it and why (category, action, reason). */
  readonly decision?: { readonly category: string; readonly action: string; readonly reason?: string };
  readonly messages: readonly string[];
}
