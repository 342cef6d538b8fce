/**
 * The local cloud's store: one SQLite file (better-sqlite3), WAL journal, prepared statements,
 * one transaction per write. Users and groups keep their SCIM JSON in `doc`, with the columns the
 * server searches, sorts and enforces uniqueness on beside it: `user_name_lc` (userName is
 * case-insensitive, RFC 7643 §4.1.1), `external_id` (caseExact), `display_name_lc`.
 * Group members are rows (`members`), so adding one member to a 10k-member group is one insert.
 * Webex's org contacts (contacts.ts) keep their JSON in `contacts`.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

export type Db = Database.Database;

const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_name_lc TEXT NOT NULL UNIQUE,
  external_id TEXT UNIQUE,
  display_name TEXT,
  version INTEGER NOT NULL,
  created TEXT NOT NULL,
  modified TEXT NOT NULL,
  deleted_at INTEGER,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_deleted ON users(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS users_modified ON users(modified);
CREATE TABLE IF NOT EXISTS groups (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  display_name_lc TEXT NOT NULL,
  external_id TEXT UNIQUE,
  display_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  created TEXT NOT NULL,
  modified TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_display ON groups(display_name_lc);
CREATE TABLE IF NOT EXISTS members (
  seq INTEGER PRIMARY KEY,
  group_seq INTEGER NOT NULL REFERENCES groups(seq) ON DELETE CASCADE,
  member_id TEXT NOT NULL,
  member_type TEXT NOT NULL,
  UNIQUE (group_seq, member_id)
);
CREATE INDEX IF NOT EXISTS members_member ON members(member_id);
-- A group's members in the order they were added: a page of them without sorting the whole group.
CREATE INDEX IF NOT EXISTS members_group_order ON members(group_seq, seq);
CREATE TABLE IF NOT EXISTS avatars (
  user_id TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes BLOB NOT NULL,
  updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  created TEXT NOT NULL,
  modified TEXT NOT NULL,
  doc TEXT NOT NULL
);
`;

export interface OpenedDb {
  readonly db: Db;
  /** The org this database belongs to (fixed when it was created). */
  readonly orgId: string;
}

/**
 * Opens (creating if needed) the database and fixes its org: a new database takes `orgId` (or a
 * fresh UUID); an existing one keeps its own and refuses a different `orgId`.
 */
export function openDatabase(path: string, orgId?: string): OpenedDb {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a crash of the process loses nothing committed; only power loss can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(DDL);
    const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    const set = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    const version = get.get('schemaVersion')?.value;
    if (version !== undefined && Number(version) > SCHEMA_VERSION) {
      throw new Error(`${path} was written by a newer dirsync (store schema ${version}, this one reads ${SCHEMA_VERSION})`);
    }
    set.run('schemaVersion', String(SCHEMA_VERSION));
    const stored = get.get('orgId')?.value;
    if (stored && orgId && stored !== orgId) {
      throw new Error(`${path} holds org ${stored}, not ${orgId}: start with --org ${stored}, or use another --db file`);
    }
    const org = stored ?? orgId ?? randomUUID();
    if (!stored) set.run('orgId', org);
    return { db, orgId: org };
  } catch (err) {
    db.close();
    throw err;
  }
}
