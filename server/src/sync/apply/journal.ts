/**
 * The apply journal: one append-only JSON-lines file per apply session in `<stateDir>/journal/`
 * (`<sessionId>.jsonl`). Every record is written and fsync'd before the step it describes goes on
 * (a `start` before the request is sent; `done` records before the next phase starts and before
 * the apply reports success — see `Journal.appendLater`), so a
 * process killed at any instant (kill -9, power loss) leaves a journal that tells the next run:
 *
 * - which operations of that plan are done, and the cloud id each create got (`done`);
 * - which were sent but never confirmed (`start` without `done`/`fail`): a create among them may
 *   have reached the cloud with its answer lost, so the next run looks the object up by
 *   externalId / userName before creating it again.
 *
 * Records (one JSON object a line, `t` says which):
 *   {"t":"plan","time","sessionId","planId","config","mode","basis":{…},"ops":N}
 *   {"t":"start","time","op":"op-000001","kind":"createUser","key":"ext:…"}
 *   {"t":"done","time","op":"op-000001","cloudId":"…"}          cloudId for creates
 *   {"t":"fail","time","op":"op-000001","message":"…"}
 *   {"t":"end","time","status":"complete"|"cancelled"|"failed"|"superseded"}
 *
 * Writes are group-committed (`Journal`): records appended while an fsync runs go out together with
 * the next one, so concurrent operations share fsyncs; `done` records ask for no fsync of their own
 * (they ride with the next `start` or the `end`). A torn last line (killed mid-write) is ignored on read.
 * Journals never hold a secret: labels, ids and error messages only.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanBasis, PlanOperation, PlanPayload } from '../contract';
import { operationLines } from '../plan/operations';

export type JournalRecord =
  | {
      readonly t: 'plan';
      readonly time: string;
      readonly sessionId: string;
      readonly planId: string;
      readonly config: string;
      readonly mode: string;
      readonly basis: PlanBasis;
      readonly ops: number;
    }
  | { readonly t: 'start'; readonly time: string; readonly op: string; readonly kind: PlanOperation['kind']; readonly key?: string }
  | { readonly t: 'done'; readonly time: string; readonly op: string; readonly cloudId?: string; readonly key?: string }
  | { readonly t: 'fail'; readonly time: string; readonly op: string; readonly message: string }
  | { readonly t: 'end'; readonly time: string; readonly status: JournalEndStatus };

export type JournalEndStatus = 'complete' | 'cancelled' | 'failed' | 'superseded';

/** What a journal file says, read back. */
export interface JournalState {
  readonly file: string;
  readonly sessionId: string;
  readonly planId: string;
  readonly config: string;
  /** When the apply began (ISO 8601). */
  readonly startedAt: string;
  /** Operation ids confirmed done, with the created cloud id when there was one. */
  readonly done: ReadonlyMap<string, string | undefined>;
  /** Operations started and never confirmed: their outcome is unknown. */
  readonly unconfirmed: ReadonlyMap<string, { readonly kind: PlanOperation['kind']; readonly key?: string }>;
  /** Created objects by key (`ext:<externalId>` / `user:<userName lower-case>` / `group:<displayName lower-case>`). */
  readonly createdByKey: ReadonlyMap<string, string>;
  readonly end?: JournalEndStatus;
}

/** A stable id for a plan's operations: the same saved plan gets the same id. */
export function planIdOf(payload: PlanPayload): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(payload.basis));
  for (const line of operationLines(payload)) h.update(line);
  return h.digest('hex').slice(0, 32);
}

/** The lookup key of an object an operation creates: externalId first, else its name. */
export function createKey(op: PlanOperation): string | undefined {
  if (op.kind === 'createContact') return `contact:${op.externalId}`;
  if (op.kind !== 'createUser' && op.kind !== 'createGroup') return undefined;
  const ext = op.body['externalId'];
  if (typeof ext === 'string' && ext) return `ext:${ext}`;
  if (op.kind === 'createUser') {
    const u = op.body['userName'];
    return typeof u === 'string' && u ? `user:${u.toLowerCase()}` : undefined;
  }
  const d = op.body['displayName'];
  return typeof d === 'string' && d ? `group:${d.toLowerCase()}` : undefined;
}

export function journalDir(stateDir: string): string {
  return join(stateDir, 'journal');
}

/** The part of a file handle the journal writes through (a `FileHandle`; tests wrap one). */
export interface JournalSink {
  write(data: string): Promise<unknown>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An open journal, group-committed: records appended while a write + fdatasync runs are joined
 * and go out together in the next one, so concurrent operations share one fsync.
 *
 * - `append` (durable): resolves once the record — and every record appended before it — is on
 *   disk (after the fdatasync); rejects when that write or fsync fails (every record of the batch
 *   fails with it; the journal then refuses further appends).
 * - `appendLater` (lazy): queues the record without asking for an fsync; it goes out with the next
 *   durable append, `sync()` or `close()`. For records whose loss a resume tolerates (`done`: a lost
 *   one leaves the operation unconfirmed, and the next run looks the object up before re-creating).
 */
export class Journal {
  private queue: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  /** A durable append (or sync) is waiting in `queue`. */
  private wanted = false;
  private flushing: Promise<void> | undefined;
  private failed: unknown;
  private closed = false;
  /** Write + fsync batches so far (the bench reports it). */
  fsyncs = 0;
  records = 0;

  private constructor(
    readonly file: string,
    private readonly sink: JournalSink,
  ) {}

  /** Opens (creating or appending to) `<dir>/<sessionId>.jsonl`; `wrap` lets a test interpose on the file handle. */
  static async open(dir: string, sessionId: string, wrap?: (h: FileHandle) => JournalSink): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${sessionId}.jsonl`);
    const handle = await open(file, 'a');
    return new Journal(file, wrap ? wrap(handle) : handle);
  }

  /** Appends a record; resolves once it is durable (written and fdatasync'd). */
  append(record: JournalRecord): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    this.push(record);
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.wanted = true;
    this.flushing ??= this.flush();
    return p;
  }

  /** Queues a record to go out with the next durable append / `sync()` / `close()`; throws when the journal is closed or failed. */
  appendLater(record: JournalRecord): void {
    const refused = this.refusal();
    if (refused) throw refused;
    this.push(record);
  }

  /** Resolves once every record appended so far is durable. */
  sync(): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (this.queue.length === 0 && !this.flushing) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.wanted = true;
    this.flushing ??= this.flush();
    return p;
  }

  private push(record: JournalRecord): void {
    this.queue.push(JSON.stringify(record) + '\n');
    this.records++;
  }

  private refusal(): Error | undefined {
    if (this.closed) return new Error(`journal ${this.file} is closed`);
    if (this.failed)
      return new Error(`journal ${this.file} failed earlier: ${this.failed instanceof Error ? this.failed.message : String(this.failed)}`);
    return undefined;
  }

  private async flush(): Promise<void> {
    while (this.wanted && !this.failed) {
      const lines = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      this.wanted = false;
      try {
        await this.sink.write(lines);
        await this.sink.datasync();
        this.fsyncs++;
        for (const w of waiters) w.resolve();
      } catch (err) {
        // What reached the file is unknown: fail this batch and everything after it.
        this.failed = err;
        for (const w of [...waiters, ...this.waiters]) w.reject(err);
        this.waiters = [];
        this.queue = [];
      }
    }
    this.flushing = undefined;
  }

  /** Makes the queued records durable (unless the journal failed), then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.failed && this.queue.length > 0) await this.sync().catch(() => undefined);
    if (this.flushing) await this.flushing;
    this.closed = true;
    await this.sink.close();
  }
}

/** Reads one journal file; a torn or unparsable line (a write cut by a kill) is skipped. */
export async function readJournal(file: string): Promise<JournalState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let header: Extract<JournalRecord, { t: 'plan' }> | undefined;
  const done = new Map<string, string | undefined>();
  const started = new Map<string, { kind: PlanOperation['kind']; key?: string }>();
  const createdByKey = new Map<string, string>();
  let end: JournalEndStatus | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let r: JournalRecord;
    try {
      r = JSON.parse(line) as JournalRecord;
    } catch {
      continue;
    }
    switch (r.t) {
      case 'plan':
        header = r;
        break;
      case 'start':
        started.set(r.op, r.key === undefined ? { kind: r.kind } : { kind: r.kind, key: r.key });
        break;
      case 'done':
        done.set(r.op, r.cloudId);
        started.delete(r.op);
        if (r.key && r.cloudId) createdByKey.set(r.key, r.cloudId);
        break;
      case 'fail':
        started.delete(r.op);
        break;
      case 'end':
        end = r.status;
        break;
    }
  }
  if (!header) return undefined;
  return {
    file,
    sessionId: header.sessionId,
    planId: header.planId,
    config: header.config,
    startedAt: header.time,
    done,
    unconfirmed: started,
    createdByKey,
    ...(end ? { end } : {}),
  };
}

/** The journals of one config that `keep` accepts, oldest first. */
async function journalsOf(stateDir: string, configFile: string, keep: (j: JournalState) => boolean): Promise<JournalState[]> {
  const dir = journalDir(stateDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: JournalState[] = [];
  for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
    const j = await readJournal(join(dir, name));
    if (j && j.config === configFile && keep(j)) out.push(j);
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/**
 * Journals of earlier applies of the same config that did not complete (killed, cancelled or
 * failed), oldest first: what a new apply must take into account.
 */
export function unfinishedJournals(stateDir: string, configFile: string): Promise<JournalState[]> {
  return journalsOf(stateDir, configFile, (j) => j.end !== 'complete' && j.end !== 'superseded');
}

/** Every journal (finished or not) of one plan of a config, oldest first: was this saved plan applied? */
export function journalsOfPlan(stateDir: string, configFile: string, planId: string): Promise<JournalState[]> {
  return journalsOf(stateDir, configFile, (j) => j.planId === planId);
}

/**
 * Deletes the oldest finished journals (`complete` / `superseded`) of a config beyond `keep`, so a
 * long-lived `dirsync serve` does not fill the disk. Unfinished journals are never deleted.
 */
export async function pruneJournals(stateDir: string, configFile: string, keep = 20): Promise<number> {
  const dir = journalDir(stateDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const files = names.filter((n) => n.endsWith('.jsonl'));
  if (files.length <= keep) return 0; // the usual case: nothing to read
  const finished: JournalState[] = [];
  for (const name of files) {
    const j = await readJournal(join(dir, name));
    if (j && j.config === configFile && (j.end === 'complete' || j.end === 'superseded')) finished.push(j);
  }
  finished.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const old = finished.slice(keep);
  for (const j of old) await rm(j.file, { force: true });
  return old.length;
}
