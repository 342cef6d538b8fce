/**
 * The dry run's core, a pure function: config + directory entries + cloud objects (+ the avatar
 * planner) → `SyncPlan` (the report a human reviews and the operations that realise it). No I/O:
 * the engine (engine.ts) streams both sides in; tests pass plain arrays.
 *
 * Memory: cloud users are compacted as they stream in (match.ts); directory entries are mapped one
 * at a time and only their mapped values are kept. With avatars on, each user is handed to the
 * avatar planner as soon as it is decided, through a bounded feed (feed.ts) the planner reads while
 * the directory still streams: it hashes the picture and keeps only the decision, so no more than
 * the feed's capacity of entries (with their picture bytes) wait at once. Only users whose manager
 * is read later (deferred below) keep their entry until the end of the stream.
 *
 * Over 400 lines: the one streaming pass and its phases (users, contacts, groups, incremental
 * re-reads, avatars, threshold, fingerprints) share the run's indexes.
 */
import * as crypto from 'node:crypto';
import { dnKey } from '../../domain/dn';
import type { DirectoryEntry } from '../../domain/entry';
import {
  REPORT_CATEGORIES,
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReportCategory,
  type ReportItem,
  type SyncReport,
} from '../../../../common/report';
import { emptyWork, workActionOf, workKindOf } from '../../../../common/work';
import { lazyReport } from '../../../../common/reportItems';
import { viewCloudUser, type CloudGroupView, type CloudUserView } from './match';
import { compileMapping, isRoomEntry, mapEntry, mapGroup, mapIdentity, type MappedObject } from './mapping';
import { PlanContext } from './context';
import { BoundedFeed } from './feed';
import { ContactPlanner } from './contacts';
import { GroupPlanner } from './groups';
import type { AvatarCandidate, DirectoryItem, PlanInput, ReportItemSink, WaitingSink, WaitingUser } from './types';
import { invalidItem, noteContactUserMatch, planCloudOnlyUsers, planDirectoryUser, planIdentityUser, roomsSkipped } from './users';
import { computeThreshold } from './threshold';
import { PLAN_FORMAT_VERSION, type SyncPlan } from '../contract';
import { operationCount } from './operations';

export type { AvatarCandidate, AvatarPlanner, DirectoryItem, OperationDraft, PlanInput } from './types';

const OBJECT_TYPE = { users: 'user', rooms: 'room', contacts: 'contact' } as const;

/** Users handed to the avatar planner and not yet taken by it, at most (backpressure on the directory read). */
export const AVATAR_FEED_CAPACITY = 256;

/**
 * Directory objects mapped while the cloud is still being listed, at most; then the directory read
 * waits for the cloud. Bounds what waits in memory (with avatars on, each holds its entry and picture).
 */
export const WAITING_CAPACITY = 5000;

/**
 * The report items in report order, counted per tab and per kind of work as they come: kept here,
 * or handed to the caller's sink (the engine writes them to a file; common/reportItems.ts).
 */
class PlannedItems {
  readonly kept: ReportItem[] = [];
  readonly summary = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
  readonly work = emptyWork();
  constructor(private readonly sink: ReportItemSink | undefined) {}
  push(item: ReportItem): void {
    this.summary[item.category]++;
    this.work[workKindOf(item)][workActionOf(item)]++;
    if (this.sink) this.sink.add(item);
    else this.kept.push(item);
  }
  pushAll(items: Iterable<ReportItem>): void {
    for (const item of items) this.push(item);
  }
}

/** The users waiting for their manager, in memory (what tests and callers without a sink get; the engine's file holds its first ones in one). */
export class WaitingList implements WaitingSink {
  private users: Array<WaitingUser | undefined> = [];
  private held = 0;
  /** How many are held (added, neither taken nor drained). */
  get size(): number {
    return this.held;
  }
  add(user: WaitingUser): number {
    this.held++;
    return this.users.push(user) - 1;
  }
  take(ticket: number): WaitingUser {
    const user = this.users[ticket];
    if (!user) throw new Error(`waiting user ${ticket} was taken already`);
    this.users[ticket] = undefined;
    this.held--;
    return user;
  }
  *drain(): Iterable<WaitingUser> {
    const users = this.users;
    for (let i = 0; i < users.length; i++) {
      const user = users[i];
      if (!user) continue;
      users[i] = undefined; // decided: no longer held
      this.held--;
      yield user;
    }
    this.users = [];
  }
}

/** Waiting users decided between two turns of the event loop. */
const DRAIN_TURN = 500;

function isView(u: unknown): u is CloudUserView {
  return !!u && (u as CloudUserView).cloudView === true;
}

/**
 * SHA-256 of a text, its 32 bytes as the char codes of a latin1 string: `crypto.hash` (Node ≥ 20.12)
 * where it exists, else a Hash object. A string, not a Buffer: a Buffer per object cost a third of
 * the fingerprint's hashing.
 */
const oneShotSha256: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(alg: string, data: string, enc: 'binary'): string }).hash('sha256', text, 'binary')
    : (text) => crypto.createHash('sha256').update(text).digest('binary');

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * A hash of a multiset of objects, independent of stream order and holding nothing per object:
 * each object's SHA-256 is added lane-wise (8 × 32-bit, mod 2^32) — an additive multiset hash
 * (AdHash) — and the sums and the count are hashed once more at the end.
 */
class SetFingerprint {
  private readonly lanes = new Uint32Array(8);
  private count = 0;
  add(text: string): void {
    // One-shot hash: no Hash object per object (100k of them were a measurable share of the dry run).
    const d = oneShotSha256(text);
    for (let i = 0, j = 0; i < 8; i++, j += 4) {
      const word = ((d.charCodeAt(j) << 24) | (d.charCodeAt(j + 1) << 16) | (d.charCodeAt(j + 2) << 8) | d.charCodeAt(j + 3)) >>> 0;
      this.lanes[i] = (this.lanes[i]! + word) >>> 0;
    }
    this.count++;
  }
  digest(): string {
    return crypto.createHash('sha256').update(Buffer.from(this.lanes.buffer)).update(String(this.count)).digest('hex');
  }
}

function objectText(m: MappedObject): string {
  return JSON.stringify([
    m.objectType,
    m.dn,
    m.externalId,
    m.userName,
    m.active,
    m.values.map((v) => [v.scimPath, v.value]),
    m.members ?? null,
  ]);
}

/** Throws the signal's reason when aborted (long loops check it every few thousand objects). */
function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the dry run was cancelled');
}

/** Computes the plan. See the module comment and README § Sync engine. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one streaming pass over the directory; its phases share the run's indexes (cloud index, DN keys, ownership).
export async function buildPlan(input: PlanInput): Promise<SyncPlan> {
  const { config, signal } = input;
  const mapping = input.mapping ?? compileMapping(config, input.configSource);
  const ctx = new PlanContext(config, mapping, dnKey, input.cloudUserIndex, input.operationSink);
  for (const p of mapping.problems) ctx.message('warning', p);

  const paths = [...new Set(mapping.users.map((a) => a.scimPath))];
  // Ownership depends on the config only, so the owned count and fingerprint build as users stream in.
  const cloudPrint = new SetFingerprint();
  let ownedUsers = 0;
  let fullAdmins = 0;
  // ---- the cloud index builds beside the directory read: the two sides are independent until an
  // entry is matched, so the directory-only work (mapping, validation, DN keys, the fingerprint)
  // runs while the cloud is listed, and only the decisions wait for the whole index.
  // Webex's org contacts (a generic SCIM target has none: contacts are then reported and skipped).
  const contactsOn = config.objects.contacts.enabled;
  if (input.contactsUnavailable) ctx.message('warning', input.contactsUnavailable);
  const contactPlanner = input.cloudContacts ? new ContactPlanner(ctx, input.contactLedger ?? new Map()) : undefined;
  let cloudStopped = false;
  let cloudDone = false;
  let groupsDone = false;
  // The users (and org contacts) first: every decision waits for them. The groups only for the
  // group decisions at the end, so they are read after the users, while the directory streams (read
  // beside the users, their members took most of the cloud's answers from the users' listing).
  const usersRead = (async () => {
    let n = 0;
    for await (const u of input.cloudUsers) {
      if (cloudStopped) return;
      const v = isView(u) ? u : viewCloudUser(u, paths);
      ctx.users.add(v);
      if (!v.softDeleted) {
        if (v.fullAdmin) fullAdmins++;
        if (ctx.ownership.ownsUserName(v.userName)) {
          ownedUsers++;
          cloudPrint.add(`u|${v.id}|${v.version ?? ''}`);
        }
      }
      if (++n % 5000 === 0) checkAbort(signal);
    }
    if (contactPlanner && input.cloudContacts) {
      for await (const c of input.cloudContacts) {
        if (cloudStopped) return;
        if (contactPlanner.add(c)) cloudPrint.add(`c|${c.contactId}|${c.meta?.lastModified ?? ''}`);
      }
    }
    cloudDone = true;
  })();
  const groupsRead = (async () => {
    await usersRead;
    if (!input.cloudGroups) return;
    for await (const g of input.cloudGroups) {
      if (cloudStopped) return;
      ctx.groups.add(g);
      if (g.externalId) cloudPrint.add(`g|${g.id}|${g.version ?? ''}`);
    }
    groupsDone = true;
  })();
  // A failed listing stops the directory loop at its next entry (and is thrown by `settle`).
  let cloudFailure: { error: unknown } | undefined;
  // The directory step waiting while the cloud is listed, woken by a failed listing. One slot, not a
  // `Promise.race` with the listing per entry: each race would leave a reaction on the pending
  // listing that keeps its entry (and picture) alive until the whole cloud is read.
  let wake: ((error: unknown) => void) | undefined;
  const throwIfFailed = () => {
    if (cloudFailure) throw cloudFailure.error;
  };
  for (const read of [usersRead, groupsRead])
    read.catch((error: unknown) => {
      cloudFailure ??= { error };
      wake?.(error);
    });

  // ---- directory: map each entry once and decide at once, unless a DN-valued mapping (manager)
  // names an entry not read yet: those few wait for the end of the stream.
  const roomsOn = config.objects.rooms.enabled;
  // Contacts, and rooms on a generic target that takes none, are reported and never sent: no
  // group membership or manager link points at them.
  const unsent = (selection: DirectoryItem['selection']) => selection === 'contacts' || (selection === 'rooms' && roomsSkipped(config));
  const invalidSeen = new Set<string>();
  const contactSeen = new Set<string>();
  const names = new Map<string, string>();
  const contactNames = new Map<string, string>();
  // Users waiting for their manager (read later): in memory, or in the caller's sink (a file).
  const deferred: WaitingSink = input.waitingSink ?? new WaitingList();
  const groups: MappedObject[] = [];
  const items = new PlannedItems(input.itemSink);
  const keepEntries = !!input.avatars && config.avatar.enabled;
  const resourceAvatars = config.avatar.source === 'resourceServer';
  // The avatar planner runs beside the directory loop, started by the first candidate.
  let feed: BoundedFeed<AvatarCandidate> | undefined;
  let avatarRun: ReturnType<NonNullable<PlanInput['avatars']>> | undefined;
  const offer = (candidate: AvatarCandidate) => {
    if (!feed) {
      const opened = new BoundedFeed<AvatarCandidate>(AVATAR_FEED_CAPACITY);
      feed = opened;
      avatarRun = input.avatars!(opened, {
        config,
        ...(signal ? { signal } : {}),
        ...(input.avatarItemSink ? { itemSink: input.avatarItemSink } : {}),
      });
      // A planner that fails before reading must not leave the directory loop waiting for room.
      avatarRun.catch(() => opened.abandon());
    }
    feed.push(candidate);
  };
  /** Backpressure: waits while the avatar planner has a full feed. */
  const pace = async () => {
    if (feed?.full) await feed.room();
  };
  const dirPrint = new SetFingerprint();
  const inc = input.incremental;
  // An entry whose decision waits keeps only what is read from it later (half of a large directory's
  // users can wait for their manager: their whole entries were most of a dry run's memory).
  const kept = input.keptAttributes ? [...new Set(input.keptAttributes.map((a) => a.toLowerCase()))] : undefined;
  const slim = (entry: AvatarCandidate['entry']): AvatarCandidate['entry'] => {
    if (!kept) return entry;
    const attributes: Record<string, DirectoryEntry['attributes'][string]> = {};
    for (const a of kept) {
      const v = entry.attributes[a];
      if (v !== undefined) attributes[a] = v;
    }
    return { dn: entry.dn, attributes };
  };
  // Incremental: the groups (memberOf) of users this sync creates, whose groups may be unchanged in AD.
  const groupsOfCreated = new Set<string>();
  const decide = (m: MappedObject, entry: AvatarCandidate['entry'] | undefined) => {
    if (m.objectType === 'contact' && contactPlanner) noteContactUserMatch(ctx, m);
    const item = m.objectType === 'contact' && contactPlanner ? contactPlanner.plan(m) : planDirectoryUser(ctx, m);
    items.push(item);
    if (inc && entry && item.action === 'create') {
      for (const g of entry.attributes['memberof'] ?? []) if (typeof g === 'string') groupsOfCreated.add(dnKey(g));
    }
    if (keepEntries && entry && m.objectType !== 'contact' && item.action !== 'skip') {
      const cloud = ctx.users.match(m.externalId, m.userName);
      const cloudUser = cloud.by !== 'none' && !cloud.cloud.softDeleted ? cloud.cloud : undefined;
      offer({
        entry,
        item,
        // Not `{ ...(cloudUser ? { cloudId } : {}), … }`: a literal that starts with a non-empty spread gets a hidden class of its own in V8.
        target: cloudUser
          ? { cloudId: cloudUser.id, externalId: m.externalId, userName: m.userName }
          : { externalId: m.externalId, userName: m.userName },
        ...(cloudUser ? { cloudUser } : {}),
      });
    }
  };
  /** The keys of the DNs `m` refers to (its manager) that are not read yet: its decision waits for them. */
  const unreadDns = (m: MappedObject): Set<string> | undefined => {
    let keys: Set<string> | undefined;
    for (const v of m.values) {
      if (!v.resolvesDn || typeof v.value !== 'string') continue;
      const k = dnKey(v.value);
      if (!ctx.dnToExternalId.has(k)) (keys ??= new Set()).add(k);
    }
    return keys;
  };
  // A user waiting for DNs not read yet (its manager) is decided once the last of them is read, by
  // ticket (not after the whole directory: at 100k users, half waited, and their decisions were a
  // tail of seconds after the last entry). A contact waits for the end (its decision looks at the users).
  const waitingOn = new Map<string, number[]>();
  const waitsLeft = new Map<number, number>();
  const awaitDns = (keys: ReadonlySet<string>, ticket: number) => {
    waitsLeft.set(ticket, keys.size);
    for (const k of keys) {
      const tickets = waitingOn.get(k);
      if (tickets) tickets.push(ticket);
      else waitingOn.set(k, [ticket]);
    }
  };
  /** The users that waited only for the entry being accepted: decided right after it. */
  const released: number[] = [];
  /** A DN read and in scope: its externalId, and the users that waited only for it released. */
  const known = (key: string, externalId: string) => {
    ctx.dnToExternalId.set(key, externalId);
    const tickets = waitingOn.get(key);
    if (!tickets) return;
    waitingOn.delete(key);
    for (const ticket of tickets) {
      const left = waitsLeft.get(ticket)! - 1;
      if (left > 0) waitsLeft.set(ticket, left);
      else {
        waitsLeft.delete(ticket);
        released.push(ticket);
      }
    }
  };
  const decideReleased = () => {
    for (const ticket of released) {
      const { mapped, entry } = deferred.take(ticket);
      if (cloudReady) decide(mapped, entry);
      else waiting.push(mapped, entry);
    }
    released.length = 0;
  };
  /** Mapped objects (and their entries when still needed) waiting for the cloud index, in pairs. */
  const waiting: Array<MappedObject | AvatarCandidate['entry'] | undefined> = [];
  let cloudReady = false;
  // Incremental sync: identity-only entries (unchanged since the USN mark) the cloud confirms are
  // present are settled at once; the others are read again in full after the stream.
  const unsettled: DirectoryItem[] = [];
  const readCount = { full: 0, identity: 0, reread: 0 };
  const groupPlanner = new GroupPlanner(ctx);
  /** An entry read: decided (or kept for later), then the users that waited only for it. */
  const accept = (selection: DirectoryItem['selection'], entry: DirectoryItem['entry'], identityOnly: boolean) => {
    acceptOne(selection, entry, identityOnly);
    if (released.length) decideReleased();
  };
  const acceptOne = (selection: DirectoryItem['selection'], entry: DirectoryItem['entry'], identityOnly: boolean) => {
    if (selection === 'users' && roomsOn && isRoomEntry(config, entry)) return; // the rooms selection owns it
    const key = dnKey(entry.dn);
    if (ctx.dnToExternalId.has(key) || contactSeen.has(key) || invalidSeen.has(key)) return; // read by two selections
    if (identityOnly) {
      const m = mapIdentity(mapping, selection === 'groups' ? 'group' : OBJECT_TYPE[selection], entry);
      if (selection === 'contacts' && contactPlanner) {
        // Settled when its org contact is there; else read again in full (created or matched then).
        const item = m.errors.length ? undefined : contactPlanner.planIdentity(m);
        if (!item) {
          unsettled.push({ selection, entry });
          return;
        }
        readCount.identity++;
        if (m.userName) contactNames.set(m.userName.toLowerCase(), m.dn);
        dirPrint.add(objectText(m));
        contactSeen.add(key);
        items.push(item);
        return;
      }
      const cloudUser = selection === 'groups' || m.errors.length ? undefined : ctx.users.byExternalId(m.externalId);
      const cloudGroup = selection === 'groups' && !m.errors.length ? ctx.groups.byExternalId(m.externalId) : undefined;
      const settled = unsent(selection) ? !m.errors.length : selection === 'groups' ? !!cloudGroup : !!cloudUser && !cloudUser.softDeleted;
      if (!settled) {
        unsettled.push({ selection, entry });
        return;
      }
      readCount.identity++;
      if (selection !== 'groups' && m.userName) {
        const seenNames = selection === 'contacts' ? contactNames : names;
        seenNames.set(m.userName.toLowerCase(), m.dn);
      }
      dirPrint.add(objectText(m));
      if (unsent(selection)) contactSeen.add(key);
      else known(key, m.externalId);
      if (selection === 'groups') identityGroups.push([m, cloudGroup!]);
      else {
        if (selection !== 'contacts') ctx.ownership.noteUserName(m.userName);
        const item = planIdentityUser(ctx, m, cloudUser);
        items.push(item);
        // A resource server's picture can change with nothing in AD changing: still checked.
        if (keepEntries && resourceAvatars && cloudUser && !unsent(selection)) {
          offer({ entry, item, target: { cloudId: cloudUser.id, externalId: m.externalId, userName: m.userName }, cloudUser });
        }
      }
      return;
    }
    readCount.full++;
    const m = selection === 'groups' ? mapGroup(entry) : mapEntry(config, mapping, OBJECT_TYPE[selection], entry);
    if (selection !== 'groups' && !m.errors.length && m.userName) {
      const seenNames = selection === 'contacts' ? contactNames : names;
      const lc = m.userName.toLowerCase();
      const other = seenNames.get(lc);
      if (other) (m.errors as string[]).push(`${m.dn}: userName ${m.userName} is also the userName of ${other}`);
      else seenNames.set(lc, m.dn);
    }
    dirPrint.add(objectText(m));
    if (m.errors.length) {
      invalidSeen.add(key);
      // Report items keep the directory's order: behind the decisions still waiting for the cloud.
      if (cloudReady) items.push(invalidItem(m));
      else waiting.push(m, undefined);
      return;
    }
    // A contact (or a room the target does not take) is never a group member or a manager in the cloud: one that is
    // stays out of scope there.
    if (unsent(selection)) contactSeen.add(key);
    else known(key, m.externalId);
    if (selection === 'groups') {
      groups.push(m);
      return;
    }
    if (selection !== 'contacts') ctx.ownership.noteUserName(m.userName);
    const unread = unreadDns(m);
    if (unread) {
      const ticket = deferred.add(keepEntries || inc ? { mapped: m, entry: slim(entry) } : { mapped: m });
      if (m.objectType !== 'contact') awaitDns(unread, ticket);
    } else if (cloudReady) decide(m, entry);
    else waiting.push(m, keepEntries || inc ? slim(entry) : undefined);
  };
  const identityGroups: Array<[MappedObject, CloudGroupView]> = [];
  /**
   * Waits for the whole cloud index, then makes the decisions (and reports the invalid objects)
   * that waited for it, in directory order. From then on every entry is decided as it is read.
   */
  const settle = async () => {
    await usersRead;
    for (let i = 0; i < waiting.length; i += 2) {
      const m = waiting[i] as MappedObject;
      if (m.errors.length) items.push(invalidItem(m));
      else decide(m, waiting[i + 1] as AvatarCandidate['entry'] | undefined);
      waiting[i] = waiting[i + 1] = undefined;
      await pace();
    }
    waiting.length = 0;
    cloudReady = true;
  };
  let n = 0;
  // A failed read (or cancellation) from here to the avatar result ends the avatar planner too.
  let avatarResult: Awaited<NonNullable<typeof avatarRun>> | undefined;
  const directory: AsyncIterator<DirectoryItem> | Iterator<DirectoryItem> =
    Symbol.asyncIterator in input.directory
      ? (input.directory as AsyncIterable<DirectoryItem>)[Symbol.asyncIterator]()
      : (input.directory as Iterable<DirectoryItem>)[Symbol.iterator]();
  let directoryDone = false;
  try {
    for (;;) {
      throwIfFailed();
      const next = directory.next();
      // While the cloud is listed, a failed listing is thrown at once, not at the directory's next
      // entry (a large directory's first page can take a minute).
      const step =
        cloudDone && groupsDone
          ? await next
          : await new Promise<IteratorResult<DirectoryItem>>((resolve, reject) => {
              wake = reject;
              Promise.resolve(next).then(resolve, reject);
            });
      wake = undefined;
      if (step.done) {
        directoryDone = true;
        break;
      }
      const { selection, entry, identityOnly } = step.value;
      if (++n % 5000 === 0) checkAbort(signal);
      throwIfFailed();
      // Identity-only entries (incremental) are settled against the cloud as they are accepted.
      if (!cloudReady && (cloudDone || identityOnly || waiting.length >= 2 * WAITING_CAPACITY)) await settle();
      // An identity-only group is settled against the cloud's groups, listed after the users.
      if (identityOnly && selection === 'groups' && !groupsDone) await groupsRead;
      accept(selection, entry, !!identityOnly);
      await pace();
    }
    if (!cloudReady) await settle();
    if (unsettled.length) {
      if (inc?.readInFull) {
        const before = readCount.full;
        for await (const { selection, entry } of inc.readInFull(unsettled)) {
          accept(selection, entry, false);
          await pace();
        }
        readCount.reread = readCount.full - before;
      } else {
        ctx.message(
          'warning',
          `${unsettled.length} entr${unsettled.length === 1 ? 'y is' : 'ies are'} unchanged since the last sync but not in the cloud (or not valid); a full sync plans them: ${unsettled
            .slice(0, 5)
            .map((u) => u.entry.dn)
            .join('; ')}${unsettled.length > 5 ? '; …' : ''}`,
        );
      }
    }

    for (const [d, count] of ctx.ownership.unownedDomains) {
      ctx.message(
        'information',
        `${count} in-scope user${count === 1 ? ' has a userName' : 's have userNames'} in ${d}, a domain this config does not own (owned: ${ctx.ownership.list().join(', ') || 'none'}; policy.ownedDomains): cloud users of ${d} are never mismatched or deleted by this config`,
      );
    }

    // ---- the rest of the decisions
    let drained = 0;
    for (const { mapped, entry } of deferred.drain()) {
      decide(mapped, entry);
      await pace();
      // Without the event loop's turn this loop (half of a large directory) runs in microtasks
      // only, and V8 cannot finish its incremental collections there: the heap grew by 90 MB.
      if (++drained % DRAIN_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // A user this sync creates (new in scope, or lost in the cloud) may belong to groups unchanged in AD.
    // Its groups (its memberOf, read with it) are read in full too, so its memberships are planned.
    const stale = identityGroups.filter(([m]) => groupsOfCreated.has(dnKey(m.dn)));
    if (inc?.readInFull && stale.length) {
      identityGroups.splice(0, identityGroups.length, ...identityGroups.filter((g) => !stale.includes(g)));
      const again = stale.map(([m]) => {
        ctx.dnToExternalId.delete(dnKey(m.dn));
        readCount.identity--;
        return { selection: 'groups' as const, entry: { dn: m.dn, attributes: {} } };
      });
      const before = readCount.full;
      for await (const { selection, entry } of inc.readInFull(again)) {
        accept(selection, entry, false);
        await pace();
      }
      readCount.reread += readCount.full - before;
    }
    if (inc) {
      const range = `uSNChanged above ${inc.sinceUsn}, up to ${inc.toUsn ?? 'now'}`;
      ctx.message(
        'information',
        `incremental sync: ${readCount.full - readCount.reread} entr${readCount.full - readCount.reread === 1 ? 'y' : 'ies'} changed (${range}) read in full, ${readCount.identity} unchanged read identity-only` +
          (readCount.reread
            ? `, ${readCount.reread} unchanged read again in full (not in the cloud, or a group of a user this sync creates)`
            : ''),
      );
    }
    await groupsRead;
    for (const g of groups) items.push(groupPlanner.plan(g, dnKey));
    for (const [m, g] of identityGroups) items.push(groupPlanner.planIdentity(m, g));
    items.pushAll(planCloudOnlyUsers(ctx));
    if (contactPlanner && contactsOn) items.pushAll(contactPlanner.cloudOnly());
    if (config.objects.groups.enabled) items.pushAll(groupPlanner.cloudOnly());

    if (feed && avatarRun) {
      feed.close();
      avatarResult = await avatarRun;
    }
  } catch (err) {
    cloudStopped = true;
    // The directory read stops too (not awaited: a read still waiting for its page must not hold the error).
    if (!directoryDone) void Promise.resolve(directory.return?.()).catch(() => undefined);
    feed?.close();
    await avatarRun?.catch(() => undefined);
    throw err;
  }
  if (avatarResult) {
    const result = avatarResult;
    items.pushAll(result.items);
    for (const op of result.operations) ctx.op('avatar', op);
    for (const msg of result.messages ?? []) ctx.messages.push(msg);
  }

  // ---- threshold, fingerprints, report
  const deletions = ctx.count('delete') + ctx.count('deleteGroup') + ctx.count('deleteContact');
  const ownedGroups = config.objects.groups.enabled ? ctx.groups.values().filter((g) => g.externalId).length : 0;
  const threshold = computeThreshold({
    policy: config.policy.deleteThreshold,
    deletions,
    owned: ownedUsers + ownedGroups + (contactPlanner && contactsOn ? contactPlanner.owned : 0),
    fullAdmins,
    fullAdminsDeleted: ctx.fullAdminsDeleted,
  });
  if (threshold.refusal) ctx.message('error', threshold.refusal);
  if (threshold.disabled && deletions > 0)
    ctx.message('warning', `policy.deleteThreshold is disabled: the plan deletes ${deletions} cloud objects unchecked`);

  const directoryFingerprint = dirPrint.digest();
  const fields: Omit<SyncReport, 'items'> = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    sessionId: input.meta.sessionId,
    generatedAt: input.meta.generatedAt,
    mode: inc ? 'incremental' : 'dryRun',
    config: { file: input.meta.configFile, ...(config.name ? { name: config.name } : {}), sha256: input.configSha256 },
    directory: { ...input.meta.directory, fingerprint: directoryFingerprint },
    cloud: input.meta.cloud,
    summary: items.summary,
    work: items.work,
    threshold,
    messages: ctx.messages,
  };
  const report: SyncReport = input.itemSink ? lazyReport(fields, input.itemSink.source) : { ...fields, items: items.kept };
  return {
    report,
    payload: ctx.operations.payload({
      version: PLAN_FORMAT_VERSION,
      basis: { configSha256: input.configSha256, directoryFingerprint, cloudFingerprint: cloudPrint.digest() },
    }),
  };
}

/** True when applying the plan changes anything (the CLI's exit code 2). */
export function planHasChanges(plan: SyncPlan): boolean {
  return operationCount(plan.payload) > 0;
}

export { sha256 as sha256Hex };
