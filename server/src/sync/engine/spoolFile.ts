/**
 * The files a dry run keeps beside its reports while it plans (report items, users waiting for
 * their manager, the cloud's users), each named `.<kind>-<pid>-<n>.<ext>` so the next dry run can
 * tell a killed run's files from a running one's (itemSpool.ts removeOrphans).
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';

const FLUSH_AT = 1 << 20;
const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

let spools = 0;

/** A new spool file's name: `.<kind>-<pid>-<n><suffix>.<ext>`. */
export function spoolName(kind: 'items' | 'waiting' | 'cloud' | 'ops', ext: 'jsonl' | 'bin', suffix = ''): string {
  return `.${kind}-${process.pid}-${++spools}${suffix}.${ext}`;
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

/**
 * The lines of `file` from byte `start` as bytes, without their line break, up to (not including)
 * the first line that starts with the byte `stopAt`. A line is only valid until the next one is
 * asked for; nothing is decoded here, so a reader that skips a line never pays for its text.
 */
export function* lineBytes(file: string, start: number, stopAt?: number): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let pos = start;
    // Bytes after the last line break read so far (a line may be longer than a chunk).
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, READ_CHUNK, pos);
      if (n === 0) break;
      pos += n;
      let from = 0;
      for (let nl = buf.indexOf(NEWLINE, 0); nl >= 0 && nl < n; nl = buf.indexOf(NEWLINE, from)) {
        const line = carry.length ? Buffer.concat([...carry, buf.subarray(from, nl)]) : buf.subarray(from, nl);
        carry = [];
        from = nl + 1;
        if (stopAt !== undefined && line[0] === stopAt) return;
        if (line.length) yield line;
      }
      if (from < n) carry.push(Buffer.from(buf.subarray(from, n)));
    }
    const last = Buffer.concat(carry);
    if (last.length && !(stopAt !== undefined && last[0] === stopAt)) yield last;
  } finally {
    closeSync(fd);
  }
}

/** Reads up to `length` bytes of `fd` at `position` into `buf` (from its start); how many there were (fewer only at the file's end). */
export function readAt(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
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

  /** The file's lines as text, in order (what was appended, one line a `\n`). */
  *lines(): Iterable<string> {
    this.flush();
    for (const line of lineBytes(this.file, 0)) yield line.toString('utf8');
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
