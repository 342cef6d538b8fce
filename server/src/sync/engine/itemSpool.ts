/**
 * Report items written out as the planner decides them, so a dry run of 100,000 users does not
 * hold 100,000 report items (with every created user's values) until its report is saved.
 *
 * While the plan is made, items go to a spool file beside the reports (`.items-<pid>-<n>.jsonl`,
 * one JSON object a line ending in `,`: the saved report's layout), written a megabyte at a time.
 * The saved report copies those bytes (`writeReportJson` in reportFile.ts), and from then on the
 * items are read back from the saved report and the spool file is removed. Reading back is
 * synchronous and streaming: one chunk of the file and one item at a time. The users waiting for
 * their manager go to a file of binary records (`WaitingSpool`); any saved report written one item
 * a line can be read the same way (`savedReportFields`, `savedReportItems`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ItemSource } from '../../../../common/reportItems';
import { REPORT_ACTIONS, type ReportAction, type ReportItem } from '../../../../common/report';
import type { CloudUserIndex } from '../plan/match';
import type { ReportItemSink, WaitingSink, WaitingUser } from '../plan/types';
import { WaitingList } from '../plan/build';
import { CloudUserStore } from './cloudUserStore';
import { lineBytes, readAt, reportsFolder, SpoolFile, spoolName } from './spoolFile';
import type { OperationSink } from '../plan/operations';
import { OperationSpool } from './opSpool';

const READ_CHUNK = 1 << 20;
const COMMA = 0x2c;

/** A report item's line (`{…},` in the saved report and the spool) as JSON text. */
function itemText(line: Buffer): string {
  return line.toString('utf8', 0, line[line.length - 1] === COMMA ? line.length - 1 : line.length);
}

/**
 * The item lines of a saved report written one a line (dryRun.ts writeReportJson): the first line
 * holds the report's fields up to `"items":[`, the items end at the line that starts with `]`.
 */
function* savedItemLines(file: string): Generator<Buffer> {
  let first = true;
  for (const line of lineBytes(file, 0, 0x5d)) {
    if (first) {
      first = false;
      continue;
    }
    yield line;
  }
}

/** How many item lines a saved report has (its lines but the first and the last). */
function countSavedItems(file: string): number {
  let n = 0;
  for (const _ of savedItemLines(file)) n++;
  return n;
}

/** The items of a report saved one item a line, read from its file one at a time. */
export function savedReportItems(file: string): ItemSource {
  let count: number | undefined;
  return {
    get count() {
      count ??= countSavedItems(file);
      return count;
    },
    *[Symbol.iterator]() {
      for (const line of savedItemLines(file)) yield JSON.parse(itemText(line)) as ReportItem;
    },
  };
}

/** The bytes of `file` from `start` to `end`, as text. */
function textOf(fd: number, start: number, end: number): string {
  const buf = Buffer.allocUnsafe(end - start);
  return buf.toString('utf8', 0, readAt(fd, buf, buf.length, start));
}

/**
 * The fields of a report saved one item a line (dryRun.ts writeReportJson) but its items, read
 * from its first line (`{…,"items":[`) and its last (`]…}`) only; undefined when the file is not
 * in that layout (an older report written on one line: the caller parses it whole).
 */
export function savedReportFields(file: string): Record<string, unknown> | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let head: string | undefined;
    for (const line of lineBytes(file, 0)) {
      head = line.toString('utf8');
      break;
    }
    if (head === undefined || !head.endsWith('"items":[')) return undefined;
    // The last line starts at the last line break (one within 64 KB of the end: the fields after the items are few).
    const from = Math.max(0, size - 65536);
    const tail = textOf(fd, from, size);
    const at = tail.lastIndexOf('\n]');
    if (at < 0) return undefined;
    const fields = JSON.parse(`${head}${tail.slice(at + 1)}`) as Record<string, unknown>;
    return fields && typeof fields === 'object' ? fields : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Report items written to a spool file as they come, then read back from the saved report. Each
 * item is one line ending in `,` (the saved report's layout, so the report copies the file's bytes)
 * and keeps one byte in memory, its action: a reader that wants only some actions (the changes,
 * the deletes) parses only those lines.
 */
export class ItemSpool implements ReportItemSink, ItemSource {
  readonly source: ItemSource = this;
  private readonly spool: SpoolFile;
  private saved: { readonly file: string; readonly start: number; readonly end: number } | undefined;
  private actions = new Uint8Array(1024);
  private n = 0;

  /** A spool in the reports folder `dir` (created if missing). */
  static async open(dir: string): Promise<ItemSpool> {
    await reportsFolder(dir);
    return new ItemSpool(dir);
  }

  private constructor(dir: string) {
    this.spool = new SpoolFile(join(dir, spoolName('items', 'jsonl')));
  }

  get count(): number {
    return this.n;
  }

  add(item: ReportItem): void {
    if (!this.spool.open) throw new Error('report items added after the report was saved');
    this.spool.append(`${JSON.stringify(item)},\n`);
    if (this.n === this.actions.length) {
      const more = new Uint8Array(this.n * 2);
      more.set(this.actions);
      this.actions = more;
    }
    this.actions[this.n++] = REPORT_ACTIONS.indexOf(item.action);
  }

  /**
   * Where the items' bytes are, in the saved report's layout (lines ending in `,` but the last):
   * the spool file while the plan is made, then the saved report's item lines.
   */
  itemBytes(): { readonly file: string; readonly start: number; readonly end: number } {
    if (this.saved) return this.saved;
    this.spool.flush();
    // Every spooled line ends in `,\n`: the last one's two bytes are not the items'.
    return { file: this.spool.file, start: 0, end: Math.max(0, this.spool.flushedBytes - 2) };
  }

  private lineBytes(): Iterable<Buffer> {
    return this.saved ? savedItemLines(this.saved.file) : lineBytes(this.itemBytes().file, 0);
  }

  /** The items as JSON text, one an item, in order (no parsing). */
  *lines(): Iterable<string> {
    for (const line of this.lineBytes()) yield itemText(line);
  }

  *[Symbol.iterator](): Iterator<ReportItem> {
    for (const line of this.lineBytes()) yield JSON.parse(itemText(line)) as ReportItem;
  }

  /** The items whose action is one of `actions`, in order; the other lines are not decoded. */
  *withActions(actions: ReadonlySet<ReportAction>): Iterable<ReportItem> {
    const wanted = REPORT_ACTIONS.map((a) => actions.has(a));
    let i = 0;
    for (const line of this.lineBytes()) {
      // An action outside the list (never written by this version) is read, to be safe.
      const a = this.actions[i++]!;
      if (wanted[a] !== false) yield JSON.parse(itemText(line)) as ReportItem;
    }
  }

  /**
   * The report is saved (one item a line, its items' bytes from `start` to `end`): read the items
   * from there and remove the spool file.
   */
  savedAs(file: string, start: number, end: number): void {
    this.spool.close();
    this.saved = { file, start, end };
  }

  /** Removes the spool file (a failed dry run, or once the report is saved); a saved report's items stay readable. */
  close(): void {
    this.spool.close();
  }
}

/** What the users waiting for their manager may take in memory before they go to the file (estimated). */
export const HELD_WAITING_BYTES = 16 * 1024 * 1024;

/** About what a waiting user takes in memory: its mapped values and what is kept of its entry. */
export function waitingBytes(user: WaitingUser): number {
  let bytes = 400 + 2 * user.mapped.dn.length;
  for (const v of user.mapped.values) bytes += 80 + (typeof v.value === 'string' ? 2 * v.value.length : 0);
  if (user.entry) {
    for (const values of Object.values(user.entry.attributes))
      for (const v of values) bytes += 40 + (typeof v === 'string' ? 2 * v.length : v.byteLength);
  }
  return bytes;
}

/**
 * The users whose decision waits for their manager (read later in the directory), in memory up to
 * `HELD_WAITING_BYTES` and then in a file beside the reports until the directory is read: in a
 * large directory that is half of the users, each with its mapped values and what is kept of its
 * entry (its picture). Each in the file is one record of V8's serialization format (binary values
 * stay bytes, nothing is parsed as text) behind its length, read back where it is when its
 * manager is read (`take`), else in order at the end. They come back in the order added: the
 * ones held first, then the file's.
 */
export class WaitingSpool implements WaitingSink {
  private readonly spool: SpoolFile;
  private held = new WaitingList();
  private heldBytes = 0;
  /** Tickets below this are held; from it on, in the file (`spilledAt` of -1: none is). */
  private spilledAt = -1;
  private tickets = 0;
  /** Where each record in the file starts (its length), by ticket − `spilledAt`. */
  private offsets = new Float64Array(1024);
  private taken = new Uint8Array(1024);
  private written = 0;
  private readFd: number | undefined;

  static async open(dir: string, holdUp = HELD_WAITING_BYTES): Promise<WaitingSpool> {
    await reportsFolder(dir);
    return new WaitingSpool(dir, holdUp);
  }

  private constructor(
    dir: string,
    private readonly holdUp: number,
  ) {
    this.spool = new SpoolFile(join(dir, spoolName('waiting', 'bin')));
  }

  /** How many users are held in memory (the others are in the file). */
  get heldCount(): number {
    return this.held.size;
  }

  add(user: WaitingUser): number {
    const ticket = this.tickets++;
    if (this.spilledAt < 0) {
      this.heldBytes += waitingBytes(user);
      if (this.heldBytes <= this.holdUp) return this.held.add(user);
      this.spilledAt = ticket; // from here on, in the file (after the held ones, in order)
    }
    const record = serialize(user);
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(record.length);
    const i = ticket - this.spilledAt;
    if (i >= this.offsets.length) {
      const offsets = new Float64Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const taken = new Uint8Array(this.taken.length * 2);
      taken.set(this.taken);
      this.taken = taken;
    }
    this.offsets[i] = this.written;
    this.written += this.spool.append(length) + this.spool.append(record);
    return ticket;
  }

  take(ticket: number): WaitingUser {
    if (this.spilledAt < 0 || ticket < this.spilledAt) return this.held.take(ticket);
    const i = ticket - this.spilledAt;
    if (this.taken[i]) throw new Error(`waiting user ${ticket} was taken already`);
    this.taken[i] = 1;
    const offset = this.offsets[i]!;
    if (offset + 4 > this.spool.flushedBytes) this.spool.flush();
    this.readFd ??= openSync(this.spool.file, 'r');
    const head = Buffer.allocUnsafe(4);
    if (readAt(this.readFd, head, 4, offset) < 4) throw new Error(`${this.spool.file} ends before a waiting user's record`);
    const length = head.readUInt32LE(0);
    if (offset + 4 + length > this.spool.flushedBytes) this.spool.flush();
    // Its own buffer: V8's deserializer makes binary values views of the bytes it is given.
    const record = Buffer.allocUnsafe(length);
    if (readAt(this.readFd, record, length, offset + 4) < length) throw new Error(`${this.spool.file} ends inside a waiting user's record`);
    return deserialize(record) as WaitingUser;
  }

  *drain(): Iterable<WaitingUser> {
    try {
      yield* this.held.drain();
      if (this.spilledAt < 0) return;
      this.spool.flush();
      let i = 0;
      // A copy per record: V8's deserializer makes binary values views of the bytes it is given,
      // and the read buffer is reused.
      for (const record of records(this.spool.file)) if (!this.taken[i++]) yield deserialize(Buffer.from(record)) as WaitingUser;
    } finally {
      this.close();
    }
  }

  close(): void {
    this.held = new WaitingList();
    if (this.readFd !== undefined) closeSync(this.readFd);
    this.readFd = undefined;
    this.spool.close();
  }
}

/** The length-prefixed records of a file, in order (each valid until the next is asked for). */
function* records(file: string): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(READ_CHUNK);
    let have = 0;
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, have, buf.length - have, pos);
      pos += n;
      have += n;
      let at = 0;
      while (have - at >= 4 && have - at >= 4 + buf.readUInt32LE(at)) {
        const length = buf.readUInt32LE(at);
        yield buf.subarray(at + 4, at + 4 + length);
        at += 4 + length;
      }
      // Keep the partial record at the front; grow the buffer for one longer than it.
      const rest = have - at;
      const need = rest >= 4 ? 4 + buf.readUInt32LE(at) : READ_CHUNK;
      const next = need > buf.length ? Buffer.allocUnsafe(need) : buf;
      buf.copy(next, 0, at, have);
      buf = next;
      have = rest;
      if (n === 0) {
        if (rest) throw new Error(`${file} ends inside a record (${rest} bytes)`);
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The files a dry run keeps beside the reports while it plans: its report items, its waiting
 * users, the cloud's users, the avatar items (written after the others in the report) and, for a
 * sync, its operations (handed over with the plan: the apply reads them).
 */
export class PlanSpools {
  private handedOver = false;

  private constructor(
    readonly items: ItemSpool,
    readonly waiting: WaitingSpool,
    readonly cloudUsers: CloudUserStore,
    readonly avatarItems: ItemSpool,
    readonly operations?: OperationSpool,
  ) {}

  static async open(reportsDir: string, withOperations = false): Promise<PlanSpools> {
    const spools = new PlanSpools(
      await ItemSpool.open(reportsDir),
      await WaitingSpool.open(reportsDir),
      new CloudUserStore(reportsDir),
      await ItemSpool.open(reportsDir),
      withOperations ? await OperationSpool.open(reportsDir) : undefined,
    );
    await removeOrphans(reportsDir);
    return spools;
  }

  /** The planner's inputs that write to them. */
  sinks(): {
    readonly itemSink: ReportItemSink;
    readonly waitingSink: WaitingSink;
    readonly cloudUserIndex: CloudUserIndex;
    readonly avatarItemSink: ReportItemSink;
    readonly operationSink?: OperationSink;
  } {
    return {
      itemSink: this.items,
      waitingSink: this.waiting,
      cloudUserIndex: this.cloudUsers,
      avatarItemSink: this.avatarItems,
      ...(this.operations ? { operationSink: this.operations } : {}),
    };
  }

  /** The plan is made: the files only the planner reads (the cloud's users, the avatar items) are removed. */
  planned(): void {
    this.waiting.close();
    this.cloudUsers.close();
    this.avatarItems.close();
  }

  /** The plan is returned: its operations' file is then removed by whoever applies it, not by `close`. */
  handOver(): void {
    this.handedOver = true;
  }

  /** Removes the files; the items of a saved report stay readable (from the report), a handed-over plan's operations too. */
  close(): void {
    this.items.close();
    this.planned();
    if (!this.handedOver) this.operations?.close();
  }
}

const SPOOL_FILE = /^\.(?:items|waiting|cloud|ops)-(\d+)-\d+(?:-[A-Za-z]+)?\.(?:jsonl|bin)$/;

/** True when a process with this id runs (a spool file of a running dry run is not an orphan). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the spool files a dry run or a sync that was killed (no `finally` ran) left in the reports folder. */
export async function removeOrphans(reportsDir: string): Promise<void> {
  for (const name of await readdir(reportsDir).catch(() => [] as string[])) {
    const pid = SPOOL_FILE.exec(name)?.[1];
    if (pid && Number(pid) !== process.pid && !running(Number(pid))) await rm(join(reportsDir, name), { force: true });
  }
}
