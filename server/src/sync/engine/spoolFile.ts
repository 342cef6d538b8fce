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

/** `a`, or a copy of it at least `size` long (twice as long at least): the spools' per-record tables. */
export function grown<T extends Uint32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  next.set(a);
  return next;
}

/** Text or bytes appended to a file a megabyte at a time; removed by `close`. */
export class SpoolFile {
  private fd: number | undefined;
  /**
   * What is appended and not written yet, encoded at once: a text held until the flush outlived
   * V8's young-generation collections and was copied twice before it died (a 100k-user dry run's
   * report items, about 100 MB of them).
   */
  private readonly block = Buffer.allocUnsafe(FLUSH_AT);
  private used = 0;
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

  /** Appends text (as UTF-8) or bytes; how many bytes that is. */
  append(chunk: string | Uint8Array): number {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    // At most 3 bytes of UTF-8 a UTF-16 code unit.
    const most = typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (most > FLUSH_AT - this.used) {
      this.flush();
      if (most > FLUSH_AT) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        this.writeOut(bytes, bytes.length);
        return bytes.length;
      }
    }
    let n = chunk.length;
    if (typeof chunk === 'string') n = this.block.write(chunk, this.used);
    else this.block.set(chunk, this.used);
    this.used += n;
    return n;
  }

  /** Writes what is pending; the file then holds everything appended. */
  flush(): void {
    if (this.fd === undefined || !this.used) return;
    this.writeOut(this.block, this.used);
    this.used = 0;
  }

  private writeOut(bytes: Uint8Array, length: number): void {
    for (let done = 0; done < length; ) done += writeSync(this.fd!, bytes, done, length - done);
    this.flushed += length;
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
    this.used = 0;
    rmSync(this.file, { force: true });
  }
}
