/**
 * Small thumbnails for the dry-run report: a `data:image/…;base64,` URL of at most
 * THUMBNAIL_MAX_CHARS characters, so a report with thousands of avatars stays a few megabytes.
 *
 * An image whose data URL already fits is used as it is. Larger JPEG and PNG images are decoded
 * (jpeg-js, pngjs: pure JavaScript, no native code), downscaled by area averaging to at most
 * THUMBNAIL_SIDE pixels a side, transparency flattened onto white, and re-encoded as JPEG at falling
 * quality until the URL fits. GIF and BMP images that do not fit get no thumbnail (the report says
 * why), as do images above THUMBNAIL_MAX_PIXELS, which would cost too much memory to decode here.
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { CheckedImage } from './checks';

/** Longest data URL produced, in characters (~8 KB). */
export const THUMBNAIL_MAX_CHARS = 8192;
/** Longest side of a downscaled thumbnail, in pixels. */
export const THUMBNAIL_SIDE = 64;
/** Largest image decoded for a thumbnail (16 megapixels ≈ 64 MB of RGBA). */
export const THUMBNAIL_MAX_PIXELS = 16 * 1024 * 1024;

export type ThumbnailResult = { readonly thumbnail: string } | { readonly thumbnail?: undefined; readonly note: string };

type Image = Pick<CheckedImage, 'bytes' | 'format' | 'contentType' | 'width' | 'height'>;

/** A data URL of the bytes with a content type. */
export function dataUrl(contentType: string, bytes: Uint8Array): string {
  return `data:${contentType};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** The thumbnail of a checked image, or a note saying why there is none. Never throws. */
export function makeThumbnail(image: Image): ThumbnailResult {
  const prefix = `data:${image.contentType};base64,`.length;
  if (prefix + Math.ceil(image.bytes.length / 3) * 4 <= THUMBNAIL_MAX_CHARS) return { thumbnail: dataUrl(image.contentType, image.bytes) };
  if (image.format !== 'jpeg' && image.format !== 'png') {
    return {
      note: `no thumbnail: ${image.format.toUpperCase()} images larger than ${Math.floor(((THUMBNAIL_MAX_CHARS - prefix) * 0.75) / 1024)} KB are not downscaled`,
    };
  }
  if (image.width * image.height > THUMBNAIL_MAX_PIXELS) {
    return { note: `no thumbnail: ${image.width}×${image.height} is too large to decode for a preview` };
  }
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba = decode(image);
  } catch (err) {
    return {
      note: `no thumbnail: the ${image.format.toUpperCase()} data could not be decoded (${err instanceof Error ? err.message : String(err)})`,
    };
  }
  for (const side of [THUMBNAIL_SIDE, 48, 32]) {
    const small = downscale(rgba, side);
    for (const quality of [80, 65, 50, 35]) {
      const encoded = jpeg.encode({ data: small.data, width: small.width, height: small.height }, quality).data;
      const url = dataUrl('image/jpeg', encoded);
      if (url.length <= THUMBNAIL_MAX_CHARS) return { thumbnail: url };
    }
  }
  return { note: 'no thumbnail: even a 32-pixel JPEG exceeds the size limit' };
}

function decode(image: Image): { width: number; height: number; data: Uint8Array } {
  if (image.format === 'jpeg') {
    const out = jpeg.decode(image.bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: THUMBNAIL_MAX_PIXELS / (1024 * 1024) + 1,
      maxMemoryUsageInMB: 256,
    });
    return { width: out.width, height: out.height, data: out.data };
  }
  const png = PNG.sync.read(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength));
  return { width: png.width, height: png.height, data: png.data };
}

/**
 * Area-average downscale to fit `side` (never upscales), flattening alpha onto white, into RGBA
 * with opaque alpha as jpeg-js expects.
 */
export function downscale(
  src: { width: number; height: number; data: Uint8Array },
  side: number,
): { width: number; height: number; data: Uint8Array } {
  const scale = Math.min(1, side / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * src.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * src.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let sy = y0; sy < y1; sy++) {
        let p = (sy * src.width + x0) * 4;
        for (let sx = x0; sx < x1; sx++, p += 4) {
          const a = src.data[p + 3]! / 255;
          r += src.data[p]! * a + 255 * (1 - a);
          g += src.data[p + 1]! * a + 255 * (1 - a);
          b += src.data[p + 2]! * a + 255 * (1 - a);
          n++;
        }
      }
      const q = (y * w + x) * 4;
      out[q] = Math.round(r / n);
      out[q + 1] = Math.round(g / n);
      out[q + 2] = Math.round(b / n);
      out[q + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}
