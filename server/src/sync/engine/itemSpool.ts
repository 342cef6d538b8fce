/**
 * Report items written out as the planner decides them, so a dry run of 100,000 users does not
 * hold 100,000 report items (with every created user's values) until its report is saved.
 *
 * While the plan is made, items go to a spool file beside the reports (`.items-<pid>-<n>.jsonl`,
 * one JSON object a line), written a megabyte at a time. The saved report is written from those
 * lines without parsing them (`writeReportJson` in dryRun.ts), one item a line, and from then on
 * the items are read back from the saved report and the spool file is removed. Reading back is
 * synchronous and streaming: one chunk of the file and one item at a time.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemSource } from '../../../../common/reportItems';
import type { ReportItem } from '../../../../common/report';
import type { ReportItemSink, WaitingSink, WaitingUser } from '../plan/types';
import type { OperationSink } from '../plan/operations';
import { OperationSpool } from './opSpool';

const FLUSH_AT = 1 << 20;
const READ_CHUNK = 1 << 20;

let spools = 0;

/** A new spool file's name in `dir`: `.<what>-<pid>-<n><suffix>.jsonl`. */
export function spoolName(dir: string, what: 'items' | 'waiting' | 'ops', suffix = ''): string {
  return join(dir, `.${what}-${process.pid}-${++spools}${suffix}.jsonl`);
}

/** The lines of `file` from byte `start`, up to (not including) the first line that starts with `stopAt`. */
function* linesOf(file: string, start: number, stopAt?: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let pos = start;
    // Bytes after the last line break read so far (a line may be longer than a chunk, and a chunk
    // may end inside a multi-byte character): decoded only with the rest of their line.
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, READ_CHUNK, pos);
      if (n === 0) break;
      pos += n;
      const end = buf.lastIndexOf(10, n - 1);
      if (end < 0) {
        carry.push(Buffer.from(buf.subarray(0, n)));
        continue;
      }
      const text = (carry.length ? Buffer.concat([...carry, buf.subarray(0, end + 1)]) : buf.subarray(0, end + 1)).toString('utf8');
      carry = end + 1 < n ? [Buffer.from(buf.subarray(end + 1, n))] : [];
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        const line = text.slice(from, nl);
        from = nl + 1;
        if (stopAt !== undefined && line.startsWith(stopAt)) return;
        if (line) yield line;
      }
    }
    const last = Buffer.concat(carry).toString('utf8');
    if (last && !(stopAt !== undefined && last.startsWith(stopAt))) yield last;
  } finally {
    closeSync(fd);
  }
}

/** The items of a saved report written one a line (dryRun.ts writeReportJson): JSON text, trailing comma removed. */
function* savedItemLines(file: string): Generator<string> {
  let first = true;
  for (const line of linesOf(file, 0, ']')) {
    if (first) {
      first = false; // the report's fields up to `"items":[`
      continue;
    }
    yield line.endsWith(',') ? line.slice(0, -1) : line;
  }
}

/**
 * Creates the reports folder (and the state folder above it) when missing; a path that cannot be a
 * folder there is named with what to do, not as a bare `EEXIST`/`ENOTDIR`.
 */
export async function reportsFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is in the way of the folder (move or remove it: dirsync keeps its reports and state there)'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (err as Error).message;
    throw new Error(`cannot create the reports folder ${dir}: ${why}`);
  }
}

/** Lines appended to a file a megabyte at a time, read back in order; removed by `close`. */
export class SpoolFile {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  get open(): boolean {
    return this.fd !== undefined;
  }

  append(line: string): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
  }

  lines(): Iterable<string> {
    this.flush();
    return linesOf(this.file, 0);
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.pending = [];
    rmSync(this.file, { force: true });
  }

  private flush(): void {
    if (this.fd === undefined || !this.pending.length) return;
    writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** Report items written to a spool file as they come, then read back from the saved report. */
export class ItemSpool implements ReportItemSink, ItemSource {
  readonly source: ItemSource = this;
  private readonly spool: SpoolFile;
  private savedFile: string | undefined;
  private n = 0;

  /** A spool in the reports folder `dir` (created if missing). */
  static async open(dir: string): Promise<ItemSpool> {
    await reportsFolder(dir);
    return new ItemSpool(dir);
  }

  private constructor(dir: string) {
    this.spool = new SpoolFile(spoolName(dir, 'items'));
  }

  get count(): number {
    return this.n;
  }

  add(item: ReportItem): void {
    if (!this.spool.open) throw new Error('report items added after the report was saved');
    this.spool.append(JSON.stringify(item));
    this.n++;
  }

  /** The items as JSON text, one an item, in order (no parsing). */
  lines(): Iterable<string> {
    return this.savedFile ? savedItemLines(this.savedFile) : this.spool.lines();
  }

  *[Symbol.iterator](): Iterator<ReportItem> {
    for (const line of this.lines()) yield JSON.parse(line) as ReportItem;
  }

  /** The report is saved (one item a line): read the items from there and remove the spool file. */
  savedAs(file: string): void {
    this.spool.close();
    this.savedFile = file;
  }

  /** Removes the spool file (a failed dry run, or once the report is saved); a saved report's items stay readable. */
  close(): void {
    this.spool.close();
  }
}

/** Binary values (objectGUID, objectSid, a picture) as `{"$bytes":"<base64>"}` in a spool line. */
function bytesOut(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Uint8Array ? { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') } : value;
}

function bytesIn(_key: string, value: unknown): unknown {
  const b = value as { $bytes?: unknown } | null;
  return b && typeof b === 'object' && typeof b.$bytes === 'string' ? new Uint8Array(Buffer.from(b.$bytes, 'base64')) : value;
}

/**
 * The users whose decision waits for their manager (read later in the directory), written to a file
 * beside the reports until the directory is read: in a large directory that is half of the users,
 * each with its mapped values and what is kept of its entry (its picture).
 */
export class WaitingSpool implements WaitingSink {
  private readonly spool: SpoolFile;

  static async open(dir: string): Promise<WaitingSpool> {
    await reportsFolder(dir);
    return new WaitingSpool(dir);
  }

  private constructor(dir: string) {
    this.spool = new SpoolFile(spoolName(dir, 'waiting'));
  }

  add(user: WaitingUser): void {
    this.spool.append(JSON.stringify(user, bytesOut));
  }

  *drain(): Iterable<WaitingUser> {
    try {
      for (const line of this.spool.lines()) yield JSON.parse(line, bytesIn) as WaitingUser;
    } finally {
      this.spool.close();
    }
  }

  close(): void {
    this.spool.close();
  }
}

/**
 * The files a dry run keeps beside the reports while it plans: its report items, its waiting users
 * and, when asked (a sync), its operations (opSpool.ts).
 */
export class PlanSpools {
  private handedOver = false;

  private constructor(
    readonly items: ItemSpool,
    readonly waiting: WaitingSpool,
    readonly operations?: OperationSpool,
  ) {}

  static async open(reportsDir: string, withOperations = false): Promise<PlanSpools> {
    const spools = new PlanSpools(
      await ItemSpool.open(reportsDir),
      await WaitingSpool.open(reportsDir),
      withOperations ? await OperationSpool.open(reportsDir) : undefined,
    );
    await removeOrphans(reportsDir);
    return spools;
  }

  /** The planner's inputs that write to them. */
  sinks(): { readonly itemSink: ReportItemSink; readonly waitingSink: WaitingSink; readonly operationSink?: OperationSink } {
    return { itemSink: this.items, waitingSink: this.waiting, ...(this.operations ? { operationSink: this.operations } : {}) };
  }

  /** The plan is returned: its operations' file is then removed by whoever applies it, not by `close`. */
  handOver(): void {
    this.handedOver = true;
  }

  /** Removes the files; the items of a saved report stay readable (from the report), a handed-over plan's operations too. */
  close(): void {
    this.items.close();
    this.waiting.close();
    if (!this.handedOver) this.operations?.close();
  }
}

const SPOOL_FILE = /^\.(?:items|waiting|ops)-(\d+)-\d+(?:-[A-Za-z]+)?\.jsonl$/;

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
