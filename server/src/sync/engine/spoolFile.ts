/**
 * The files a dry run keeps beside its reports while it plans (report items, users waiting for
 * their manager, the cloud's users), each named `.<kind>-<pid>-<n>.<ext>` so the next dry run can
 * tell a killed run's files from a running one's (itemSpool.ts removeOrphans).
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

const FLUSH_AT = 1 << 20;

let spools = 0;

/** A new spool file's name: `.<kind>-<pid>-<n>.<ext>`. */
export function spoolName(kind: 'items' | 'waiting' | 'cloud', ext: 'jsonl' | 'bin'): string {
  return `.${kind}-${process.pid}-${++spools}.${ext}`;
}

/** Text or bytes appended to a file a megabyte at a time; removed by `close`. */
export class SpoolFile {
  private fd: number | undefined;
  private pending: Array<string | Buffer> = [];
  private pendingBytes = 0;
  private flushed = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  /** Bytes in the file (what `flush` has written). */
  get flushedBytes(): number {
    return this.flushed;
  }

  get open(): boolean {
    return this.fd !== undefined;
  }

  append(chunk: string | Buffer): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
  }

  /** Writes what is pending; the file then holds everything appended. */
  flush(): void {
    if (this.fd === undefined || !this.pending.length) return;
    if (typeof this.pending[0] === 'string') this.flushed += writeSync(this.fd, (this.pending as string[]).join(''));
    else this.flushed += writeSync(this.fd, Buffer.concat(this.pending as Buffer[]));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.pending = [];
    rmSync(this.file, { force: true });
  }
}
