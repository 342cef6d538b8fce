/**
 * Real image bytes for the avatar tests, made in code: JPEG with jpeg-js, PNG with pngjs, GIF and
 * BMP written byte by byte from their specs. `progressive-120x80.jpg` beside this file is the
 * committed exception: jpeg-js writes only baseline JPEG, so the two `progressive-*.jpg` files were
 * made once with `jpegtran -progressive -copy none` from jpeg-js output (`jpegBytes(120, 80)` and
 * `jpegBytes(200, 150, { noise: true, quality: 60 })`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A deterministic pseudo-random byte source (so "noisy" images are the same every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

/** RGBA pixels: a gradient, or noise (incompressible, for "too large for a thumbnail"). */
export function pixels(width: number, height: number, options: { noise?: boolean; seed?: number; alpha?: number } = {}): Buffer {
  const data = Buffer.alloc(width * height * 4);
  const rnd = lcg(options.seed ?? 7);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      if (options.noise) {
        data[p] = rnd();
        data[p + 1] = rnd();
        data[p + 2] = rnd();
      } else {
        data[p] = (x * 255) / Math.max(1, width - 1);
        data[p + 1] = (y * 255) / Math.max(1, height - 1);
        data[p + 2] = ((options.seed ?? 7) * 37) % 256;
      }
      data[p + 3] = options.alpha ?? 255;
    }
  }
  return data;
}

export function jpegBytes(width: number, height: number, options: { noise?: boolean; seed?: number; quality?: number } = {}): Buffer {
  return jpeg.encode({ data: pixels(width, height, options), width, height }, options.quality ?? 85).data;
}

export function pngBytes(width: number, height: number, options: { noise?: boolean; seed?: number; alpha?: number } = {}): Buffer {
  const png = new PNG({ width, height });
  pixels(width, height, options).copy(png.data);
  return PNG.sync.write(png);
}

/**
 * A GIF89a with a `width`×`height` logical screen and `frames` 1×1 images (GIF89a §18, §20, §22):
 * 2-colour global table, one image descriptor + LZW data (min code size 2: clear, index 0, end).
 */
export function gifBytes(width: number, height: number, frames = 1): Buffer {
  const parts: number[] = [];
  const text = (s: string) => parts.push(...Buffer.from(s, 'latin1'));
  const u16 = (n: number) => parts.push(n & 0xff, (n >> 8) & 0xff);
  text('GIF89a');
  u16(width);
  u16(height);
  parts.push(0x80, 0, 0); // global colour table of 2 entries
  parts.push(0, 0, 0, 255, 255, 255);
  for (let f = 0; f < frames; f++) {
    parts.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control extension (delay 10)
    parts.push(0x2c);
    u16(0);
    u16(0);
    u16(1);
    u16(1);
    parts.push(0);
    parts.push(2, 2, 0x44, 0x01, 0); // LZW min size 2; one sub-block: clear, 0, end
  }
  parts.push(0x3b);
  return Buffer.from(parts);
}

/**
 * A 24-bit BI_RGB BMP (BITMAPINFOHEADER, 40 bytes), bottom-up unless `topDown` (negative height);
 * `core: true` writes the old 12-byte BITMAPCOREHEADER instead.
 */
export function bmpBytes(width: number, height: number, options: { topDown?: boolean; core?: boolean } = {}): Buffer {
  const rowBytes = Math.floor((24 * width + 31) / 32) * 4;
  const dib = options.core ? 12 : 40;
  const offset = 14 + dib;
  const size = offset + rowBytes * height;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(dib, 14);
  if (options.core) {
    b.writeUInt16LE(width, 18);
    b.writeUInt16LE(height, 20);
    b.writeUInt16LE(1, 22);
    b.writeUInt16LE(24, 24);
  } else {
    b.writeInt32LE(width, 18);
    b.writeInt32LE(options.topDown ? -height : height, 22);
    b.writeUInt16LE(1, 26);
    b.writeUInt16LE(24, 28);
    b.writeUInt32LE(0, 30);
    b.writeUInt32LE(rowBytes * height, 34);
  }
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) b[offset + y * rowBytes + x * 3] = (x * 7 + y) & 0xff;
  return b;
}

/** The committed progressive JPEGs (SOF2): a 120×80 gradient (1.5 KB), 200×150 noise (26 KB). */
export function progressiveJpeg(which: 'small' | 'noise' = 'small'): Buffer {
  return readFileSync(
    join(__dirname, '..', 'fixtures', 'avatars', which === 'small' ? 'progressive-120x80.jpg' : 'progressive-noise-200x150.jpg'),
  );
}
