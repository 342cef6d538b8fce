import assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import { checkImage, type CheckedImage } from '../../../server/src/avatars/checks';
import { sniffImage } from '../../../server/src/avatars/image';
import { makeThumbnail, THUMBNAIL_MAX_CHARS } from '../../../server/src/avatars/thumbnail';
import { bmpBytes, gifBytes, jpegBytes, pngBytes, progressiveJpeg } from '../../support/avatarImages';

function checked(bytes: Uint8Array): CheckedImage {
  const r = checkImage(bytes, { maxBytes: 10 * 1024 * 1024 - 1 });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
}

function decodeDataUrl(url: string): { type: string; bytes: Buffer } {
  const m = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/=]+)$/.exec(url);
  assert.ok(m, `not a data URL: ${url.slice(0, 40)}`);
  return { type: m[1]!, bytes: Buffer.from(m[2]!, 'base64') };
}

describe('avatars: report thumbnails', () => {
  it('uses a small image as it is', () => {
    const bytes = jpegBytes(48, 48);
    const t = makeThumbnail(checked(bytes));
    assert.ok(t.thumbnail);
    const d = decodeDataUrl(t.thumbnail);
    assert.equal(d.type, 'image/jpeg');
    assert.deepEqual(d.bytes, bytes);
  });

  for (const [name, bytes] of [
    ['a large noisy JPEG', jpegBytes(640, 480, { noise: true, quality: 90 })],
    ['a progressive JPEG', progressiveJpeg('noise')],
    ['a large noisy PNG with transparency', pngBytes(300, 200, { noise: true, alpha: 128 })],
  ] as const) {
    it(`downscales ${name} to a JPEG data URL of at most 8 KB`, () => {
      const image = checked(bytes);
      const t = makeThumbnail(image);
      assert.ok(t.thumbnail, 'note' in t ? t.note : '');
      assert.ok(t.thumbnail.length <= THUMBNAIL_MAX_CHARS, `${t.thumbnail.length} chars`);
      const d = decodeDataUrl(t.thumbnail);
      const header = sniffImage(d.bytes);
      assert.ok(header.ok);
      assert.equal(d.type, 'image/jpeg');
      assert.ok(Math.max(header.width, header.height) <= 64);
      // Aspect ratio kept.
      assert.ok(Math.abs(header.width / header.height - image.width / image.height) < 0.1);
      // It decodes: a real picture, not just a header.
      const px = jpeg.decode(d.bytes, { useTArray: true });
      assert.equal(px.width, header.width);
    });
  }

  it('flattens transparency onto white', () => {
    // A fully transparent noisy PNG big enough to need downscaling must come out white.
    const t = makeThumbnail(checked(pngBytes(200, 200, { noise: true, alpha: 0 })));
    assert.ok(t.thumbnail);
    const px = jpeg.decode(decodeDataUrl(t.thumbnail).bytes, { useTArray: true });
    assert.ok(px.data[0]! > 245 && px.data[1]! > 245 && px.data[2]! > 245, `got ${px.data.subarray(0, 3).join(',')}`);
  });

  it('keeps small GIF and BMP images, and says why large ones get none', () => {
    const gif = makeThumbnail(checked(gifBytes(40, 40)));
    assert.equal(decodeDataUrl(gif.thumbnail!).type, 'image/gif');
    const bmp = makeThumbnail(checked(bmpBytes(96, 96)));
    assert.equal(bmp.thumbnail, undefined);
    assert.ok('note' in bmp);
    assert.match(bmp.note, /no thumbnail: BMP images larger than \d+ KB are not downscaled/);
  });

  it('explains a JPEG it cannot decode instead of throwing', () => {
    const good = jpegBytes(200, 200, { noise: true });
    const broken = Buffer.from(good);
    // Wreck the Huffman tables but keep the structure the checks read.
    const dht = broken.indexOf(Buffer.from([0xff, 0xc4]));
    broken.fill(0xff, dht + 5, dht + 25);
    const t = makeThumbnail(checked(broken));
    assert.equal(t.thumbnail, undefined);
    assert.ok('note' in t);
    assert.match(t.note, /no thumbnail: the JPEG data could not be decoded \(Could not recreate Huffman Table\)/);
  });
});
