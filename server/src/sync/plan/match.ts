/**
 * Cloud ↔ AD matching (issue 6 "Matching"): by externalId (objectGUID) first, then by userName
 * case-insensitively. A match that differs only in the userName's case is a warning and an update,
 * never a delete-and-create (Directory Connector deletes there).
 *
 * The cloud side is indexed once, compactly (`CloudUserView`): only the fields the planner compares,
 * so 100k cloud users fit in a few tens of MB.
 */
import { isFullAdmin, type ScimGroup, type ScimUser } from '../../cloud/schemas';
import { readScimPath } from './scimPath';
import type { Mutable } from '../../domain/mutable';

/** The parts of a cloud user the planner needs. */
export interface CloudUserView {
  /** Tells a view from a raw SCIM user. */
  readonly cloudView: true;
  readonly id: string;
  readonly userName: string;
  readonly externalId?: string;
  readonly active: boolean;
  /** Soft-deleted (Webex extension accountStatus contains "marked_deleted"). */
  readonly softDeleted: boolean;
  readonly userType?: string;
  /** Holds any Webex admin role (`id_*_admin`). */
  readonly admin: boolean;
  readonly fullAdmin: boolean;
  readonly version?: string;
  /** The user's profile picture URL (primary `photos` entry, else the first), when it has one. */
  readonly photo?: string;
  /** Current values at the SCIM paths the config maps (a plain object: 100k of them stay small). */
  readonly values: Readonly<Record<string, string | boolean>>;
}

/** A cloud user as others refer to it. */
export interface CloudUserIdentity {
  readonly id: string;
  readonly userName: string;
  readonly softDeleted: boolean;
}

export interface CloudGroupView {
  readonly id: string;
  readonly displayName: string;
  readonly externalId?: string;
  readonly version?: string;
  /** Member ids. */
  readonly members: readonly string[];
}

/** Account states of a soft-deleted user: Webex's `marked_deleted`; `deleted` from older local clouds. */
const SOFT_DELETED_STATES = new Set(['marked_deleted', 'deleted']);

/** Compacts a cloud user, reading only `paths`. */
export function viewCloudUser(u: ScimUser, paths: readonly string[]): CloudUserView {
  const values: Record<string, string | boolean> = {};
  for (const p of paths) {
    const v = readScimPath(u, p);
    if (v !== undefined && v !== '') values[p] = v;
  }
  const ext = u['urn:scim:schemas:extension:cisco:webexidentity:2.0:User'] as { accountStatus?: unknown } | undefined;
  // Webex's Schemas document makes accountStatus multi-valued (responses carry an array); its
  // OpenAPI types it as one string: read both.
  const raw = ext?.accountStatus;
  const status = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw];
  const roles = Array.isArray(u.roles) ? u.roles.map((r) => (typeof r === 'string' ? r : String(r?.value ?? ''))) : [];
  const photos = Array.isArray(u.photos) ? (u.photos as Array<{ value?: unknown; primary?: unknown }>) : [];
  const photo = (photos.find((p) => p?.primary === true) ?? photos[0])?.value;
  // Optional fields assigned, not spread (V8's slow path for every cloud user listed); the same key order.
  const view: Mutable<CloudUserView> = { cloudView: true, id: String(u.id ?? '') } as CloudUserView;
  if (typeof photo === 'string' && photo !== '') view.photo = photo;
  view.userName = u.userName;
  if (u.externalId) view.externalId = u.externalId.toLowerCase();
  view.active = u.active !== false;
  view.softDeleted = status.some((s) => SOFT_DELETED_STATES.has(String(s)));
  if (typeof u.userType === 'string') view.userType = u.userType;
  view.admin = roles.some((r) => /^id_.*_admin$/.test(r));
  view.fullAdmin = isFullAdmin(u);
  const version = u.meta?.version || u.meta?.lastModified;
  if (version) view.version = version;
  view.values = values;
  return view;
}

export function viewCloudGroup(g: ScimGroup, members?: readonly string[]): CloudGroupView {
  return {
    id: String(g.id ?? ''),
    displayName: g.displayName,
    ...(g.externalId ? { externalId: g.externalId.toLowerCase() } : {}),
    ...(g.meta?.version ? { version: g.meta.version } : {}),
    members: members ?? (g.members ?? []).map((m) => m.value),
  };
}

export type MatchResult<T> =
  | { readonly by: 'externalId'; readonly cloud: T; readonly caseOnly: boolean }
  | { readonly by: 'userName'; readonly cloud: T; readonly caseOnly: boolean }
  | { readonly by: 'none' };

/** Ids of the cloud objects matched to an AD object so far. */
export interface MatchedIds {
  add(id: string): void;
  has(id: string): boolean;
}

/**
 * The cloud's users as the planner reads them. `CloudIndex` keeps them in memory; a dry run of a
 * large org keeps them outside the heap (the engine's `CloudUserStore`), since 100,000 cloud users
 * were most of what a dry run held.
 */
export interface CloudUserIndex {
  add(user: CloudUserView): void;
  readonly size: number;
  byExternalId(externalId: string): CloudUserView | undefined;
  byId(id: string): CloudUserView | undefined;
  /** What a reference to a user needs (a manager, a group member), without the rest of its record. */
  identityByExternalId(externalId: string): CloudUserIdentity | undefined;
  identityById(id: string): CloudUserIdentity | undefined;
  /** See `CloudIndex.match`. */
  match(externalId: string, name: string): MatchResult<CloudUserView>;
  readonly matched: MatchedIds;
  /** The users no AD object matched, in the order they were added. */
  unmatched(): Iterable<CloudUserView>;
}

/** Index of cloud objects by externalId and lower-cased name. */
export class CloudIndex<T extends { readonly id: string; readonly externalId?: string }> {
  private readonly byExternal = new Map<string, T>();
  private readonly byName = new Map<string, T>();
  private readonly all: T[] = [];
  /** Ids matched to an AD object so far. */
  readonly matched = new Set<string>();

  constructor(private readonly nameOf: (t: T) => string) {}

  add(t: T): void {
    this.all.push(t);
    this.ids = undefined;
    if (t.externalId && !this.byExternal.has(t.externalId)) this.byExternal.set(t.externalId, t);
    const k = this.nameOf(t).toLowerCase();
    // Prefer the live object over a soft-deleted one with the same name.
    const prev = this.byName.get(k) as (T & { softDeleted?: boolean }) | undefined;
    if (!prev || (prev.softDeleted && !(t as T & { softDeleted?: boolean }).softDeleted)) this.byName.set(k, t);
  }

  get size(): number {
    return this.all.length;
  }

  values(): readonly T[] {
    return this.all;
  }

  unmatched(): T[] {
    return this.all.filter((t) => !this.matched.has(t.id));
  }

  byExternalId(externalId: string): T | undefined {
    return this.byExternal.get(externalId.toLowerCase());
  }

  private ids: Map<string, T> | undefined;

  /** As `byExternalId` (the objects are in memory: the identity is the object). */
  identityByExternalId(externalId: string): T | undefined {
    return this.byExternalId(externalId);
  }

  /** As `byId`. */
  identityById(id: string): T | undefined {
    return this.byId(id);
  }

  /** The first object with this id. */
  byId(id: string): T | undefined {
    if (!this.ids) {
      this.ids = new Map();
      for (const t of this.all) if (!this.ids.has(t.id)) this.ids.set(t.id, t);
    }
    return this.ids.get(id);
  }

  /**
   * Matches an AD object: externalId first, then name case-insensitively. A name match whose
   * externalId is set and different is returned too (the caller reports it as another
   * directory's object); `caseOnly` is true when the names differ only in case.
   */
  match(externalId: string, name: string): MatchResult<T> {
    const byExt = externalId ? this.byExternal.get(externalId) : undefined;
    if (byExt) return { by: 'externalId', cloud: byExt, caseOnly: caseOnly(this.nameOf(byExt), name) };
    const byName = name ? this.byName.get(name.toLowerCase()) : undefined;
    if (byName) return { by: 'userName', cloud: byName, caseOnly: caseOnly(this.nameOf(byName), name) };
    return { by: 'none' };
  }
}

/** True when two names are equal ignoring case but not exactly. */
export function caseOnly(a: string, b: string): boolean {
  return a !== b && a.toLowerCase() === b.toLowerCase();
}
