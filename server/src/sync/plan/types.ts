/**
 * The planner's inputs and its avatar hook (plan.ts). Kept apart so the avatar planner
 * (sync/avatars/plan.ts) and the engine can import the types without the planner.
 */
import type { Contact } from '../../cloud/contacts';
import type { ScimUser } from '../../cloud/schemas';
import type { DirsyncConfig, ObjectKind } from '../../../../common/config';
import type { DirectoryEntry } from '../../domain/entry';
import type { ReportItem, SyncReport } from '../../../../common/report';
import type { ItemSource } from '../../../../common/reportItems';
import type { CloudGroupView, CloudUserIndex, CloudUserView } from './match';
import type { CompiledMapping, ConfigSource, MappedObject } from './mapping';
import type { ObjectRef, PlanOperation } from '../contract';
import type { OperationSink } from './operations';

/** One entry read by an object selection. */
export interface DirectoryItem {
  readonly selection: ObjectKind;
  readonly entry: DirectoryEntry;
  /**
   * Incremental sync: the entry is unchanged since the USN mark and only its identity attributes
   * were read (mapping.ts identityAttributes). The planner takes it as present and unchanged.
   */
  readonly identityOnly?: boolean;
}

type Many<T> = Iterable<T> | AsyncIterable<T>;

/** An operation before the planner numbers it (`opId` is assigned in the final order). */
export type OperationDraft = PlanOperation extends infer O ? (O extends PlanOperation ? Omit<O, 'opId'> : never) : never;

/** One in-scope user handed to the avatar planner. */
export interface AvatarCandidate {
  /** The directory entry as read (with the avatar attribute when the source is `attribute`). */
  readonly entry: DirectoryEntry;
  /** The matched cloud user, when the user exists in the cloud. */
  readonly cloudUser?: CloudUserView;
  /** The user's own report item (added / modified / matched / deactivated / rooms …). */
  readonly item: ReportItem;
  /** The cloud user to write the avatar to (cloudId when it exists, else externalId + userName). */
  readonly target: ObjectRef;
}

/**
 * The avatar work (sync/avatars/plan.ts `planAvatars`, issue 7), called once when `avatar.enabled`
 * with every valid in-scope user and room as they are decided: `users` is a bounded stream the
 * planner reads while the directory is still being read (the directory read waits while it is full),
 * so a planner should read it as it goes and keep only what it decides, not the entries. Returns report items in the `avatars` category and
 * `uploadAvatar` / `removeAvatar` operations; the planner numbers them and runs them after the
 * users exist and before any delete.
 */
export type AvatarPlanner = (
  users: Iterable<AvatarCandidate> | AsyncIterable<AvatarCandidate>,
  context: {
    readonly config: DirsyncConfig;
    readonly signal?: AbortSignal;
    /** Where the avatar items go as they are decided (then `items` reads them back); without it they are kept. */
    readonly itemSink?: ReportItemSink;
  },
) => Promise<{
  /** The avatar items in order (read back from `itemSink` when one was given). */
  readonly items: Iterable<ReportItem>;
  readonly operations: readonly OperationDraft[];
  readonly messages?: SyncReport['messages'];
}>;

/** A user whose decision waits for an entry read later (its manager), with what is kept of its entry. */
export interface WaitingUser {
  readonly mapped: MappedObject;
  readonly entry?: DirectoryEntry;
}

/**
 * Keeps the users that wait for their manager (the engine writes them to a file). `add` gives a
 * ticket (0, 1, 2, … in the order added) that `take` redeems once the manager is read; `drain`
 * reads back the ones not taken, in order, once.
 */
export interface WaitingSink {
  add(user: WaitingUser): number;
  take(ticket: number): WaitingUser;
  drain(): Iterable<WaitingUser>;
}

/** Takes the report items in report order; `source` reads them all back, in the same order. */
export interface ReportItemSink {
  add(item: ReportItem): void;
  readonly source: ItemSource;
}

export interface PlanInput {
  readonly config: DirsyncConfig;
  /** The config file and its line index, for ConfigRefs in items (`file:line:col`). */
  readonly configSource?: ConfigSource;
  /** SHA-256 of the config text (PlanBasis.configSha256). */
  readonly configSha256: string;
  /** Entries per selection, streamed (users, groups, contacts, rooms in any order). */
  readonly directory: Many<DirectoryItem>;
  /** Every cloud user, soft-deleted ones included when the target lists them. */
  readonly cloudUsers: Many<ScimUser | CloudUserView>;
  /** Cloud groups with their member ids (only needed when groups are enabled). */
  readonly cloudGroups?: Many<CloudGroupView>;
  readonly avatars?: AvatarPlanner;
  /**
   * Webex's org contacts of source CH (Organization Contacts API). Without them (a generic SCIM
   * target) AD contacts are reported and skipped.
   */
  readonly cloudContacts?: Many<Contact>;
  /** Why the cloud's contacts could not be read (no contacts API there): a warning; AD contacts are then skipped. */
  readonly contactsUnavailable?: string;
  /** The contact ledger: contactId → the objectGUID this config synchronized it from (plan/contacts.ts). */
  readonly contactLedger?: ReadonlyMap<string, string>;
  /**
   * Incremental sync (the report's mode is then `incremental`): the USN range read in full. With
   * `readInFull`, identity-only entries the planner cannot settle as present and unchanged (not
   * in the cloud by externalId, soft-deleted, invalid identity) are read again with every mapped
   * attribute and planned like a full sync's.
   */
  readonly incremental?: {
    readonly sinceUsn: string;
    readonly toUsn?: string;
    readonly readInFull?: (items: readonly DirectoryItem[]) => AsyncIterable<DirectoryItem>;
  };
  /** Compiled once by the caller when it also needed the attribute list; compiled here otherwise. */
  readonly mapping?: CompiledMapping;
  /**
   * Where report items go as they are decided (the engine writes them to a file): the report then
   * reads them back from there on demand (common/reportItems.ts). Default: kept in memory.
   */
  readonly itemSink?: ReportItemSink;
  /**
   * The attributes a user's entry must keep while its decision waits (for the cloud index, or for
   * a manager read later): what the avatar planner and an incremental sync read from it. The rest
   * of such an entry is dropped at once. Default: the whole entry is kept.
   */
  readonly keptAttributes?: readonly string[];
  /**
   * Where the operations go as they are planned (the engine can write them to a file, read back a
   * phase at a time by the apply: plan/operations.ts). Default: kept in memory.
   */
  readonly operationSink?: OperationSink;
  /** Where users waiting for their manager are kept until the directory is read (default: in memory). */
  readonly waitingSink?: WaitingSink;
  /** Where the avatar planner's items go until the report's other items are written (default: kept in memory). */
  readonly avatarItemSink?: ReportItemSink;
  /** Where the cloud's users are kept while the plan is made (default: in memory). */
  readonly cloudUserIndex?: CloudUserIndex;
  /** Report header fields. */
  readonly meta: {
    readonly sessionId: string;
    readonly generatedAt: string;
    readonly configFile: string;
    readonly directory: { readonly url: string; readonly kind: 'ldap' | 'ldif' };
    readonly cloud: { readonly url: string; readonly type: 'webex' | 'scim'; readonly orgId?: string };
  };
  readonly signal?: AbortSignal;
}
