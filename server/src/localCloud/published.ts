/**
 * A publish target for profile pictures, so a `cloud.type: "webex"` sync (whose pictures Webex
 * reads from a URL: `avatar.publish`) runs against the local cloud alone:
 *
 *   PUT  /published/{name}   image bytes (bearer token; `If-None-Match: *` → 412 when present)
 *   HEAD /published/{name}   · GET /published/{name}   public, like the web server Webex reads
 *
 * `{name}` is what dirsync publishes, `<sha256>.<ext>`. Images are checked against their
 * Content-Type and kept in the database.
 */
import type { CloudContext } from './context';
import { AVATAR_TYPES } from './avatars';
import { badRequest, preconditionFailed, ScimHttpError } from './errors';

export const PUBLISHED_PATH = /^\/published\/([A-Za-z0-9._-]{1,200})$/;

export class PublishedImages {
  private readonly s;

  constructor(
    ctx: CloudContext,
    readonly maxBytes: number,
  ) {
    ctx.db.exec(
      'CREATE TABLE IF NOT EXISTS published (name TEXT PRIMARY KEY, content_type TEXT NOT NULL, bytes BLOB NOT NULL, created TEXT NOT NULL)',
    );
    this.s = {
      get: ctx.db.prepare<[string], { content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM published WHERE name = ?'),
      put: ctx.db.prepare('INSERT OR REPLACE INTO published (name, content_type, bytes, created) VALUES (?, ?, ?, ?)'),
    };
  }

  get(name: string): { contentType: string; bytes: Buffer } | undefined {
    const row = this.s.get.get(name);
    return row ? { contentType: row.content_type, bytes: row.bytes } : undefined;
  }

  /** Stores an image; true when it is new. */
  put(name: string, contentType: string | undefined, bytes: Buffer, ifNoneMatch: string | undefined): boolean {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const check = AVATAR_TYPES[type];
    if (!check) throw new ScimHttpError(415, undefined, `Content-Type ${JSON.stringify(type)} is not an image type this store takes`);
    if (bytes.length === 0 || bytes.length > this.maxBytes)
      throw badRequest('invalidValue', `an image must have 1 to ${this.maxBytes} bytes, not ${bytes.length}`);
    if (!check(bytes)) throw badRequest('invalidValue', `the bytes are not ${type}`);
    const existed = this.s.get.get(name) !== undefined;
    if (existed && ifNoneMatch === '*') throw preconditionFailed(`${name} is already published`);
    this.s.put.run(name, type, bytes, new Date().toISOString());
    return !existed;
  }
}
