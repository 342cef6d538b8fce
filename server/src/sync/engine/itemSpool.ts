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
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemSource } from '../../../../common/reportItems';
import type { ReportItem } from '../../../../common/report';
import type { ReportItemSink } from '../plan/types';

const FLUSH_AT = 1 << 20;
const READ_CHUNK = 1 << 20;

let spools = 0;

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

/** Report items written to a spool file as they come, then read back from the saved report. */
export class ItemSpool implements ReportItemSink, ItemSource {
  readonly source: ItemSource = this;
  private readonly spoolFile: string;
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private savedFile: string | undefined;
  private n = 0;

  /** A spool in the reports folder `dir` (created if missing). */
  static async open(dir: string): Promise<ItemSpool> {
    await mkdir(dir, { recursive: true });
    return new ItemSpool(dir);
  }

  private constructor(dir: string) {
    this.spoolFile = join(dir, `.items-${process.pid}-${++spools}.jsonl`);
    this.fd = openSync(this.spoolFile, 'w');
  }

  get count(): number {
    return this.n;
  }

  add(item: ReportItem): void {
    if (this.fd === undefined) throw new Error('report items added after the report was saved');
    const line = JSON.stringify(item);
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.n++;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
  }

  /** The items as JSON text, one an item, in order (no parsing). */
  lines(): Iterable<string> {
    if (this.savedFile) return savedItemLines(this.savedFile);
    this.flush();
    return linesOf(this.spoolFile, 0);
  }

  *[Symbol.iterator](): Iterator<ReportItem> {
    for (const line of this.lines()) yield JSON.parse(line) as ReportItem;
  }

  /** The report is saved (one item a line): read the items from there and remove the spool file. */
  savedAs(file: string): void {
    this.close();
    this.savedFile = file;
  }

  /** Removes the spool file (a failed dry run, or once the report is saved); a saved report's items stay readable. */
  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.pending = [];
    rmSync(this.spoolFile, { force: true });
  }

  private flush(): void {
    if (this.fd === undefined || !this.pending.length) return;
    writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
