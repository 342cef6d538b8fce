/**
 * Report items written out as the planner decides them, so a dry run of 100,000 users does not
 * hold 100,000 report items (with every created user's values) until its report is saved.
 *
 * While the plan is made, items go to a spool file beside the reports (`.items-<pid>-<n>.jsonl`,
 * one JSON object a line ending in `,`: the saved report's layout), written a megabyte at a time.
 * The saved report copies those bytes (`writeReportJson` in reportFile.ts), and from then on the
 * items are read back from the saved report and the spool file is removed. Reading back is
 * synchronous and streaming: one chunk of the file and one item at a time. The users waiting for
 * their manager go to a file of binary records (`WaitingSpool`, waitingSpool.ts); any saved report
 * written one item a line can be read the same way (`savedReportFields`, `savedReportItems`).
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemSource } from '../../../../common/reportItems';
import { REPORT_ACTIONS, type ReportAction, type ReportItem } from '../../../../common/report';
import type { CloudUserIndex } from '../plan/match';
import type { ReportItemSink, WaitingSink } from '../plan/types';
import { CloudUserStore } from './cloudUserStore';
import { lineBytes, readAt, reportsFolder, SpoolFile, spoolName } from './spoolFile';
import type { OperationSink } from '../plan/operations';
import { OperationSpool } from './opSpool';
import { WaitingSpool } from './waitingSpool';

const COMMA = 0x2c;

/** What ends each spooled item's line. */
const ITEM_END = Buffer.from(',\n');

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
    // Two appends, not one concatenation: V8 would copy the item's text once more to flatten it.
    this.spool.append(JSON.stringify(item));
    this.spool.append(ITEM_END);
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
