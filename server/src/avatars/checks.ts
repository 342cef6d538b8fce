/**
 * What an avatar must be before it goes to the cloud: an image by content (image.ts), no larger
 * than `avatar.maxBytes` (default 10 MB − 1: the Webex app takes images under 10 MB), with sane
 * dimensions; plus its SHA-256, which names published objects and drives change detection.
 *
 * Enforced (README § Avatars, "Checks and limits"):
 *   - size: 1 … maxBytes bytes;
 *   - format: JPEG, PNG, GIF or BMP by magic bytes, complete (not truncated);
 *   - dimensions: at least 1×1, at most MAX_SIDE pixels a side and MAX_PIXELS in all (a guard
 *     against decompression bombs and files no avatar needs).
 * Warned about, still sent: pictures smaller than MIN_SIDE_WARN a side (they look blurred in the
 * app), a thumbnailPhoto above AD's 100 KB rangeUpper (AD itself refuses that; an LDIF export or a
 * non-AD server may not), a server Content-Type that disagrees with the bytes.
 */
import { createHash } from 'node:crypto';
import { sniffImage, type ImageHeader, type ImageProblem, type ImageProblemCode } from './image';

/** Largest accepted width or height. */
export const MAX_SIDE = 16_384;
/** Largest accepted width × height (64 megapixels). */
export const MAX_PIXELS = 64 * 1024 * 1024;
/** Below this many pixels on the shorter side a picture is accepted but warned about. */
export const MIN_SIDE_WARN = 32;
/** AD's rangeUpper for thumbnailPhoto (MS-ADA3 "Thumbnail-Photo": 102400 bytes). */
export const AD_THUMBNAIL_PHOTO_MAX = 102_400;

export interface ImageLimits {
  /** Largest image in bytes (`avatar.maxBytes`). */
  readonly maxBytes: number;
}

/** An image that passed every check, with what the report and the state file need. */
export interface CheckedImage extends ImageHeader {
  readonly bytes: Uint8Array;
  /** SHA-256 of the bytes, lower-case hex. */
  readonly sha256: string;
  /** Things worth telling the admin that do not stop the upload. */
  readonly warnings: readonly string[];
}

export type CheckProblemCode = ImageProblemCode | 'tooLarge' | 'tooManyPixels';

export interface CheckProblem {
  readonly code: CheckProblemCode;
  readonly message: string;
}

export type CheckResult = ({ readonly ok: true } & CheckedImage) | ({ readonly ok: false } & CheckProblem);

export interface CheckContext {
  /** The AD attribute the bytes came from (source `attribute`), for the 100 KB note. */
  readonly attribute?: string;
  /** The Content-Type a resource server declared, compared with the sniffed type. */
  readonly declaredContentType?: string;
}

/** Lower-case hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Formats a byte count the way the messages use it: `10,485,760 bytes (10 MB)`. */
export function formatBytes(n: number): string {
  const mb = n / (1024 * 1024);
  const kb = n / 1024;
  const short = mb >= 1 ? `${mb.toFixed(mb >= 10 ? 0 : 1)} MB` : kb >= 1 ? `${kb.toFixed(kb >= 10 ? 0 : 1)} KB` : `${n} B`;
  return `${n.toLocaleString('en-US')} bytes (${short})`;
}

/** Checks bytes against the limits; never throws. */
export function checkImage(bytes: Uint8Array, limits: ImageLimits, context: CheckContext = {}): CheckResult {
  if (bytes.length > limits.maxBytes) {
    return {
      ok: false,
      code: 'tooLarge',
      message: `the image has ${formatBytes(bytes.length)}; at most ${formatBytes(limits.maxBytes)} is accepted (avatar.maxBytes)`,
    };
  }
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok) return problem(sniffed, context);
  const { ok: _ok, ...info } = sniffed;
  if (info.width > MAX_SIDE || info.height > MAX_SIDE || info.width * info.height > MAX_PIXELS) {
    return {
      ok: false,
      code: 'tooManyPixels',
      message: `the image is ${info.width}×${info.height} pixels; at most ${MAX_SIDE} a side and ${MAX_PIXELS / (1024 * 1024)} megapixels are accepted`,
    };
  }
  const warnings: string[] = [];
  if (Math.min(info.width, info.height) < MIN_SIDE_WARN) {
    warnings.push(`the image is only ${info.width}×${info.height} pixels; it will look blurred in the Webex app`);
  }
  if (context.attribute?.toLowerCase() === 'thumbnailphoto' && bytes.length > AD_THUMBNAIL_PHOTO_MAX) {
    warnings.push(`thumbnailPhoto holds ${formatBytes(bytes.length)}, more than AD's 100 KB limit for it (accepted)`);
  }
  const declared = context.declaredContentType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== info.contentType && !(declared === 'image/jpg' && info.format === 'jpeg')) {
    warnings.push(`the server said ${declared} but the content is ${info.contentType}; the content wins`);
  }
  return { ok: true, ...info, bytes, sha256: sha256Hex(bytes), warnings };
}

function problem(p: ImageProblem, context: CheckContext): CheckResult {
  const declared = context.declaredContentType?.split(';')[0]?.trim();
  // "not an image" with the server's own type explains HTML error pages served with status 200.
  const message =
    p.code === 'notImage' && declared && !declared.startsWith('image/') ? `${p.message} (the server sent ${declared})` : p.message;
  return { ok: false, code: p.code, message };
}
