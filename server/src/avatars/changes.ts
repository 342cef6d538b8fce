/**
 * Avatar change detection, pure. The cloud decides first: a picture URL that names its content
 * (a published object `<sha256>.<ext>`, the local cloud's `/avatars/…/<first 16 hex digits>`)
 * says which picture the cloud shows, so a fresh copy of a synced folder (no `.dirsync/state`)
 * plans nothing when nothing changed. The sync state is a cache: it remembers, per user (by
 * objectGUID), the SHA-256 of the picture last uploaded and where the cloud shows it, which
 * decides when the cloud's URL names no content (a resource server's own URL, a URL the cloud
 * made up) or the cloud was not read. So an INCREMENTAL sync picks up a picture-only change,
 * which Directory Connector misses (seed 001: "In the case of an updated avatar but no other
 * attribute change, incremental sync won't update the user's avatar"), and an unchanged picture
 * is never uploaded again.
 *
 * | fetch result | previous record / cloud picture          | flags                           | decision  |
 * |--------------|------------------------------------------|---------------------------------|-----------|
 * | image        | cloud URL names this picture's hash      |                                 | unchanged |
 * | image        | cloud URL names another hash             |                                 | upload (changed if the record names it, else cloudDiffers) |
 * | image        | no record, cloud links the source's URL  |                                 | unchanged |
 * | image        | none                                     |                                 | upload (new) |
 * | image        | other sha256                             |                                 | upload (changed) |
 * | image        | same sha256, cloud has none              |                                 | upload (missingInCloud) |
 * | image        | same sha256, cloud shows another URL     |                                 | upload (cloudDiffers) |
 * | image        | same sha256                              | reupload (seed 000 "re-upload") | upload (reupload) |
 * | image        | same sha256, cloud agrees or unknown     |                                 | unchanged |
 * | empty        | record, or cloud has a picture           | removeWhenSourceEmpty or purge  | remove |
 * | empty        | no record, cloud unknown                 | purge                           | remove |
 * | empty        | otherwise                                |                                 | empty (nothing to do) |
 * | failed       | anything                                 |                                 | failed (nothing changes) |
 */
import type { AvatarInfo, AvatarStatus, ThumbnailRef } from '../../../common/report';
import { formatGuid } from '../domain/adValues';
import type { DirectoryEntry } from '../domain/entry';
import type { CheckedImage } from './checks';
import type { AvatarError, AvatarFetchResult, EmptyReason } from './sources';

/** What the sync state file keeps per user, keyed by avatarStateKey(entry). */
export interface AvatarStateRecord {
  /** SHA-256 (hex) of the picture last uploaded. */
  readonly sha256: string;
  /** The URL the cloud user's `photos` was set to (published URL, or the cloud's own). */
  readonly url?: string;
  /** ISO 8601 time of that upload. */
  readonly uploadedAt: string;
}

/** The avatar part of the sync state: objectGUID (AD text form, lower case) → record. */
export type AvatarState = Readonly<Record<string, AvatarStateRecord>>;

/**
 * What the cloud shows for the user, when the engine has read it: `null` = no picture, a string =
 * the `photos` URL. Undefined = not read (e.g. an incremental sync that fetched no cloud users).
 */
export type CloudPicture = string | null | undefined;

export interface DecideOptions {
  /** `avatar.removeWhenSourceEmpty` (seed 000: "Remove profile pictures for empty avatar sources"). */
  readonly removeWhenSourceEmpty: boolean;
  /** An avatar purge (`dirsync purge-avatars`): remove for every empty source. */
  readonly purge?: boolean;
  /** Upload even unchanged pictures (seed 000's re-upload to override cached images). */
  readonly reupload?: boolean;
}

export type UploadWhy = 'new' | 'changed' | 'missingInCloud' | 'cloudDiffers' | 'reupload';

export type AvatarDecision =
  | {
      readonly status: 'upload';
      readonly why: UploadWhy;
      readonly image: CheckedImage;
      readonly url?: string;
      readonly previous?: AvatarStateRecord;
    }
  | { readonly status: 'unchanged'; readonly image: CheckedImage; readonly url?: string; readonly previous?: AvatarStateRecord }
  | {
      readonly status: 'remove';
      readonly reason: EmptyReason;
      readonly detail: string;
      readonly url?: string;
      readonly previous?: AvatarStateRecord;
    }
  | {
      readonly status: 'empty';
      readonly reason: EmptyReason;
      readonly detail: string;
      readonly url?: string;
      readonly previous?: AvatarStateRecord;
    }
  | { readonly status: 'failed'; readonly error: AvatarError; readonly url?: string; readonly previous?: AvatarStateRecord };

/** The key of a user in AvatarState: the objectGUID as AD shows it, else `dn:` + the DN in lower case. */
export function avatarStateKey(entry: DirectoryEntry): string {
  const guid = entry.attributes['objectguid']?.[0];
  if (guid instanceof Uint8Array && guid.length === 16) return formatGuid(guid);
  if (typeof guid === 'string' && guid) return guid.toLowerCase().replace(/[{}]/g, '');
  return `dn:${entry.dn.toLowerCase()}`;
}

/** Decides what to do with one user's picture. Pure. */
export function decideAvatar(
  result: AvatarFetchResult,
  previous: AvatarStateRecord | undefined,
  cloud: CloudPicture,
  options: DecideOptions,
): AvatarDecision {
  const url = result.url;
  const base = { ...(url !== undefined ? { url } : {}), ...(previous ? { previous } : {}) };
  if (result.kind === 'failed') return { status: 'failed', error: result.error, ...base };
  if (result.kind === 'empty') {
    const removing = options.removeWhenSourceEmpty || options.purge === true;
    const hasPicture = previous !== undefined || typeof cloud === 'string' || (options.purge === true && cloud === undefined);
    const status = removing && hasPicture && cloud !== null ? 'remove' : 'empty';
    return { status, reason: result.reason, detail: result.detail, ...base };
  }
  const { kind: _kind, url: _url, ...image } = result;
  const why = uploadReason(image.sha256, previous, cloud, options, url);
  if (why) return { status: 'upload', why, image, ...base };
  return { status: 'unchanged', image, ...base };
}

/**
 * The content hash a picture URL names (lower-case hex, 16 to 64 digits), or undefined: the last
 * path segment that is a hash, with or without an extension (`…/<sha256>.jpg`, `…/<16 hex>`).
 */
export function contentHashOf(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const segments = path.split('/').reverse();
  for (const s of segments) {
    const m = /^([0-9a-f]{16,64})(?:\.[a-z0-9]{1,5})?$/i.exec(s);
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}

function uploadReason(
  sha256: string,
  previous: AvatarStateRecord | undefined,
  cloud: CloudPicture,
  options: DecideOptions,
  sourceUrl: string | undefined,
): UploadWhy | undefined {
  const again = options.reupload ? 'reupload' : undefined;
  const named = typeof cloud === 'string' ? contentHashOf(cloud) : undefined;
  if (named !== undefined) {
    if (sha256.startsWith(named)) return again;
    return previous?.sha256.startsWith(named) ? 'changed' : previous ? 'cloudDiffers' : 'new';
  }
  // No record (a fresh copy of the folder): a cloud that links the resource server's URL shows it.
  if (!previous && typeof cloud === 'string' && sourceUrl !== undefined && cloud === sourceUrl) return again;
  if (!previous) return 'new';
  if (previous.sha256 !== sha256) return 'changed';
  if (cloud === null) return 'missingInCloud';
  if (typeof cloud === 'string' && previous.url !== undefined && cloud !== previous.url) return 'cloudDiffers';
  if (options.reupload) return 'reupload';
  return undefined;
}

/** What was done with a decision, as the engine tells it: uploaded (with the cloud URL), removed, or nothing. */
export type AppliedAvatar =
  | { readonly done: 'uploaded'; readonly url?: string; readonly at: Date }
  | { readonly done: 'removed' }
  | { readonly done: 'nothing' };

/**
 * The state record after a decision was applied: a new record after an upload, none after a
 * removal, the previous one otherwise (a failure or a kept empty source changes nothing, so the
 * next run decides again).
 */
export function nextRecord(decision: AvatarDecision, applied: AppliedAvatar): AvatarStateRecord | undefined {
  if (applied.done === 'uploaded' && (decision.status === 'upload' || decision.status === 'unchanged')) {
    return {
      sha256: decision.image.sha256,
      ...(applied.url !== undefined ? { url: applied.url } : {}),
      uploadedAt: applied.at.toISOString(),
    };
  }
  if (applied.done === 'removed') return undefined;
  return decision.previous;
}

/** True when a JSON value read from a state file is a valid record (files can be edited by hand). */
export function isAvatarStateRecord(value: unknown): value is AvatarStateRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['sha256'] === 'string' &&
    /^[0-9a-f]{64}$/.test(v['sha256']) &&
    typeof v['uploadedAt'] === 'string' &&
    !Number.isNaN(Date.parse(v['uploadedAt'])) &&
    (v['url'] === undefined || typeof v['url'] === 'string')
  );
}

/** Counts per report status, every status present. */
export function countDecisions(decisions: Iterable<AvatarDecision>): Record<AvatarStatus, number> {
  const out: Record<AvatarStatus, number> = { upload: 0, unchanged: 0, remove: 0, failed: 0, empty: 0 };
  for (const d of decisions) out[d.status]++;
  return out;
}

/** The report's view of a decision (common/report.ts AvatarInfo). `thumbnail` comes from thumbnailStore.ts. */
export function avatarInfo(decision: AvatarDecision, source: 'attribute' | 'resourceServer', thumbnail?: ThumbnailRef): AvatarInfo {
  // Every object literal starts with a named property: in V8 (Node 20), an object that starts with the
  // spread of another object and adds properties after it gets a hidden class of its own, about 250
  // bytes per report item more.
  const url = decision.url !== undefined ? { url: decision.url } : {};
  switch (decision.status) {
    case 'upload':
    case 'unchanged': {
      const i = decision.image;
      const reason =
        decision.status === 'upload'
          ? UPLOAD_WORDS[decision.why]
          : decision.previous
            ? 'Same picture as last uploaded'
            : 'The cloud already shows this picture';
      return {
        status: decision.status,
        source,
        ...url,
        reason,
        contentType: i.contentType,
        bytes: i.bytes.length,
        width: i.width,
        height: i.height,
        sha256: i.sha256,
        ...(thumbnail ? { thumbnail } : {}),
      };
    }
    case 'remove':
    case 'empty':
      return { status: decision.status, source, ...url, reason: `${decision.reason} (${decision.detail})` };
    case 'failed':
      return { status: decision.status, source, ...url, reason: decision.error.message };
  }
}

const UPLOAD_WORDS: Readonly<Record<UploadWhy, string>> = {
  new: 'New picture',
  changed: 'Picture changed since the last upload',
  missingInCloud: 'The cloud has no picture for this user',
  cloudDiffers: 'The cloud shows a different picture',
  reupload: 'Re-upload requested',
};
