/** `/Users`, plus the local cloud's avatar endpoints (`/Users/{id}/avatar`). */
import { ResourceClient, type RequestOptions, type WriteOptions } from './resources';
import type { ScimUser } from './schemas';

export interface Avatar {
  readonly data: Buffer;
  readonly contentType: string;
  /** The server's ETag for the image (the local cloud: its SHA-256, quoted). */
  readonly etag?: string;
}

export class UsersClient extends ResourceClient<ScimUser> {
  /**
   * Uploads a profile picture (local cloud extension: `PUT /Users/{id}/avatar` with the image
   * bytes). The server stores it and points the user's `photos` at a URL it serves; resolves with
   * the updated user.
   */
  async putAvatar(id: string, data: Uint8Array, contentType: string, opts: WriteOptions = {}): Promise<ScimUser> {
    const res = await this.transport.send<ScimUser>({
      method: 'PUT',
      path: `${this.endpoint}/${encodeURIComponent(id)}/avatar`,
      bytes: { data, contentType },
      ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}),
      operation: 'upload avatar of',
      object: opts.object ?? `user id ${id}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.body;
  }

  /** Downloads the stored picture, or undefined when the user has none. */
  async getAvatar(id: string, opts: RequestOptions = {}): Promise<Avatar | undefined> {
    try {
      const res = await this.transport.send<Buffer>({
        method: 'GET',
        path: `${this.endpoint}/${encodeURIComponent(id)}/avatar`,
        operation: 'download avatar of',
        object: opts.object ?? `user id ${id}`,
        retry: 'idempotent',
        responseType: 'bytes',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const ct = res.headers['content-type'];
      return {
        data: res.body,
        contentType: (Array.isArray(ct) ? ct[0] : ct) ?? 'application/octet-stream',
        ...(res.etag ? { etag: res.etag } : {}),
      };
    } catch (err) {
      if ((err as { kind?: string }).kind === 'notFound') return undefined;
      throw err;
    }
  }

  /** Removes the stored picture and the user's `photos` link to it. */
  async deleteAvatar(id: string, opts: WriteOptions = {}): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: `${this.endpoint}/${encodeURIComponent(id)}/avatar`,
      ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}),
      operation: 'delete avatar of',
      object: opts.object ?? `user id ${id}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }
}
