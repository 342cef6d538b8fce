/**
 * The versioned dry-run report: what `dirsync plan --json` prints, what a saved plan file holds,
 * what the standalone HTML report embeds and what the report webview renders. One shape for all.
 *
 * Compatibility: `version` changes only when a field changes meaning or disappears; new optional
 * fields may appear at any time, so consumers ignore what they do not know.
 */
import type { WorkSummary } from './work';

export const REPORT_FORMAT = 'dirsync-report';
/**
 * 2: `work` (counts that mean work, common/work.ts) added beside `summary`; create items carry their values.
 * 3: `avatar.thumbnail` names a file of the thumbnails folder ({@link ThumbnailRef}) instead of holding a
 * `data:` URL; readers still show a version 2 report's inline thumbnails.
 */
export const REPORT_VERSION = 3;

/** Name of the folder beside the saved reports that holds their thumbnails, one file per distinct picture. */
export const THUMBNAILS_FOLDER = 'thumbnails';

/** The image types a thumbnail file may have, with the file extension of each. */
export const THUMBNAIL_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
};

/**
 * A thumbnail saved once in the thumbnails folder beside the report, named by the SHA-256 of its
 * own bytes (content-addressed: every item showing the same picture refers to the same file).
 */
export interface ThumbnailRef {
  /** SHA-256 of the thumbnail file's bytes, lower-case hex. */
  readonly sha256: string;
  /** One of {@link THUMBNAIL_TYPES}. */
  readonly contentType: string;
}

/** True for a well-formed reference (the hash and type are checked before they name a file). */
export function isThumbnailRef(value: unknown): value is ThumbnailRef {
  const v = value as Partial<ThumbnailRef> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(v.sha256) &&
    typeof v.contentType === 'string' &&
    Object.hasOwn(THUMBNAIL_TYPES, v.contentType)
  );
}

/** The file name of a thumbnail in the thumbnails folder, e.g. `3f…9a.jpg`. */
export function thumbnailFileName(ref: ThumbnailRef): string {
  return `${ref.sha256}.${THUMBNAIL_TYPES[ref.contentType] ?? 'img'}`;
}

/** The report's tabs, in Directory Connector's vocabulary (seed: "Do a Dry Run Synchronization"). */
export type ReportCategory =
  | 'added'
  | 'modified'
  | 'matched'
  | 'mismatched'
  | 'deleted'
  | 'deactivated'
  | 'softDeleted'
  | 'rooms'
  | 'groups'
  | 'contacts'
  | 'avatars'
  | 'invalid';

export const REPORT_CATEGORIES: readonly ReportCategory[] = [
  'added',
  'modified',
  'matched',
  'mismatched',
  'deleted',
  'deactivated',
  'softDeleted',
  'rooms',
  'groups',
  'contacts',
  'avatars',
  'invalid',
];

export type ObjectType = 'user' | 'group' | 'contact' | 'room';

/** What applying the plan does to the object. `none` for matched/unchanged, `retain` for kept mismatched. */
/** What a report item says happens to its object. */
export const REPORT_ACTIONS = [
  'create',
  'update',
  'delete',
  'deactivate',
  'reactivate',
  'retain',
  'none',
  'avatarUpload',
  'avatarRemove',
  'skip',
] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/** A place in the config file (1-based line and column) that caused a value or a decision. */
export interface ConfigRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** JSON path of the key, e.g. `attributes.displayName` or `objects.users.filter`. */
  readonly path: string;
}

/**
 * One attribute's change on one object: old → new, with the mapping that produced it. A create's
 * changes have no `old`: they are the values the create sends.
 */
export interface AttributeChange {
  /** The config's cloud attribute name (`displayName`, `sipAddresses;type=enterprise`). */
  readonly attribute: string;
  /** The SCIM path written (`name.givenName`, `phoneNumbers[type eq "work"].value`). */
  readonly scimPath: string;
  readonly old?: string | boolean | null;
  readonly new?: string | boolean | null;
  readonly configRef?: ConfigRef;
}

export type AvatarStatus = 'upload' | 'unchanged' | 'remove' | 'failed' | 'empty';

export interface AvatarInfo {
  readonly status: AvatarStatus;
  /** Why, in words an admin can search for (e.g. "No image data"). */
  readonly reason?: string;
  readonly source?: 'attribute' | 'resourceServer';
  /** Resolved URL for a resource-server source. */
  readonly url?: string;
  readonly contentType?: string;
  readonly bytes?: number;
  readonly width?: number;
  readonly height?: number;
  /** SHA-256 of the image bytes, hex. */
  readonly sha256?: string;
  /** The picture the cloud shows now, when it shows one (an upload then replaces it). */
  readonly cloudUrl?: string;
  /**
   * A small thumbnail (at most ~6 KB), saved as a file of the thumbnails folder beside the report.
   * Version 2 reports held a `data:image/…;base64,` string here instead; readers still accept it.
   * Untrusted either way.
   */
  readonly thumbnail?: ThumbnailRef;
}

export interface ReportItem {
  /** Stable within a report; also the row key in the webview. */
  readonly id: string;
  readonly category: ReportCategory;
  readonly objectType: ObjectType;
  readonly action: ReportAction;
  readonly dn?: string;
  /** objectGUID as AD shows it (`{…}` without braces, lower-case). */
  readonly objectGuid?: string;
  /** objectSid as `S-1-5-21-…`. */
  readonly objectSid?: string;
  readonly userName?: string;
  readonly displayName?: string;
  readonly cloudId?: string;
  readonly changes?: readonly AttributeChange[];
  readonly members?: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly avatar?: AvatarInfo;
  /** Why the object is in this category (mismatched policy, disabled in AD, protected admin, …). */
  readonly reason?: string;
  readonly warnings?: readonly string[];
  /** Information about the object that needs no action (e.g. its manager is linked right after creation). */
  readonly notes?: readonly string[];
  /** Per-object validation errors; an invalid object is never sent. */
  readonly errors?: readonly string[];
  readonly configRef?: ConfigRef;
}

export interface ReportThreshold {
  readonly deletions: number;
  /** Cloud objects this config owns, the base of the percentage. */
  readonly owned: number;
  readonly limitCount?: number;
  readonly limitPercent?: number;
  readonly disabled: boolean;
  readonly exceeded: boolean;
  /** Why a sync of this plan would be refused, in one sentence. */
  readonly refusal?: string;
}

export interface ReportMessage {
  readonly severity: 'error' | 'warning' | 'information';
  readonly message: string;
  readonly dn?: string;
  readonly userName?: string;
  readonly configRef?: ConfigRef;
}

export interface SyncReport {
  readonly format: typeof REPORT_FORMAT;
  /** {@link REPORT_VERSION} when written; saved reports of version 2 are still read. */
  readonly version: 2 | typeof REPORT_VERSION;
  readonly sessionId: string;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly mode: 'dryRun' | 'full' | 'incremental' | 'purgeAvatars';
  readonly config: { readonly file: string; readonly name?: string; readonly sha256: string };
  /** Never contains a secret: URLs are shown without credentials. */
  readonly directory: { readonly url: string; readonly kind: 'ldap' | 'ldif'; readonly fingerprint: string };
  readonly cloud: { readonly url: string; readonly type: 'webex' | 'scim'; readonly orgId?: string };
  /** Count per category (the report's tabs); every category is present, zero included. */
  readonly summary: Readonly<Record<ReportCategory, number>>;
  /**
   * What applying the plan does, per kind of object (users, rooms, groups, contacts, pictures): to
   * create, update, deactivate, delete, unchanged, skipped (common/work.ts `countWork`). Since version 2.
   */
  readonly work: WorkSummary;
  readonly threshold: ReportThreshold;
  readonly items: readonly ReportItem[];
  readonly messages: readonly ReportMessage[];
}
