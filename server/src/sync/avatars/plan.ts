/**
 * The avatar part of a sync plan (issue 7): for every in-scope user, read the picture from its
 * source (AD attribute or resource server), decide against the avatar state and the cloud
 * (avatars/changes.ts `decideAvatar`), and produce one report item (category `avatars`) and at most
 * one operation (`uploadAvatar` with the SHA-256 the plan saw, or `removeAvatar` with the reason).
 *
 * - Sources are read with at most `concurrency` users in flight (the resource-server source also
 *   bounds its own requests by `avatar.concurrency`); items and operations come out in input order.
 * - A source failure is a `failed` item for that user and no operation: it changes nothing.
 * - Removal only for an empty source with `removeWhenSourceEmpty` on, or in purge mode.
 * - Memory per user stays small: the image bytes are dropped once hashed and thumbnailed; the
 *   apply re-reads the source and refuses a picture whose hash differs from the plan's.
 *
 * The input is self-contained (no config model needed beyond the avatar switches), so the plan
 * helper calls it with the users it has already matched to cloud users.
 */
import type { AvatarSource } from '../../avatars/sources';
import { avatarInfo, avatarStateKey, decideAvatar, type AvatarDecision, type AvatarState, type CloudPicture } from '../../avatars/changes';
import { photoUrlOf } from '../../avatars/targets';
import type { ThumbnailStore } from '../../avatars/thumbnailStore';
import { formatGuid, formatSid } from '../../domain/adValues';
import type { DirectoryEntry } from '../../domain/entry';
import type { AvatarStatus, ObjectType, ReportAction, ReportItem, ThumbnailRef } from '../../../../common/report';
import type { ObjectRef, PlanOperation } from '../contract';

/** One in-scope user as the plan sees it. */
export interface AvatarPlanUser {
  /** The entry, read with `source.attributes` (plus objectGUID/objectSid for the events). */
  readonly entry: DirectoryEntry;
  /**
   * The id of the user's report item; the avatar item's id is `${itemId}/avatar` and the
   * operation's `itemId` is that avatar item's id.
   */
  readonly itemId: string;
  readonly userName?: string;
  readonly displayName?: string;
  /** `user` (default) or `room`. */
  readonly objectType?: Extract<ObjectType, 'user' | 'room'>;
  /**
   * The matched cloud user, when there is one: its id and `photos`. Absent: not in the cloud yet
   * (created by the same apply; `target` then names it by externalId/userName).
   */
  readonly cloud?: {
    readonly id: string;
    readonly photos?: ReadonlyArray<{ readonly value?: string; readonly type?: string; readonly primary?: boolean }>;
  };
  /** How the operation names the cloud user. Default: `{ cloudId: cloud.id, externalId: objectGUID, userName }`. */
  readonly target?: ObjectRef;
}

export interface AvatarPlanInput {
  readonly users: Iterable<AvatarPlanUser> | AsyncIterable<AvatarPlanUser>;
  /** The config's avatar source (avatars/fromConfig.ts `createAvatarPipeline(...).source`). */
  readonly source: AvatarSource;
  /** `avatar.removeWhenSourceEmpty`. */
  readonly removeWhenSourceEmpty: boolean;
  /** Avatar purge: remove for every empty source whose user has a cloud picture; never upload. */
  readonly purge?: boolean;
  /** Upload unchanged pictures too (seed 000's re-upload). */
  readonly reupload?: boolean;
  /** The state's records (`AvatarStateStore.snapshot()`). */
  readonly state: AvatarState;
  /**
   * Whether the cloud users were read (default true). When true, a user without `cloud` has no
   * picture in the cloud; when false (an incremental sync that read no cloud users) the cloud's
   * picture is unknown and only the state decides.
   */
  readonly cloudRead?: boolean;
}

export interface AvatarPlanOptions {
  readonly signal?: AbortSignal;
  /** Users whose source is read at once. Default 8. */
  readonly concurrency?: number;
  /** Operation ids; default `avatar-000001`, `avatar-000002`, … in input order. */
  readonly opId?: (n: number) => string;
  /**
   * Where report thumbnails go: each distinct one is written there as it is made and the item keeps
   * only its reference. Without a store (or `false`: the purge, which never uploads) no thumbnails.
   */
  readonly thumbnails?: ThumbnailStore | false;
  /** Called once per user as its decision is made (progress). */
  readonly onUser?: (done: number) => void;
  /**
   * Takes each report item in input order as soon as it and the ones before it are decided; the
   * result's `items` is then empty. A dry run of 100,000 users writes them out instead of keeping
   * them (one per user) until the end.
   */
  readonly onItem?: (item: ReportItem) => void;
}

export interface AvatarPlanResult {
  readonly items: ReportItem[];
  readonly operations: AvatarOperation[];
  /** Items per avatar status. */
  readonly counts: Readonly<Record<AvatarStatus, number>>;
}

const ACTION: Readonly<Record<AvatarStatus, ReportAction>> = {
  upload: 'avatarUpload',
  remove: 'avatarRemove',
  unchanged: 'none',
  empty: 'none',
  failed: 'skip',
};

const defaultOpId = (n: number) => `avatar-${String(n).padStart(6, '0')}`;

/** Identity fields of the report item, from the entry. */
function identity(entry: DirectoryEntry): Pick<ReportItem, 'objectGuid' | 'objectSid'> {
  const guid = entry.attributes['objectguid']?.[0];
  const sid = entry.attributes['objectsid']?.[0];
  let objectSid: string | undefined;
  if (sid instanceof Uint8Array) {
    try {
      objectSid = formatSid(sid);
    } catch {
      /* a malformed SID is left out of the item */
    }
  }
  return {
    ...(guid instanceof Uint8Array && guid.length === 16 ? { objectGuid: formatGuid(guid) } : {}),
    ...(objectSid ? { objectSid } : {}),
  };
}

/** The two operation kinds this module plans. */
export type AvatarOperation = Extract<PlanOperation, { readonly kind: 'uploadAvatar' | 'removeAvatar' }>;
type Unnumbered<T> = T extends unknown ? Omit<T, 'opId'> : never;

interface Planned {
  readonly item: ReportItem;
  readonly op?: Unnumbered<AvatarOperation>;
}

async function planOne(
  user: AvatarPlanUser,
  decision: AvatarDecision,
  sourceKind: AvatarSource['kind'],
  thumbnails: ThumbnailStore | undefined,
  purge: boolean,
  cloudPicture: CloudPicture,
): Promise<Planned> {
  const id = `${user.itemId}/avatar`;
  let thumbnail: ThumbnailRef | undefined;
  const warnings: string[] = [];
  if (decision.status === 'upload' || decision.status === 'unchanged') {
    warnings.push(...decision.image.warnings);
    if (thumbnails) thumbnail = await thumbnails.put(decision.image);
  }
  if (decision.status === 'failed') warnings.push(decision.error.message);
  let avatar = avatarInfo(decision, sourceKind, thumbnail);
  // Object.assign, not `{ ...avatar, … }`: see avatarInfo (one hidden class per object otherwise).
  if (typeof cloudPicture === 'string') avatar = Object.assign({}, avatar, { cloudUrl: cloudPicture });
  // A purge only removes: a user whose source has a picture is left as it is.
  const keep = purge && decision.status === 'upload';
  if (keep) avatar = { ...avatar, status: 'unchanged', reason: 'The source has a picture: a purge leaves it' };
  const item: ReportItem = {
    id,
    category: 'avatars',
    objectType: user.objectType ?? 'user',
    action: ACTION[avatar.status],
    dn: user.entry.dn,
    ...identity(user.entry),
    ...(user.userName !== undefined ? { userName: user.userName } : {}),
    ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
    ...(user.cloud ? { cloudId: user.cloud.id } : {}),
    avatar,
    ...(avatar.reason !== undefined ? { reason: avatar.reason } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
  // Object.assign, not a literal starting with a spread: see avatarInfo.
  const target: ObjectRef =
    user.target ??
    Object.assign(
      {},
      user.cloud ? { cloudId: user.cloud.id } : {},
      item.objectGuid ? { externalId: item.objectGuid } : {},
      user.userName !== undefined ? { userName: user.userName } : {},
    );
  const label = user.entry.dn;
  if (decision.status === 'upload' && !keep)
    return { item, op: { kind: 'uploadAvatar', itemId: id, label, target, sha256: decision.image.sha256, dn: user.entry.dn } };
  if (decision.status === 'remove')
    return { item, op: { kind: 'removeAvatar', itemId: id, label, target, dn: user.entry.dn, reason: decision.reason } };
  return { item };
}

/**
 * Runs `work` over `items` with at most `limit` in flight and hands each result to `take` in input
 * order, as soon as it and the ones before it are done (at most `limit` results wait for an earlier one).
 */
async function mapBounded<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<R>,
  take: (result: R) => void,
): Promise<void> {
  const iterator =
    Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let index = 0;
  let next = 0;
  const done = new Map<number, R>();
  let failure: unknown;
  let exhausted = false;
  const worker = async (): Promise<void> => {
    while (!exhausted && failure === undefined) {
      signal?.throwIfAborted();
      // Pulling is serialized by the event loop: each `next()` is awaited before the next worker pulls again.
      const step = await iterator.next();
      if (step.done) {
        exhausted = true;
        return;
      }
      const i = index++;
      done.set(i, await work(step.value));
      for (let r = done.get(next); done.has(next); r = done.get(next)) {
        done.delete(next++);
        take(r as R);
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, limit) }, () =>
    worker().catch((err: unknown) => {
      failure ??= err;
    }),
  );
  await Promise.all(workers);
  if (failure !== undefined) {
    await iterator.return?.();
    throw failure;
  }
}

/**
 * Plans the avatars of `input.users`. Rejects only on cancellation (or when the users iterable
 * itself fails, e.g. a directory search error); every per-user problem is a `failed` item.
 */
export async function planAvatars(input: AvatarPlanInput, options: AvatarPlanOptions = {}): Promise<AvatarPlanResult> {
  const concurrency = options.concurrency ?? 8;
  const thumbnails = options.thumbnails || undefined;
  const cloudRead = input.cloudRead ?? true;
  const decide = {
    removeWhenSourceEmpty: input.removeWhenSourceEmpty,
    ...(input.purge ? { purge: true } : {}),
    ...(input.reupload ? { reupload: true } : {}),
  };
  let done = 0;
  const opId = options.opId ?? defaultOpId;
  const items: ReportItem[] = [];
  const operations: AvatarOperation[] = [];
  const counts: Record<AvatarStatus, number> = { upload: 0, unchanged: 0, remove: 0, failed: 0, empty: 0 };
  const take = (p: Planned): void => {
    if (options.onItem) options.onItem(p.item);
    else items.push(p.item);
    counts[p.item.avatar!.status]++;
    // Object.assign, not `{ ...p.op, opId }`: see avatarInfo.
    if (p.op) operations.push(Object.assign({}, p.op, { opId: opId(operations.length + 1) }) as AvatarOperation);
  };
  await mapBounded(
    input.users,
    concurrency,
    options.signal,
    async (user) => {
      const result = await input.source.fetch(user.entry, options.signal);
      const previous = input.state[avatarStateKey(user.entry)];
      const cloudPicture: CloudPicture = user.cloud
        ? photoUrlOf({ photos: user.cloud.photos ? [...user.cloud.photos] : [] })
        : cloudRead
          ? null
          : undefined;
      const decision = decideAvatar(result, previous, cloudPicture, decide);
      // One thumbnail per distinct picture (the store dedupes by its SHA-256): directories reuse a few
      // default pictures across thousands of users, and the bytes go to disk, not into the plan.
      const p = await planOne(user, decision, input.source.kind, input.purge ? undefined : thumbnails, input.purge === true, cloudPicture);
      options.onUser?.(++done);
      return p;
    },
    take,
  );
  // Every thumbnail the items refer to is on disk before the plan (and then its report) is handed on.
  await thumbnails?.flush();
  return { items, operations, counts };
}
