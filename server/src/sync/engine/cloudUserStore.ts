/**
 * The cloud's users for one dry run, kept outside the JavaScript heap once there are many: 100,000
 * cloud users as objects were most of what a large dry run held (about 0.9 KB each, and V8 lets its
 * heap grow well beyond what it holds). Up to `HELD_USERS` users stay objects in memory (a small
 * org's dry run never pays for records on disk); with more, each user's compact view is one JSON
 * record in a file beside the reports (`.cloud-<pid>-<n>.bin`, removed when the dry run ends), the
 * users held so far written first, in order. Memory then holds about 200 bytes a user:
 * where its record is, 32-bit hashes of its externalId, lower-cased userName and id in three
 * open-addressing tables, two flags (soft-deleted, matched), and its id, userName and externalId
 * as strings (a manager or a group member is looked up by them alone, without its record), plus
 * the last hundred or so users read (the planner asks for the same user more than once: its
 * match, then its avatar).
 *
 * A lookup hashes the key, compares the rows whose hash is the key's (almost always one) with the
 * key and reads the first that really is it, so a hash collision never gives a wrong user. Records are
 * written while the cloud is listed and read once the planner decides; reading one that is still
 * in the write buffer flushes it first. Same answers as the in-memory `CloudIndex`, in the same order.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudUserIdentity, CloudUserIndex, CloudUserView, MatchedIds, MatchResult } from '../plan/match';
import { caseOnly } from '../plan/match';
import { grown, readAt, SpoolFile, spoolName } from './spoolFile';

/** FNV-1a over the UTF-16 code units: fast, and collisions are only a cost (the key is checked). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Rows by the 32-bit hash of a key; rows of one hash come back in the order they were added. */
class HashTable {
  private slots = new Int32Array(1 << 10); // row + 1; 0 is empty
  private count = 0;

  /** `hashes()[row]` is the key hash of `row` (the store's growing array). */
  constructor(private readonly hashes: () => Uint32Array) {}

  insert(row: number, hash: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    this.place(row, hash);
    this.count++;
  }

  /** The first row whose key hash is `hash` and whose key in `keys` is `key` (no generator: two of three lookups). */
  find(hash: number, keys: ReadonlyArray<string | undefined>, key: string): number | undefined {
    const mask = this.slots.length - 1;
    const hashes = this.hashes();
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === 0) return undefined;
      if (hashes[slot - 1] === hash && keys[slot - 1] === key) return slot - 1;
    }
  }

  /** Rows whose key hash is `hash`, in the order added (linear probing keeps it). */
  *rows(hash: number): Generator<number> {
    const mask = this.slots.length - 1;
    const hashes = this.hashes();
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === 0) return;
      if (hashes[slot - 1] === hash) yield slot - 1;
    }
  }

  private place(row: number, hash: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = row + 1;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    // Re-inserted in row order, so each hash's rows keep their order along the probe sequence.
    const rows: number[] = [];
    for (const slot of old) if (slot !== 0) rows.push(slot - 1);
    rows.sort((a, b) => a - b);
    const hashes = this.hashes();
    for (const row of rows) this.place(row, hashes[row]!);
  }
}

/**
 * Users kept in memory after they are read. At 100k users, 98 % of the reads a cache answered were
 * of one of the last 64 users read (a user's match, then its avatar); a larger cache answered hardly
 * more, and its users lived long enough to be copied out of V8's young generation.
 */
const CACHED = 128;

/**
 * Cloud users kept as objects before the store writes them to its file: about 20 MB of views, which
 * costs a small org's dry run nothing on disk and bounds a large one's (docs/benchmarks.md).
 */
export const HELD_USERS = 20_000;

/** Only for tests: every key gets this hash, so lookups go through collisions. */
export type KeyHash = (key: string) => number;

export class CloudUserStore implements CloudUserIndex {
  private readonly file: SpoolFile;
  private readFd: number | undefined;
  private n = 0;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private extHashes = new Uint32Array(1024);
  private nameHashes = new Uint32Array(1024);
  private idHashes = new Uint32Array(1024);
  private soft = new Uint8Array(1024);
  private matchedRows = new Uint8Array(1024);
  private written = 0;
  private readonly byExt = new HashTable(() => this.extHashes);
  private readonly byName = new HashTable(() => this.nameHashes);
  private readonly byIdTable = new HashTable(() => this.idHashes);
  /** The users read last, by row (least recently used first). */
  private readonly cache = new Map<number, CloudUserView>();
  private buf = Buffer.allocUnsafe(16 * 1024);
  /**
   * Every user's id, userName and externalId, by row: what a manager or a group member is looked up
   * for, answered without reading its record (at 100k, members and managers were a quarter of a
   * million reads of the file). About 17 MB at 100k users.
   */
  private readonly ids: string[] = [];
  private readonly names: string[] = [];
  private readonly externalIds: Array<string | undefined> = [];
  /** The users as objects, by row, until there are more than `holdUp` (then they are in the file). */
  private held: CloudUserView[] | undefined = [];
  readonly matched: MatchedIds;

  /** A store in the reports folder `dir` (which exists); `holdUp` users stay objects before any is written. */
  constructor(
    dir: string,
    private readonly hash: KeyHash = fnv1a,
    private readonly holdUp = HELD_USERS,
  ) {
    this.file = new SpoolFile(join(dir, spoolName('cloud', 'bin')));
    this.matched = {
      add: (id) => {
        const row = this.rowOfId(id);
        if (row !== undefined) this.matchedRows[row] = 1;
      },
      has: (id) => {
        const row = this.rowOfId(id);
        return row !== undefined && this.matchedRows[row] === 1;
      },
    };
  }

  get size(): number {
    return this.n;
  }

  /** True once the users are in the file (more than it holds as objects). */
  get onDisk(): boolean {
    return this.held === undefined;
  }

  add(user: CloudUserView): void {
    const row = this.n++;
    this.offsets = grown(this.offsets, this.n);
    this.lengths = grown(this.lengths, this.n);
    this.extHashes = grown(this.extHashes, this.n);
    this.nameHashes = grown(this.nameHashes, this.n);
    this.idHashes = grown(this.idHashes, this.n);
    this.soft = grown(this.soft, this.n);
    this.matchedRows = grown(this.matchedRows, this.n);
    if (!this.held) this.write(row, user);
    else if (this.held.push(user) > this.holdUp) this.spill();
    this.soft[row] = user.softDeleted ? 1 : 0;
    this.ids.push(user.id);
    this.names.push(user.userName);
    this.externalIds.push(user.externalId);
    this.idHashes[row] = this.hash(user.id);
    this.byIdTable.insert(row, this.idHashes[row]!);
    this.nameHashes[row] = this.hash(user.userName.toLowerCase());
    this.byName.insert(row, this.nameHashes[row]!);
    if (user.externalId) {
      this.extHashes[row] = this.hash(user.externalId);
      this.byExt.insert(row, this.extHashes[row]!);
    }
  }

  byExternalId(externalId: string): CloudUserView | undefined {
    return this.findExternal(externalId.toLowerCase());
  }

  byId(id: string): CloudUserView | undefined {
    const row = this.rowOfId(id);
    return row === undefined ? undefined : this.read(row);
  }

  identityByExternalId(externalId: string): CloudUserIdentity | undefined {
    const row = this.rowOfExternal(externalId.toLowerCase());
    return row === undefined ? undefined : this.identity(row);
  }

  identityById(id: string): CloudUserIdentity | undefined {
    const row = this.rowOfId(id);
    return row === undefined ? undefined : this.identity(row);
  }

  match(externalId: string, name: string): MatchResult<CloudUserView> {
    const byExt = externalId ? this.findExternal(externalId) : undefined;
    if (byExt) return { by: 'externalId', cloud: byExt, caseOnly: caseOnly(byExt.userName, name) };
    const byName = name ? this.findName(name.toLowerCase()) : undefined;
    if (byName) return { by: 'userName', cloud: byName, caseOnly: caseOnly(byName.userName, name) };
    return { by: 'none' };
  }

  *unmatched(): Generator<CloudUserView> {
    for (let row = 0; row < this.n; row++) if (this.matchedRows[row] !== 1) yield this.read(row);
  }

  /** Removes the file. */
  close(): void {
    if (this.readFd !== undefined) closeSync(this.readFd);
    this.readFd = undefined;
    this.file.close();
  }

  private findExternal(key: string): CloudUserView | undefined {
    const row = this.rowOfExternal(key);
    return row === undefined ? undefined : this.read(row);
  }

  /** The first row with this (lower-cased) externalId. */
  private rowOfExternal(key: string): number | undefined {
    return this.byExt.find(this.hash(key), this.externalIds, key);
  }

  /** A held user is its own identity; one in the file gets a small object of the three. */
  private identity(row: number): CloudUserIdentity {
    if (this.held) return this.held[row]!;
    return { id: this.ids[row]!, userName: this.names[row]!, softDeleted: this.soft[row] === 1 };
  }

  /** The first live user of this name, else the first soft-deleted one (as `CloudIndex` keeps). */
  private findName(key: string): CloudUserView | undefined {
    let deleted: CloudUserView | undefined;
    for (const row of this.byName.rows(this.hash(key))) {
      if (deleted && this.soft[row] === 1) continue;
      if (this.names[row]!.toLowerCase() !== key) continue;
      const u = this.read(row);
      if (!u.softDeleted) return u;
      deleted ??= u;
    }
    return deleted;
  }

  /** Appends `row`'s record to the file (rows are written in order). */
  private write(row: number, user: CloudUserView): void {
    const length = this.file.append(JSON.stringify(user));
    this.offsets[row] = this.written;
    this.lengths[row] = length;
    this.written += length;
  }

  /** Writes the users held so far and keeps no more objects than its cache. */
  private spill(): void {
    const held = this.held!;
    this.held = undefined;
    for (let row = 0; row < held.length; row++) this.write(row, held[row]!);
  }

  private rowOfId(id: string): number | undefined {
    return this.byIdTable.find(this.hash(id), this.ids, id);
  }

  private read(row: number): CloudUserView {
    if (this.held) return this.held[row]!;
    const cached = this.cache.get(row);
    if (cached) {
      this.cache.delete(row);
      this.cache.set(row, cached);
      return cached;
    }
    const offset = this.offsets[row]!;
    const length = this.lengths[row]!;
    if (offset + length > this.file.flushedBytes) this.file.flush();
    this.readFd ??= openSync(this.file.file, 'r');
    if (length > this.buf.length) this.buf = Buffer.allocUnsafe(length);
    if (readAt(this.readFd, this.buf, length, offset) < length) throw new Error(`${this.file.file} ends before a cloud user's record`);
    const user = JSON.parse(this.buf.toString('utf8', 0, length)) as CloudUserView;
    if (this.cache.size >= CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(row, user);
    return user;
  }
}
