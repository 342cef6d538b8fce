/**
 * The users whose decision waits for their manager, kept beside the reports while a dry run plans
 * (split from itemSpool.ts, which keeps the report items and opens all of a dry run's files).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { WaitingSink, WaitingUser } from '../plan/types';
import { WaitingList } from '../plan/build';
import { grown, readAt, reportsFolder, SpoolFile, spoolName } from './spoolFile';
import { WaitingCodec } from './waitingRecord';

/** Bytes read from the file at a time. */
const READ_CHUNK = 1 << 20;

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
 * entry (its picture). Each in the file is one record (engine/waitingRecord.ts: JSON, and the
 * binary values as bytes) behind its length, read back where it is when its manager is read
 * (`take`), else in order at the end. They come back in the order added: the
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
  /** Each record's length (without its own), so that `take` reads it with one read. */
  private lengths = new Uint32Array(1024);
  private taken = new Uint8Array(1024);
  private written = 0;
  private readFd: number | undefined;
  private readonly codec = new WaitingCodec();

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
    const record = this.codec.encode(user);
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(record.length);
    const i = ticket - this.spilledAt;
    this.offsets = grown(this.offsets, i + 1);
    this.lengths = grown(this.lengths, i + 1);
    this.taken = grown(this.taken, i + 1);
    this.offsets[i] = this.written;
    this.lengths[i] = record.length;
    this.written += this.spool.append(length) + this.spool.append(record);
    return ticket;
  }

  take(ticket: number): WaitingUser {
    if (this.spilledAt < 0 || ticket < this.spilledAt) return this.held.take(ticket);
    const i = ticket - this.spilledAt;
    if (this.taken[i]) throw new Error(`waiting user ${ticket} was taken already`);
    this.taken[i] = 1;
    const offset = this.offsets[i]!;
    const length = this.lengths[i]!;
    if (offset + 4 + length > this.spool.flushedBytes) this.spool.flush();
    this.readFd ??= openSync(this.spool.file, 'r');
    const record = Buffer.allocUnsafe(length);
    if (readAt(this.readFd, record, length, offset + 4) < length) throw new Error(`${this.spool.file} ends inside a waiting user's record`);
    return this.codec.decode(record);
  }

  *drain(): Iterable<WaitingUser> {
    try {
      yield* this.held.drain();
      if (this.spilledAt < 0) return;
      this.spool.flush();
      let i = 0;
      // The read buffer is reused: `decode` copies the binary values out of it.
      for (const record of records(this.spool.file)) if (!this.taken[i++]) yield this.codec.decode(record);
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
