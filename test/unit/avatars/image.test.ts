import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkImage, MAX_SIDE } from '../../../server/src/avatars/checks';
import { sniffImage } from '../../../server/src/avatars/image';
import { bmpBytes, gifBytes, jpegBytes, pngBytes, progressiveJpeg } from '../../support/avatarImages';

const ok = (bytes: Uint8Array) => {
  const r = sniffImage(bytes);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
};
const problem = (bytes: Uint8Array) => {
  const r = sniffImage(bytes);
  assert.ok(!r.ok, 'expected a problem');
  return r;
};

describe('avatars: images by content', () => {
  describe('format and dimensions from the headers', () => {
    const cases: Array<[string, () => Uint8Array, object]> = [
      [
        'baseline JPEG (jpeg-js)',
        () => jpegBytes(96, 72),
        { format: 'jpeg', contentType: 'image/jpeg', extension: 'jpg', width: 96, height: 72, progressive: false },
      ],
      ['progressive JPEG (SOF2)', progressiveJpeg, { format: 'jpeg', width: 120, height: 80, progressive: true }],
      ['PNG (pngjs)', () => pngBytes(33, 17), { format: 'png', contentType: 'image/png', extension: 'png', width: 33, height: 17 }],
      ['GIF89a', () => gifBytes(48, 40), { format: 'gif', contentType: 'image/gif', width: 48, height: 40, frames: 1 }],
      ['animated GIF', () => gifBytes(10, 12, 3), { format: 'gif', width: 10, height: 12, frames: 3 }],
      ['BMP bottom-up', () => bmpBytes(70, 50), { format: 'bmp', contentType: 'image/bmp', extension: 'bmp', width: 70, height: 50 }],
      [
        'BMP top-down (negative height)',
        () => bmpBytes(70, 50, { topDown: true }),
        { format: 'bmp', width: 70, height: 50, topDown: true },
      ],
      ['BMP with BITMAPCOREHEADER', () => bmpBytes(9, 5, { core: true }), { format: 'bmp', width: 9, height: 5 }],
    ];
    for (const [name, make, expected] of cases) {
      it(name, () => {
        const r = ok(make());
        for (const [k, v] of Object.entries(expected)) assert.equal((r as unknown as Record<string, unknown>)[k], v, k);
      });
    }

    it('reads JPEG dimensions past APPn segments and fill bytes', () => {
      const base = jpegBytes(40, 30);
      // SOI, an APP1 segment of 300 bytes, fill bytes, then the rest of the original after SOI.
      const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x01, 0x2e]), Buffer.alloc(300, 0x41)]);
      const bytes = Buffer.concat([base.subarray(0, 2), app1, Buffer.from([0xff, 0xff]), base.subarray(2)]);
      assert.deepEqual([ok(bytes).width, ok(bytes).height], [40, 30]);
    });
  });

  describe('what is refused, and why', () => {
    it('empty bytes', () => assert.equal(problem(new Uint8Array()).code, 'empty'));

    it('an HTML error page is not an image, and the message shows its start', () => {
      const r = problem(Buffer.from('<!DOCTYPE html><html><body>Not here</body></html>'));
      assert.equal(r.code, 'notImage');
      assert.match(r.message, /"<!DOCTYPE html><h/);
    });

    it('random bytes are not an image, shown as hex', () => {
      const r = problem(Buffer.from([0x00, 0x13, 0x37, 0x42, 0x99, 0x01, 0x02, 0x03, 0x04]));
      assert.equal(r.code, 'notImage');
      assert.match(r.message, /00 13 37 42/);
    });

    for (const [name, bytes, word] of [
      ['WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(20)]), 'WebP'],
      ['TIFF', Buffer.concat([Buffer.from('II*\0'), Buffer.alloc(20)]), 'TIFF'],
      ['SVG', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'SVG'],
      ['HEIC', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(12)]), 'HEIC'],
    ] as const) {
      it(`${name} is named and refused`, () => {
        const r = problem(bytes);
        assert.equal(r.code, 'unsupportedFormat');
        assert.match(r.message, new RegExp(word));
      });
    }

    const truncations: Array<[string, () => Uint8Array]> = [
      ['JPEG cut in the scan data', () => jpegBytes(64, 64).subarray(0, 400)],
      ['JPEG cut in the header', () => jpegBytes(64, 64).subarray(0, 30)],
      ['progressive JPEG without its end', () => progressiveJpeg().subarray(0, progressiveJpeg().length - 2)],
      ['PNG cut inside IDAT', () => pngBytes(64, 64, { noise: true }).subarray(0, 200)],
      ['PNG without IEND', () => pngBytes(8, 8).subarray(0, pngBytes(8, 8).length - 12)],
      ['GIF without trailer', () => gifBytes(8, 8).subarray(0, gifBytes(8, 8).length - 1)],
      ['GIF cut in the screen descriptor', () => gifBytes(8, 8).subarray(0, 9)],
      ['BMP missing rows', () => bmpBytes(20, 20).subarray(0, 500)],
    ];
    for (const [name, make] of truncations) {
      it(`truncated: ${name}`, () => {
        const r = problem(make());
        assert.equal(r.code, 'truncated', r.message);
        assert.match(r.message, /cut off/);
      });
    }

    it('zero dimensions are refused for every format', () => {
      const png = pngBytes(4, 4);
      png.writeUInt32BE(0, 16); // IHDR width
      const gif = gifBytes(0, 5);
      const bmp = bmpBytes(3, 3);
      bmp.writeInt32LE(0, 22);
      const jpg = Buffer.from(jpegBytes(8, 8));
      const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
      jpg.writeUInt16BE(0, sof + 5); // height
      for (const bytes of [png, gif, bmp, jpg]) {
        const r = problem(bytes);
        assert.equal(r.code, 'zeroDimensions', r.message);
        assert.match(r.message, /at least one pixel/);
      }
    });
  });

  describe('checks and limits', () => {
    it('passes a picture with its SHA-256 and no warnings', () => {
      const bytes = jpegBytes(96, 96);
      const r = checkImage(bytes, { maxBytes: 10 * 1024 * 1024 - 1 });
      assert.ok(r.ok);
      assert.equal(r.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.deepEqual(r.warnings, []);
    });

    it('refuses more than maxBytes, naming both sizes', () => {
      const bytes = jpegBytes(96, 96);
      const r = checkImage(bytes, { maxBytes: bytes.length - 1 });
      assert.ok(!r.ok);
      assert.equal(r.code, 'tooLarge');
      assert.match(
        r.message,
        new RegExp(`${bytes.length.toLocaleString('en-US')} bytes.*at most ${(bytes.length - 1).toLocaleString('en-US')} bytes`),
      );
      assert.ok(checkImage(bytes, { maxBytes: bytes.length }).ok, 'exactly maxBytes is fine');
    });

    it('refuses images over the pixel limits (a decompression-bomb guard)', () => {
      const png = pngBytes(2, 2);
      png.writeUInt32BE(MAX_SIDE + 1, 16);
      const r = checkImage(png, { maxBytes: 1e7 });
      assert.ok(!r.ok);
      assert.equal(r.code, 'tooManyPixels');
    });

    it('warns about tiny pictures, an oversized thumbnailPhoto and a wrong Content-Type', () => {
      const tiny = checkImage(pngBytes(16, 16), { maxBytes: 1e7 });
      assert.ok(tiny.ok && tiny.warnings.some((w) => /16×16.*blurred/.test(w)));
      const big = jpegBytes(300, 300, { noise: true, quality: 95 });
      assert.ok(big.length > 102_400, `fixture is ${big.length} bytes`);
      const asThumb = checkImage(big, { maxBytes: 1e7 }, { attribute: 'thumbnailPhoto' });
      assert.ok(asThumb.ok && asThumb.warnings.some((w) => /more than AD's 100 KB limit/.test(w)));
      const asJpegPhoto = checkImage(big, { maxBytes: 1e7 }, { attribute: 'jpegPhoto' });
      assert.ok(asJpegPhoto.ok && asJpegPhoto.warnings.length === 0);
      const mislabeled = checkImage(pngBytes(64, 64), { maxBytes: 1e7 }, { declaredContentType: 'image/jpeg; charset=binary' });
      assert.ok(mislabeled.ok && mislabeled.contentType === 'image/png' && /said image\/jpeg/.test(mislabeled.warnings[0]!));
      const jpgAlias = checkImage(jpegBytes(64, 64), { maxBytes: 1e7 }, { declaredContentType: 'image/jpg' });
      assert.ok(jpgAlias.ok && jpgAlias.warnings.length === 0);
    });

    it('says what the server sent when the content is not an image', () => {
      const r = checkImage(Buffer.from('<html>login</html>'), { maxBytes: 1e7 }, { declaredContentType: 'text/html; charset=utf-8' });
      assert.ok(!r.ok);
      assert.match(r.message, /the server sent text\/html/);
    });
  });
});
