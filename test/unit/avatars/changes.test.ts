import assert from 'node:assert/strict';
import { checkImage, type CheckedImage } from '../../../server/src/avatars/checks';
import type { AvatarFetchResult } from '../../../server/src/avatars/sources';
import {
  avatarInfo,
  avatarStateKey,
  contentHashOf,
  countDecisions,
  decideAvatar,
  isAvatarStateRecord,
  nextRecord,
  type AvatarStateRecord,
  type CloudPicture,
  type DecideOptions,
} from '../../../server/src/avatars/changes';
import { parseGuid } from '../../../server/src/domain/adValues';
import { jpegBytes } from '../../support/avatarImages';

function image(seed: number): CheckedImage {
  const r = checkImage(jpegBytes(40, 40, { seed }), { maxBytes: 1e7 });
  assert.ok(r.ok);
  return r;
}

const A = image(1);
const B = image(2);
const img = (i: CheckedImage): AvatarFetchResult => ({ kind: 'image', ...i });
const empty: AvatarFetchResult = { kind: 'empty', reason: 'No image data', detail: 'thumbnailPhoto is not set' };
const failed: AvatarFetchResult = { kind: 'failed', error: { code: 'timeout', message: 'no complete answer within 30 s' } };
const rec = (i: CheckedImage, url = 'https://cdn.example.com/a.jpg'): AvatarStateRecord => ({
  sha256: i.sha256,
  url,
  uploadedAt: '2025-01-01T00:00:00.000Z',
});

describe('avatars: change detection', () => {
  const normal: DecideOptions = { removeWhenSourceEmpty: false };
  const remove: DecideOptions = { removeWhenSourceEmpty: true };
  const purge: DecideOptions = { removeWhenSourceEmpty: false, purge: true };
  const reupload: DecideOptions = { removeWhenSourceEmpty: false, reupload: true };

  const table: Array<[string, AvatarFetchResult, AvatarStateRecord | undefined, CloudPicture, DecideOptions, string, string?]> = [
    // fetch result, previous record, cloud picture, options → status (why)
    ['first picture', img(A), undefined, undefined, normal, 'upload', 'new'],
    ['first picture, cloud shows an old one', img(A), undefined, 'https://old/x.jpg', normal, 'upload', 'new'],
    ['avatar-only change (incremental sync picks it up)', img(B), rec(A), undefined, normal, 'upload', 'changed'],
    ['same picture', img(A), rec(A), undefined, normal, 'unchanged'],
    ['same picture, cloud agrees', img(A), rec(A), 'https://cdn.example.com/a.jpg', normal, 'unchanged'],
    ['same picture, removed in the cloud by hand', img(A), rec(A), null, normal, 'upload', 'missingInCloud'],
    ['same picture, cloud shows another URL', img(A), rec(A), 'https://elsewhere/b.jpg', normal, 'upload', 'cloudDiffers'],
    ['same picture, re-upload asked', img(A), rec(A), undefined, reupload, 'upload', 'reupload'],
    ['source cleared, removal off', empty, rec(A), undefined, normal, 'empty'],
    ['source cleared, removeWhenSourceEmpty', empty, rec(A), undefined, remove, 'remove'],
    ['source cleared, purge', empty, rec(A), undefined, purge, 'remove'],
    ['never had one, removeWhenSourceEmpty, cloud unknown', empty, undefined, undefined, remove, 'empty'],
    [
      'never had one, removeWhenSourceEmpty, cloud has one (set by Directory Connector)',
      empty,
      undefined,
      'https://dc/x.jpg',
      remove,
      'remove',
    ],
    ['never had one, purge, cloud unknown', empty, undefined, undefined, purge, 'remove'],
    ['purge, cloud has none', empty, rec(A), null, purge, 'empty'],
    ['fetch failed with a previous picture', failed, rec(A), undefined, remove, 'failed'],
    ['fetch failed in a purge', failed, undefined, 'https://dc/x.jpg', purge, 'failed'],
    // The cloud decides when its URL names the picture's content (a fresh copy has no record).
    [
      'no record, the published object is this picture',
      img(A),
      undefined,
      `https://pics.example.com/a/${A.sha256}.jpg`,
      normal,
      'unchanged',
    ],
    [
      'no record, the local cloud shows this picture',
      img(A),
      undefined,
      `http://127.0.0.1:1/avatars/org/u1/${A.sha256.slice(0, 16)}`,
      normal,
      'unchanged',
    ],
    [
      'no record, the cloud shows another picture',
      img(A),
      undefined,
      `https://pics.example.com/a/${B.sha256}.jpg`,
      normal,
      'upload',
      'new',
    ],
    [
      'record of the old picture, the cloud shows it, AD has a new one',
      img(B),
      rec(A),
      `https://pics.example.com/a/${A.sha256}.jpg`,
      normal,
      'upload',
      'changed',
    ],
    [
      'record says this picture, the cloud shows another',
      img(A),
      rec(A),
      `https://pics.example.com/a/${B.sha256}.jpg`,
      normal,
      'upload',
      'cloudDiffers',
    ],
    [
      'stale record, the cloud already shows the new picture',
      img(B),
      rec(A),
      `https://pics.example.com/a/${B.sha256}.jpg`,
      normal,
      'unchanged',
    ],
    [
      'the cloud shows this picture, re-upload asked',
      img(A),
      undefined,
      `https://pics.example.com/a/${A.sha256}.jpg`,
      reupload,
      'upload',
      'reupload',
    ],
    [
      'no record, the cloud links the resource server URL',
      { ...img(A), url: 'https://photos.example.com/u/42' } as AvatarFetchResult,
      undefined,
      'https://photos.example.com/u/42',
      normal,
      'unchanged',
    ],
  ];
  for (const [name, result, previous, cloud, options, status, why] of table) {
    it(`${name} → ${status}${why ? ` (${why})` : ''}`, () => {
      const d = decideAvatar(result, previous, cloud, options);
      assert.equal(d.status, status);
      if (why) assert.equal(d.status === 'upload' && d.why, why);
      if (previous) assert.deepEqual(d.previous, previous);
    });
  }

  it('contentHashOf: the last path segment that is a hash of 16 to 64 hex digits', () => {
    assert.equal(contentHashOf(`https://p.example.com/x/${A.sha256}.png`), A.sha256);
    assert.equal(contentHashOf('http://127.0.0.1:9/avatars/org/3f2a-uuid/0123456789ABCDEF'), '0123456789abcdef');
    assert.equal(contentHashOf('https://photos.example.com/u/42.jpg'), undefined);
    assert.equal(contentHashOf('https://photos.example.com/u/0123456789abcde'), undefined, '15 digits are no hash');
    assert.equal(contentHashOf('not a url'), undefined);
  });

  it('next record: new after an upload, none after a removal, the previous after anything else', () => {
    const at = new Date('2025-06-01T12:00:00Z');
    const up = decideAvatar(img(B), rec(A), undefined, normal);
    assert.deepEqual(nextRecord(up, { done: 'uploaded', url: 'https://cdn/b.jpg', at }), {
      sha256: B.sha256,
      url: 'https://cdn/b.jpg',
      uploadedAt: '2025-06-01T12:00:00.000Z',
    });
    assert.deepEqual(nextRecord(up, { done: 'nothing' }), rec(A), 'a failed upload keeps the old record, so the next run tries again');
    const rm = decideAvatar(empty, rec(A), undefined, remove);
    assert.equal(nextRecord(rm, { done: 'removed' }), undefined);
    assert.deepEqual(nextRecord(decideAvatar(failed, rec(A), undefined, normal), { done: 'nothing' }), rec(A));
    assert.equal(nextRecord(decideAvatar(empty, undefined, undefined, normal), { done: 'nothing' }), undefined);
  });

  it('keys users by objectGUID in AD text form, else by DN', () => {
    const guid = '830e0f4d-492c-41e8-9e96-0370daaa877b';
    assert.equal(avatarStateKey({ dn: 'CN=A,DC=x', attributes: { objectguid: [parseGuid(guid)] } }), guid);
    assert.equal(avatarStateKey({ dn: 'CN=A,DC=X', attributes: {} }), 'dn:cn=a,dc=x');
  });

  it('validates records read back from a state file', () => {
    assert.ok(isAvatarStateRecord(rec(A)));
    assert.ok(isAvatarStateRecord({ sha256: A.sha256, uploadedAt: '2025-01-01T00:00:00Z' }));
    for (const bad of [
      null,
      'x',
      { sha256: 'abc', uploadedAt: '2025-01-01' },
      { sha256: A.sha256 },
      { sha256: A.sha256, uploadedAt: 'yesterday' },
      { sha256: A.sha256, uploadedAt: '2025-01-01', url: 3 },
    ]) {
      assert.equal(isAvatarStateRecord(bad), false, JSON.stringify(bad));
    }
  });

  it('counts decisions per report status and describes them for the report', () => {
    const ds = [
      decideAvatar(img(A), undefined, undefined, normal),
      decideAvatar(img(A), rec(A), undefined, normal),
      decideAvatar(empty, rec(A), undefined, remove),
      decideAvatar(failed, undefined, undefined, normal),
    ];
    assert.deepEqual(countDecisions(ds), { upload: 1, unchanged: 1, remove: 1, failed: 1, empty: 0 });
    const thumbnail = { sha256: 'a'.repeat(64), contentType: 'image/jpeg' };
    const info = avatarInfo(ds[0]!, 'attribute', thumbnail);
    assert.deepEqual(
      { ...info },
      {
        status: 'upload',
        source: 'attribute',
        reason: 'New picture',
        contentType: 'image/jpeg',
        bytes: A.bytes.length,
        width: 40,
        height: 40,
        sha256: A.sha256,
        thumbnail,
      },
    );
    assert.equal(avatarInfo(ds[2]!, 'attribute').reason, 'No image data (thumbnailPhoto is not set)');
    assert.equal(avatarInfo(ds[3]!, 'resourceServer').reason, 'no complete answer within 30 s');
  });
});
