/**
 * The avatar part of the sync state, on disk: `<stateDir>/state/avatars.json`, per user (keyed by
 * objectGUID, avatars/changes.ts `avatarStateKey`) the SHA-256 of the picture last uploaded, where the
 * cloud shows it and when. Planning compares each run's fetched picture with it, so a picture-only
 * change IS picked up by an incremental sync and an unchanged picture is never uploaded again.
 *
 * A small self-contained module on purpose: the sync state proper (high-water marks) lives
 * elsewhere; this file is read at plan time, updated per applied avatar operation, and written
 * atomically (temp file + fsync + rename) by `save()`, so an interrupted run leaves the previous file or the
 * new one, never half of one. Records that fail validation (hand edits) are dropped with a warning.
 *
 * During an apply, `commit()` makes the records set since the last commit durable without rewriting
 * the file: they are appended to `avatars.json.log` (one JSON line a record), group-committed — the
 * records of every upload that finished while a write + fdatasync ran go out together in the next
 * one. `load()` replays that log over the file (a torn last line is ignored), and `save()` folds it
 * into the file and deletes it. So a killed apply loses at most the records not yet committed.
 */
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isAvatarStateRecord, type AvatarState, type AvatarStateRecord } from '../../avatars/changes';
import { writeTextDurably } from '../apply/stateFiles';

export const AVATAR_STATE_FORMAT = 'dirsync-avatar-state';
export const AVATAR_STATE_VERSION = 1;

/** The file's path for a state directory (`EngineOptions.stateDir`, default `<config folder>/.dirsync`). */
export function avatarStatePath(stateDir: string): string {
  return join(stateDir, 'state', 'avatars.json');
}

/** The log of records committed since the file was last written (`AvatarStateStore.commit`). */
export function avatarStateLogPath(stateDir: string): string {
  return `${avatarStatePath(stateDir)}.log`;
}

/** What `applyAvatarOperation` needs of the store. */
export interface AvatarStateUpdater {
  get(key: string): AvatarStateRecord | undefined;
  /** Sets (record) or drops (undefined) a user's record. */
  set(key: string, record: AvatarStateRecord | undefined): void;
}

export class AvatarStateStore implements AvatarStateUpdater {
  private readonly records: Map<string, AvatarStateRecord>;
  private dirty = false;
  /** Records set since the last commit, as log lines. */
  private uncommitted: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private log: FileHandle | undefined;
  /** Write + fdatasync batches of the log so far. */
  commits = 0;

  private constructor(
    /** The file, or undefined for a store that lives in memory only (tests, previews). */
    readonly file: string | undefined,
    records: Iterable<[string, AvatarStateRecord]>,
    /** Problems found while reading (invalid records dropped); for the report's messages. */
    readonly warnings: readonly string[] = [],
  ) {
    this.records = new Map(records);
  }

  /** A store in memory, optionally with records. */
  static memory(state: AvatarState = {}): AvatarStateStore {
    return new AvatarStateStore(undefined, Object.entries(state));
  }

  /** Reads `<stateDir>/state/avatars.json`; a missing file is an empty state. Throws on unreadable JSON, naming the file. */
  static async load(stateDir: string): Promise<AvatarStateStore> {
    const file = avatarStatePath(stateDir);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        const store = new AvatarStateStore(file, []);
        await store.replay();
        return store;
      }
      throw err;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${(err as Error).message}); delete it to re-upload every avatar once`);
    }
    const users = (doc as { users?: unknown } | null)?.users;
    if (typeof users !== 'object' || users === null || (doc as { format?: unknown }).format !== AVATAR_STATE_FORMAT) {
      throw new Error(`${file}: not a dirsync avatar state file (format "${AVATAR_STATE_FORMAT}" with "users")`);
    }
    const warnings: string[] = [];
    const records: Array<[string, AvatarStateRecord]> = [];
    for (const [key, value] of Object.entries(users)) {
      if (isAvatarStateRecord(value)) records.push([key, copyRecord(value)]);
      else warnings.push(`${file}: the record of ${key} is not valid and was ignored (its avatar will be uploaded again)`);
    }
    const store = new AvatarStateStore(file, records, warnings);
    await store.replay();
    return store;
  }

  get size(): number {
    return this.records.size;
  }

  get(key: string): AvatarStateRecord | undefined {
    return this.records.get(key);
  }

  set(key: string, record: AvatarStateRecord | undefined): void {
    const before = this.records.get(key);
    if (record === undefined) {
      if (before === undefined) return;
      this.records.delete(key);
    } else {
      if (before && before.sha256 === record.sha256 && before.url === record.url && before.uploadedAt === record.uploadedAt) return;
      this.records.set(key, record);
    }
    this.dirty = true;
    if (this.file) this.uncommitted.push(JSON.stringify({ key, record: record ?? null }) + '\n');
  }

  /**
   * Resolves once every record set so far is durable (appended to the log and fdatasync'd),
   * group-committed with the other callers'. A memory store resolves at once.
   */
  commit(): Promise<void> {
    if (!this.file || (this.uncommitted.length === 0 && !this.flushing)) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flush();
    return p;
  }

  private async flush(): Promise<void> {
    while (this.waiters.length > 0) {
      const lines = this.uncommitted.join('');
      const waiters = this.waiters;
      this.uncommitted = [];
      this.waiters = [];
      try {
        if (lines) {
          if (!this.log) {
            await mkdir(dirname(this.file!), { recursive: true });
            this.log = await open(`${this.file}.log`, 'a');
          }
          await this.log.write(lines);
          await this.log.datasync();
          this.commits++;
        }
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.flushing = undefined;
  }

  /** Replays `<file>.log` (records committed by a run that did not save the file); a torn line is skipped. */
  private async replay(): Promise<void> {
    let text: string;
    try {
      text = await readFile(`${this.file}.log`, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: { key?: unknown; record?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (typeof entry.key !== 'string') continue;
      if (entry.record === null) this.records.delete(entry.key);
      else if (isAvatarStateRecord(entry.record)) this.records.set(entry.key, copyRecord(entry.record));
      else continue;
      this.dirty = true; // the next save() folds the log into the file
    }
  }

  /** A read-only copy for planning (`planAvatars`' `state`). */
  snapshot(): AvatarState {
    return Object.fromEntries(this.records);
  }

  /**
   * Writes the file when something changed (atomically: temp file, fsync, rename), then deletes the
   * log it now contains. A memory store does nothing.
   */
  async save(): Promise<void> {
    if (!this.file) return;
    if (this.flushing) await this.flushing;
    if (!this.dirty) return;
    const users = Object.fromEntries([...this.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const text = JSON.stringify({ format: AVATAR_STATE_FORMAT, version: AVATAR_STATE_VERSION, users }, null, 1) + '\n';
    await writeTextDurably(this.file, text);
    this.uncommitted = [];
    await this.log?.close();
    this.log = undefined;
    await rm(`${this.file}.log`, { force: true });
    this.dirty = false;
  }

  /** Closes the log without folding it into the file (what a killed run leaves; for tests). */
  async abandon(): Promise<void> {
    if (this.flushing) await this.flushing;
    await this.log?.close();
    this.log = undefined;
  }
}

function copyRecord(value: AvatarStateRecord): AvatarStateRecord {
  return { sha256: value.sha256, ...(value.url !== undefined ? { url: value.url } : {}), uploadedAt: value.uploadedAt };
}
