/**
 * Where a user's picture comes from (seed 001, "Synchronize Directory Avatars From an Active
 * Directory Attribute / From a Resource Server"): one `AvatarSource` per config, asked once per
 * user. Every answer is data — an image, an empty source, or a failure for that user — so one bad
 * picture never stops a sync; only cancellation (the AbortSignal) throws.
 *
 * - `image`: the bytes passed every check (checks.ts) and carry their SHA-256.
 * - `empty`: the user has no picture at the source: the attribute is absent or zero-length, the
 *   resource server answers 404/410, or the URI pattern cannot be resolved because the entry lacks
 *   the attribute it names. Only an empty source may lead to removing a cloud picture, and only
 *   with `removeWhenSourceEmpty` or in an avatar purge (state.ts).
 * - `failed`: anything else (401/403/5xx, timeout, not an image, too large…). Reported per user;
 *   changes nothing in the cloud.
 */
import type { DirectoryEntry } from '../domain/entry';
import { checkImage, type CheckedImage, type CheckProblemCode } from './checks';

/**
 * Why a source is empty, in the words an admin searches the event log for. "No image data" is
 * Directory Connector's (seed 000: "Reason:No Image Data", "No image data for AD entry").
 */
export type EmptyReason = 'No image data' | 'No avatar URI';

export type AvatarErrorCode =
  | CheckProblemCode
  | 'notBinary'
  | 'unauthorized'
  | 'forbidden'
  | 'httpStatus'
  | 'timeout'
  | 'network'
  | 'redirect'
  | 'uri'
  /** The cloud refused the upload or removal (a ScimError's message). */
  | 'cloud';

export interface AvatarError {
  readonly code: AvatarErrorCode;
  /** One sentence for the report and the event log; never holds a credential. */
  readonly message: string;
  /** The HTTP status, when the failure was an answer. */
  readonly status?: number;
}

export type AvatarFetchResult =
  | ({ readonly kind: 'image'; readonly url?: string } & CheckedImage)
  | { readonly kind: 'empty'; readonly reason: EmptyReason; readonly detail: string; readonly url?: string }
  | { readonly kind: 'failed'; readonly error: AvatarError; readonly url?: string };

export interface AvatarSource {
  readonly kind: 'attribute' | 'resourceServer';
  /** AD attributes the directory search must return for `fetch` (lower-case). */
  readonly attributes: readonly string[];
  /** The user's picture; rejects only when `signal` is aborted. */
  fetch(entry: DirectoryEntry, signal?: AbortSignal): Promise<AvatarFetchResult>;
  /** Releases connections the source owns. */
  close(): Promise<void>;
}

export interface AttributeSourceOptions {
  /** The AD attribute with the image bytes, e.g. thumbnailPhoto or jpegPhoto (`avatar.attribute`). */
  readonly attribute: string;
  /** `avatar.maxBytes`. */
  readonly maxBytes: number;
}

/**
 * Pictures from an AD attribute. The first value counts (jpegPhoto may hold several; AD's
 * thumbnailPhoto holds one). The directory layer must read the attribute as bytes: a custom
 * attribute that arrives as text fails with `notBinary` instead of being guessed at.
 */
export function createAttributeSource(options: AttributeSourceOptions): AvatarSource {
  const name = options.attribute;
  const key = name.toLowerCase();
  return {
    kind: 'attribute',
    attributes: [key],
    async fetch(entry, signal) {
      signal?.throwIfAborted();
      return fromAttribute(entry, name, options.maxBytes);
    },
    async close() {},
  };
}

/** The synchronous core of the attribute source (also used by benchmarks and previews). */
export function fromAttribute(entry: DirectoryEntry, attribute: string, maxBytes: number): AvatarFetchResult {
  const value = entry.attributes[attribute.toLowerCase()]?.[0];
  if (value === undefined) return { kind: 'empty', reason: 'No image data', detail: `${attribute} is not set` };
  if (typeof value === 'string') {
    if (value === '') return { kind: 'empty', reason: 'No image data', detail: `${attribute} is empty` };
    return {
      kind: 'failed',
      error: { code: 'notBinary', message: `${attribute} was read as text, not bytes: it is not a binary (octet string) attribute` },
    };
  }
  if (value.length === 0) return { kind: 'empty', reason: 'No image data', detail: `${attribute} is empty (zero bytes)` };
  const checked = checkImage(value, { maxBytes }, { attribute });
  if (!checked.ok) return { kind: 'failed', error: { code: checked.code, message: `${attribute}: ${checked.message}` } };
  const { ok: _ok, ...image } = checked;
  return { kind: 'image', ...image };
}
