/**
 * Avatar images checked by their content, never by a file name or a server's Content-Type: the
 * format from its magic bytes, the dimensions from its headers, the structure walked far enough to
 * tell a complete file from a truncated one. Pure (bytes in, data out); hashing is in `checks.ts`.
 *
 * Formats accepted (what the Webex app displays; seed 001 "See supported file types"): JPEG
 * (baseline, extended and progressive), PNG, GIF (87a/89a) and BMP (Windows DIB headers). Other
 * recognisable images (WebP, TIFF, HEIC/AVIF, SVG, ICO) are refused by name so the admin knows what
 * the file was.
 */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp';

export const CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

/** File extension of each format, as used in published object names (`<sha256>.<ext>`). */
export const EXTENSIONS: Readonly<Record<ImageFormat, string>> = { jpeg: 'jpg', png: 'png', gif: 'gif', bmp: 'bmp' };

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly contentType: string;
  readonly extension: string;
  readonly width: number;
  readonly height: number;
  /** JPEG: progressive (SOF2/6/10/14) rather than sequential. */
  readonly progressive?: boolean;
  /** BMP: rows stored top-down (negative height in the DIB header). */
  readonly topDown?: boolean;
  /** GIF: more than one image (animated). */
  readonly frames?: number;
}

/** Why bytes are not an acceptable image. `code` is stable; `message` is for people. */
export type ImageProblemCode = 'empty' | 'notImage' | 'unsupportedFormat' | 'truncated' | 'corrupt' | 'zeroDimensions';

export interface ImageProblem {
  readonly code: ImageProblemCode;
  readonly message: string;
}

export type SniffResult = ({ readonly ok: true } & ImageHeader) | ({ readonly ok: false } & ImageProblem);

const fail = (code: ImageProblemCode, message: string): SniffResult => ({ ok: false, code, message });

function header(format: ImageFormat, width: number, height: number, extra: Partial<ImageHeader> = {}): SniffResult {
  if (width <= 0 || height <= 0) {
    return fail(
      'zeroDimensions',
      `the ${format.toUpperCase()} header gives ${width}×${height} pixels: an image needs at least one pixel each way`,
    );
  }
  return { ok: true, format, contentType: CONTENT_TYPES[format], extension: EXTENSIONS[format], width, height, ...extra };
}

/**
 * Identifies an image by content and reads its dimensions. Never throws: anything that is not a
 * complete JPEG, PNG, GIF or BMP comes back as a problem with a reason an admin can act on.
 */
export function sniffImage(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) return fail('empty', 'no bytes: the image is empty');
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return sniffJpeg(bytes);
  if (startsWith(bytes, PNG_SIGNATURE)) return sniffPng(bytes);
  if (startsWithText(bytes, 0, 'GIF87a') || startsWithText(bytes, 0, 'GIF89a')) return sniffGif(bytes);
  if (startsWithText(bytes, 0, 'BM') && bytes.length >= 6) return sniffBmp(bytes);
  const other = otherFormat(bytes);
  if (other) return fail('unsupportedFormat', `${other} images are not accepted; use JPEG, PNG, GIF or BMP`);
  return fail('notImage', `not an image: the content starts with ${describeStart(bytes)}, not a JPEG, PNG, GIF or BMP signature`);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function startsWithText(b: Uint8Array, at: number, text: string): boolean {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
const u32le = (b: Uint8Array, i: number) => ((b[i + 3]! << 24) >>> 0) + ((b[i + 2]! << 16) | (b[i + 1]! << 8) | b[i]!);
const i32le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);

/** Names formats we recognise but do not accept, for a better message than "not an image". */
function otherFormat(b: Uint8Array): string | undefined {
  if (startsWithText(b, 0, 'RIFF') && startsWithText(b, 8, 'WEBP')) return 'WebP';
  if (startsWithText(b, 0, 'II*\0') || startsWithText(b, 0, 'MM\0*')) return 'TIFF';
  if (startsWithText(b, 4, 'ftyp')) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (/^(avif|avis)$/.test(brand)) return 'AVIF';
    if (/^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(brand)) return 'HEIC/HEIF';
  }
  if (startsWith(b, [0, 0, 1, 0])) return 'ICO';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'SVG';
  return undefined;
}

/** The first bytes, as text when they look like text (an HTML error page), else as hex. */
function describeStart(b: Uint8Array): string {
  const head = b.subarray(0, 32);
  const printable = Array.from(head).every((c) => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f));
  if (printable)
    return JSON.stringify(
      String.fromCharCode(...head)
        .replace(/\s+/g, ' ')
        .trim(),
    );
  return Array.from(head.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ');
}

/*
 * JPEG (ITU-T T.81 Annex B): SOI, then marker segments `FF xx` + 2-byte big-endian length (which
 * counts itself), until a Start-Of-Frame gives precision, height and width. SOF0–3, 5–7, 9–11 and
 * 13–15 are frames (C4 = DHT, C8 = JPG, CC = DAC are not). Markers may be preceded by fill bytes
 * `FF`; RSTn, TEM and SOI have no length. After the frame header the image is complete only if an
 * EOI marker follows the first scan (a cut-off download has none).
 */
function sniffJpeg(b: Uint8Array): SniffResult {
  let i = 2;
  let frame: { width: number; height: number; progressive: boolean } | undefined;
  while (i < b.length) {
    if (b[i] !== 0xff) return fail('corrupt', `JPEG: expected a marker at byte ${i}, found 0x${b[i]!.toString(16).padStart(2, '0')}`);
    while (i < b.length && b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) break;
    const marker = b[i++]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9) return fail('corrupt', 'JPEG: end of image before any frame header');
    if (i + 2 > b.length) break;
    const length = u16be(b, i);
    if (length < 2) return fail('corrupt', `JPEG: marker 0xFF${marker.toString(16).toUpperCase()} has an impossible length ${length}`);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 7 > b.length) break;
      const height = u16be(b, i + 3);
      const width = u16be(b, i + 5);
      frame = { width, height, progressive: marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce };
    }
    if (marker === 0xda) {
      if (!frame) return fail('corrupt', 'JPEG: image data (SOS) before any frame header (SOF)');
      // Entropy-coded data follows; the file must end with EOI (possibly followed by padding).
      if (!hasEoiAfter(b, i + length)) return fail('truncated', `JPEG: cut off after ${b.length} bytes (no end-of-image marker)`);
      return header('jpeg', frame.width, frame.height, { progressive: frame.progressive });
    }
    i += length;
  }
  return fail('truncated', `JPEG: cut off after ${b.length} bytes, ${frame ? 'before the image data' : 'before the frame header'}`);
}

/** EOI (`FF D9`) after `from`, looked for from the end: real files end with it, maybe plus padding. */
function hasEoiAfter(b: Uint8Array, from: number): boolean {
  // Trailing padding (zeros, 0xFF, line breaks) after EOI is common; anything else is searched
  // backwards too, because some writers append metadata after the image.
  for (let i = b.length - 2; i >= from; i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

/*
 * PNG (ISO/IEC 15948 §5): the 8-byte signature, then chunks `length(4) type(4) data crc(4)`; IHDR
 * comes first and holds width and height; the file is complete when IEND is reached inside it.
 */
function sniffPng(b: Uint8Array): SniffResult {
  if (b.length < 8 + 8 + 13) return fail('truncated', `PNG: cut off after ${b.length} bytes, before the header chunk ends`);
  if (!startsWithText(b, 12, 'IHDR')) return fail('corrupt', 'PNG: the first chunk is not IHDR');
  if (u32be(b, 8) !== 13) return fail('corrupt', `PNG: IHDR has length ${u32be(b, 8)}, not 13`);
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  let i = 8;
  let sawData = false;
  while (i + 8 <= b.length) {
    const length = u32be(b, i);
    const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) return fail('corrupt', `PNG: bad chunk type at byte ${i}`);
    const end = i + 12 + length;
    if (end > b.length) return fail('truncated', `PNG: cut off after ${b.length} bytes, inside the ${type} chunk`);
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      if (!sawData) return fail('corrupt', 'PNG: no image data (IDAT) before IEND');
      return header('png', width, height);
    }
    i = end;
  }
  return fail('truncated', `PNG: cut off after ${b.length} bytes (no IEND chunk)`);
}

/*
 * GIF (GIF89a spec §17–27): header, logical screen descriptor (width and height, little-endian) and
 * optional global colour table; then extension blocks (0x21) and images (0x2C), each followed by
 * data sub-blocks, until the trailer 0x3B. Walking the blocks finds truncation and counts frames.
 */
function sniffGif(b: Uint8Array): SniffResult {
  if (b.length < 13) return fail('truncated', `GIF: cut off after ${b.length} bytes, inside the screen descriptor`);
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  const flags = b[10]!;
  let i = 13 + (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
  let frames = 0;
  const skipSubBlocks = (): boolean => {
    for (;;) {
      if (i >= b.length) return false;
      const size = b[i++]!;
      if (size === 0) return true;
      i += size;
    }
  };
  while (i < b.length) {
    const block = b[i++]!;
    if (block === 0x3b) {
      if (frames === 0) return fail('corrupt', 'GIF: no image in the file');
      return header('gif', width, height, { frames });
    }
    if (block === 0x21) {
      i++; // label
      if (!skipSubBlocks()) break;
    } else if (block === 0x2c) {
      if (i + 9 > b.length) break;
      const local = b[i + 8]!;
      i += 9 + (local & 0x80 ? 3 * (1 << ((local & 7) + 1)) : 0);
      i++; // LZW minimum code size
      if (!skipSubBlocks()) break;
      frames++;
    } else {
      return fail('corrupt', `GIF: unknown block 0x${block.toString(16).padStart(2, '0')} at byte ${i - 1}`);
    }
  }
  return fail('truncated', `GIF: cut off after ${b.length} bytes (no trailer)`);
}

/*
 * BMP (Windows DIB): `BM`, file size, pixel data offset, then a DIB header whose size says which:
 * 12 = BITMAPCOREHEADER (16-bit width/height), 16/64 = OS/2 2.x, 40/52/56/108/124 = BITMAPINFOHEADER
 * and its V2–V5 successors (signed 32-bit width/height; a negative height means top-down rows).
 * Uncompressed bitmaps must hold all their rows (each padded to 4 bytes).
 */
function sniffBmp(b: Uint8Array): SniffResult {
  if (b.length < 14 + 4) return fail('truncated', `BMP: cut off after ${b.length} bytes, inside the file header`);
  const dibSize = u32le(b, 14);
  if (![12, 16, 40, 52, 56, 64, 108, 124].includes(dibSize)) {
    return fail('notImage', `not an image: starts with "BM" but has no known BMP header (DIB header size ${dibSize})`);
  }
  if (b.length < 14 + Math.min(dibSize, 40)) return fail('truncated', `BMP: cut off after ${b.length} bytes, inside the bitmap header`);
  const dataOffset = u32le(b, 10);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = 0;
  if (dibSize === 12) {
    width = u16le(b, 18);
    height = u16le(b, 20);
    bpp = u16le(b, 24);
  } else {
    width = i32le(b, 18);
    height = i32le(b, 22);
    bpp = u16le(b, 28);
    compression = u32le(b, 30);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width < 0) return fail('corrupt', `BMP: negative width ${width}`);
  if (![1, 2, 4, 8, 16, 24, 32].includes(bpp) && !(compression === 4 || compression === 5)) {
    return fail('corrupt', `BMP: ${bpp} bits per pixel is not a valid depth`);
  }
  const declared = u32le(b, 2);
  // BI_RGB (0) and BI_BITFIELDS (3, 6) store raw rows; RLE/JPEG/PNG payloads have their own length.
  if (compression === 0 || compression === 3 || compression === 6) {
    const rowBytes = Math.floor((bpp * width + 31) / 32) * 4;
    const need = dataOffset + rowBytes * height;
    if (width > 0 && height > 0 && b.length < need) {
      return fail('truncated', `BMP: cut off after ${b.length} bytes; its ${width}×${height} pixels need ${need}`);
    }
  } else if (declared > 0 && b.length < declared) {
    return fail('truncated', `BMP: cut off after ${b.length} bytes; the header says ${declared}`);
  }
  return header('bmp', width, height, topDown ? { topDown } : {});
}
