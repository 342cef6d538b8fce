/**
 * How a picture reaches a cloud user, chosen once per config (README § Avatars):
 *
 * - `photosUrl` (`avatar.publish` set; required for Webex with source `attribute`): publish the
 *   bytes (publish.ts), then PATCH the user's `photos` to one primary `photo` with the public URL.
 *   Removal PATCHes `photos` away.
 * - `resourceUrl` (Webex, source `resourceServer`, no `publish`): `photos` gets the resource
 *   server's URL itself; Webex must be able to read it. Bytes are still fetched and hashed, for
 *   the checks and change detection.
 * - `avatarEndpoint` (no `publish`, a cloud that takes bytes — the local cloud): PUT the bytes to
 *   `/Users/{id}/avatar`; the cloud stores them and sets `photos` itself. Removal is DELETE.
 *
 * Targets throw the SCIM client's errors (ScimError) or AvatarTargetError; the engine reports them
 * per user and keeps the previous state record, so the next run tries again.
 */
import type { ScimUser, UsersClient } from '../cloud/index';
import type { CheckedImage } from './checks';
import type { AvatarError } from './sources';
import type { Publisher } from './publish';

export type AvatarTargetKind = 'photosUrl' | 'resourceUrl' | 'avatarEndpoint';

export interface AvatarUpload {
  /** The URL the cloud user's `photos` now shows (kept in the state record). */
  readonly url?: string;
  /** False when a published object already existed (nothing was sent but the PATCH). */
  readonly uploadedBytes: boolean;
}

export interface AvatarTarget {
  readonly kind: AvatarTargetKind;
  /** Sets the user's picture. `sourceUrl` is the resource-server URL, when there is one. */
  upload(cloudUserId: string, image: CheckedImage, sourceUrl: string | undefined, signal?: AbortSignal): Promise<AvatarUpload>;
  /** Removes the user's picture. */
  remove(cloudUserId: string, signal?: AbortSignal): Promise<void>;
}

/** A picture that could not be made available to the cloud (publishing failed, no URL). */
export class AvatarTargetError extends Error {
  override readonly name = 'AvatarTargetError';
  constructor(readonly error: AvatarError) {
    super(error.message);
  }
}

/** The primary `photo` URL of a SCIM user, or null when it has none. */
export function photoUrlOf(user: Pick<ScimUser, 'photos'> | undefined): string | null {
  const photos = user?.photos ?? [];
  const pick = photos.find((p) => p.primary && p.type === 'photo') ?? photos.find((p) => p.type === 'photo') ?? photos[0];
  return typeof pick?.value === 'string' ? pick.value : null;
}

const setPhotos = (url: string) => [{ op: 'replace' as const, path: 'photos', value: [{ value: url, type: 'photo', primary: true }] }];
const removePhotos = [{ op: 'remove' as const, path: 'photos' }];

/** Publish, then point `photos` at the public URL. */
export function photosUrlTarget(users: UsersClient, publisher: Publisher): AvatarTarget {
  return {
    kind: 'photosUrl',
    async upload(id, image, _sourceUrl, signal) {
      const published = await publisher.publish(image, signal);
      if (!published.ok) throw new AvatarTargetError(published.error);
      await users.patch(id, setPhotos(published.url), signal ? { signal } : {});
      return { url: published.url, uploadedBytes: published.uploaded };
    },
    async remove(id, signal) {
      await users.patch(id, removePhotos, signal ? { signal } : {});
    },
  };
}

/** Point `photos` at the resource server's own URL. */
export function resourceUrlTarget(users: UsersClient): AvatarTarget {
  return {
    kind: 'resourceUrl',
    async upload(id, _image, sourceUrl, signal) {
      if (!sourceUrl)
        throw new AvatarTargetError({
          code: 'uri',
          message: 'no resource-server URL to point photos at (source attribute needs avatar.publish)',
        });
      await users.patch(id, setPhotos(sourceUrl), signal ? { signal } : {});
      return { url: sourceUrl, uploadedBytes: false };
    },
    async remove(id, signal) {
      await users.patch(id, removePhotos, signal ? { signal } : {});
    },
  };
}

/** PUT the bytes to the cloud's `/Users/{id}/avatar` (the local cloud). */
export function avatarEndpointTarget(users: UsersClient): AvatarTarget {
  return {
    kind: 'avatarEndpoint',
    async upload(id, image, _sourceUrl, signal) {
      const user = await users.putAvatar(id, image.bytes, image.contentType, signal ? { signal } : {});
      const url = photoUrlOf(user);
      return { ...(url ? { url } : {}), uploadedBytes: true };
    },
    async remove(id, signal) {
      await users.deleteAvatar(id, signal ? { signal } : {});
    },
  };
}

/**
 * Which target a config uses: `publish` wins; otherwise Webex with a resource server links the
 * resource URL, and any other cloud gets the bytes. Webex with source `attribute` and no `publish`
 * has no way to show the picture: undefined (the language service reports DS523).
 */
export function chooseTargetKind(
  cloudType: 'webex' | 'scim',
  source: 'attribute' | 'resourceServer',
  hasPublish: boolean,
): AvatarTargetKind | undefined {
  if (hasPublish) return 'photosUrl';
  if (cloudType === 'webex') return source === 'resourceServer' ? 'resourceUrl' : undefined;
  return 'avatarEndpoint';
}
