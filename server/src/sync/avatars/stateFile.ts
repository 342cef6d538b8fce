/**
 * The avatar part of the sync state, on disk: `<stateDir>/state/avatars.json`, per user (keyed by
 * objectGUID, avatars/changes.ts `avatarStateKey`) the SHA-256 of the picture last uploaded, where the
 * cloud shows it and when. Planning compares each run's fetched picture with it, so a picture-only
 * change IS picked up by an incremental sync and an unchanged picture is never uploaded again.
 *
 * A small self-contained module on purpose: the sync state proper (high-water marks) lives
 * elsewhere; this file is read at plan time, updated per applied avatar operation, and written
 * atomically (temp file + rename) by `save()`, so an interrupted run leaves the previous file or the
 * new one, never half of one. Records that fail validation (hand edits) are dropped with a warning.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isAvatarStateRecord, type AvatarState, type AvatarStateRecord } from '../../avatars/changes';

export const AVATAR_STATE_FORMAT = 'dirsync-avatar-state';
export const AVATAR_STATE_VERSION = 1;

/** The file's path for a state directory (`EngineOptions.stateDir`, default `<config folder>/.dirsync`). */
export function avatarStatePath(stateDir: string): string {
  return join(stateDir, 'state', 'avatars.json');
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
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new AvatarStateStore(file, []);
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
      if (isAvatarStateRecord(value))
        records.push([key, { sha256: value.sha256, ...(value.url !== undefined ? { url: value.url } : {}), uploadedAt: value.uploadedAt }]);
      else warnings.push(`${file}: the record of ${key} is not valid and was ignored (its avatar will be uploaded again)`);
    }
    return new AvatarStateStore(file, records, warnings);
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
  }

  /** A read-only copy for planning (`planAvatars`' `state`). */
  snapshot(): AvatarState {
    return Object.fromEntries(this.records);
  }

  /** Writes the file when something changed (atomically). A memory store does nothing. */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const users = Object.fromEntries([...this.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const text = JSON.stringify({ format: AVATAR_STATE_FORMAT, version: AVATAR_STATE_VERSION, users }, null, 1) + '\n';
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, this.file);
    this.dirty = false;
  }
}
