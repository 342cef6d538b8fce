/**
 * Profile pictures held by the local cloud, so the avatar work can round-trip real bytes:
 *
 *   PUT    /identity/scim/{orgId}/v2/Users/{id}/avatar   image bytes (Content-Type image/jpeg|png|gif|webp|bmp)
 *   GET    /identity/scim/{orgId}/v2/Users/{id}/avatar   the bytes, their Content-Type, ETag "<sha256>"
 *   DELETE /identity/scim/{orgId}/v2/Users/{id}/avatar   removes them
 *   GET    /avatars/{orgId}/{id}/{hash}                   public, what the user's `photos` points at
 *
 * An upload sets the user's `photos` to one primary `photo` whose URL carries the first 16 hex
 * digits of the image's SHA-256 (a new image gets a new URL, as Webex's avatar URLs change), and
 * bumps the user's version. Removing the URL from `photos` by PUT/PATCH drops the stored image.
 */
import { createHash } from 'node:crypto';
import type { CloudContext } from './context';
import { ScimHttpError, badRequest, notFound, preconditionFailed } from './errors';
import { ifMatchSatisfied, type Json } from './resource';
import type { UserRow, UserService } from './userService';

export const AVATAR_TYPES: Readonly<Record<string, (b: Buffer) => boolean>> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (b) =>
    b.length > 6 && (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a'),
  'image/webp': (b) => b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/bmp': (b) => b.length > 2 && b[0] === 0x42 && b[1] === 0x4d,
};

export interface StoredAvatar {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly sha256: string;
}

export class AvatarService {
  private readonly s;

  constructor(
    private readonly ctx: CloudContext,
    private readonly users: UserService,
    readonly maxBytes: number,
  ) {
    const db = ctx.db;
    this.s = {
      put: db.prepare('INSERT OR REPLACE INTO avatars (user_id, content_type, sha256, bytes, updated) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare<[string], { content_type: string; sha256: string; bytes: Buffer }>(
        'SELECT content_type, sha256, bytes FROM avatars WHERE user_id = ?',
      ),
      delete: db.prepare<[string]>('DELETE FROM avatars WHERE user_id = ?'),
      count: db.prepare<[], number>('SELECT COUNT(*) FROM avatars').pluck(),
    };
  }

  /** The public URL of an image (what goes into `photos`). */
  publicUrl(userId: string, sha256: string): string {
    return `${this.ctx.origin}/avatars/${encodeURIComponent(this.ctx.orgId)}/${encodeURIComponent(userId)}/${sha256.slice(0, 16)}`;
  }

  private withoutOurPhotos(doc: Json): Json[] {
    const photos = Array.isArray(doc['photos']) ? (doc['photos'] as Json[]) : [];
    return photos.filter((p) => !(typeof p?.['value'] === 'string' && (p['value'] as string).includes('/avatars/')));
  }

  put(userId: string, bytes: Buffer, contentType: string | undefined, ifMatch?: string): UserRow {
    const row = this.users.get(userId);
    if (!ifMatchSatisfied(ifMatch, row.version))
      throw preconditionFailed(`user ${userId} is at version W/"${row.version}", not ${ifMatch}`);
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const sniff = AVATAR_TYPES[type];
    if (!sniff) {
      throw new ScimHttpError(
        415,
        'invalidValue',
        `avatar Content-Type must be one of ${Object.keys(AVATAR_TYPES).join(', ')}, not ${JSON.stringify(contentType ?? '')}`,
      );
    }
    if (bytes.length === 0) throw badRequest('invalidValue', 'the avatar is empty');
    if (bytes.length > this.maxBytes)
      throw new ScimHttpError(413, 'invalidValue', `the avatar has ${bytes.length} bytes; at most ${this.maxBytes} are accepted`);
    if (!sniff(bytes)) throw badRequest('invalidValue', `the body is not a ${type} image (its first bytes do not match)`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.s.put.run(userId, type, sha256, bytes, new Date(this.ctx.now()).toISOString());
    const doc = structuredClone(row.doc);
    const others = this.withoutOurPhotos(doc).map((p) => ({ ...p, primary: false }));
    doc['photos'] = [{ value: this.publicUrl(userId, sha256), type: 'photo', primary: true }, ...others];
    return this.users.update(row, doc);
  }

  get(userId: string): StoredAvatar {
    this.users.get(userId);
    const a = this.s.get.get(userId);
    if (!a) throw notFound(`user ${userId} has no avatar`);
    return { bytes: a.bytes, contentType: a.content_type, sha256: a.sha256 };
  }

  /** The image behind a public URL, when the hash is still the current one. */
  getPublic(userId: string, hash: string): StoredAvatar | undefined {
    const a = this.s.get.get(userId);
    if (!a?.sha256.startsWith(hash) || hash.length < 8 || !this.users.exists(userId)) return undefined;
    return { bytes: a.bytes, contentType: a.content_type, sha256: a.sha256 };
  }

  delete(userId: string, ifMatch?: string): void {
    const row = this.users.get(userId);
    if (!ifMatchSatisfied(ifMatch, row.version))
      throw preconditionFailed(`user ${userId} is at version W/"${row.version}", not ${ifMatch}`);
    const had = this.s.delete.run(userId).changes > 0;
    const doc = structuredClone(row.doc);
    const photos = this.withoutOurPhotos(doc);
    if (!had && photos.length === (Array.isArray(doc['photos']) ? (doc['photos'] as unknown[]).length : 0)) return;
    if (photos.length > 0) doc['photos'] = photos;
    else delete doc['photos'];
    this.users.update(row, doc);
  }

  count(): number {
    return this.s.count.get() as number;
  }
}
