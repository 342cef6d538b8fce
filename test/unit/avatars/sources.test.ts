import assert from 'node:assert/strict';
import { authorizationHeader, AvatarConfigError, envSecretResolver } from '../../../server/src/avatars/credentials';
import { displayUrl } from '../../../server/src/avatars/http';
import { objectName } from '../../../server/src/avatars/publish';
import { createAttributeSource } from '../../../server/src/avatars/sources';
import { chooseTargetKind, photoUrlOf } from '../../../server/src/avatars/targets';
import type { SecretRef } from '../../../common/config';
import type { DirectoryEntry } from '../../../server/src/domain/entry';
import { jpegBytes, pngBytes } from '../../support/avatarImages';

const entry = (attributes: DirectoryEntry['attributes']): DirectoryEntry => ({
  dn: 'CN=Ann Lee,OU=People,DC=corp,DC=example,DC=com',
  attributes,
});
const loc = <T>(value: T) => ({ value, range: { start: 0, end: 0 } });

describe('avatars: AD attribute source', () => {
  const thumb = createAttributeSource({ attribute: 'thumbnailPhoto', maxBytes: 100_000 });

  it('asks the directory for the attribute (lower case)', () => {
    assert.deepEqual(thumb.attributes, ['thumbnailphoto']);
  });

  it('returns the first value as a checked image', async () => {
    const bytes = jpegBytes(96, 96);
    const r = await thumb.fetch(entry({ thumbnailphoto: [bytes, pngBytes(4, 4)] }));
    assert.equal(r.kind, 'image');
    assert.ok(r.kind === 'image' && r.width === 96 && r.contentType === 'image/jpeg' && r.bytes === bytes);
  });

  for (const [name, attributes, detail] of [
    ['absent', {}, 'thumbnailPhoto is not set'],
    ['zero-length', { thumbnailphoto: [new Uint8Array(0)] }, 'thumbnailPhoto is empty (zero bytes)'],
    ['an empty string', { thumbnailphoto: [''] }, 'thumbnailPhoto is empty'],
  ] as const) {
    it(`${name} → empty, "No image data"`, async () => {
      assert.deepEqual(await thumb.fetch(entry(attributes)), { kind: 'empty', reason: 'No image data', detail });
    });
  }

  it('fails (for this user only) on text, non-images and oversized values, naming the attribute', async () => {
    const text = await thumb.fetch(entry({ thumbnailphoto: ['/9j/4AAQ'] }));
    assert.ok(text.kind === 'failed' && text.error.code === 'notBinary');
    const junk = await thumb.fetch(entry({ thumbnailphoto: [new Uint8Array([1, 2, 3, 4])] }));
    assert.ok(junk.kind === 'failed' && junk.error.code === 'notImage' && /^thumbnailPhoto: not an image/.test(junk.error.message));
    const big = await createAttributeSource({ attribute: 'jpegPhoto', maxBytes: 1000 }).fetch(
      entry({ jpegphoto: [jpegBytes(200, 200, { noise: true })] }),
    );
    assert.ok(big.kind === 'failed' && big.error.code === 'tooLarge' && /^jpegPhoto: the image has/.test(big.error.message));
  });

  it('rejects when cancelled', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(thumb.fetch(entry({}), ac.signal), /stop/);
  });
});

describe('avatars: credentials, URLs, targets', () => {
  const env = envSecretResolver({ PHOTO_PW: 'pä:ss', DIRSYNC_SECRET_WEBEX_AVATARS: 'tok' });
  const envRef = (name: string): SecretRef => ({ kind: 'env', name, text: `\${env:${name}}` });

  it('builds Basic (UTF-8) and Bearer headers from references', async () => {
    assert.equal(
      await authorizationHeader({ type: 'basic', username: 'svc', password: loc(envRef('PHOTO_PW')) }, env, 'avatar'),
      'Basic ' + Buffer.from('svc:pä:ss', 'utf8').toString('base64'),
    );
    assert.equal(
      await authorizationHeader(
        { type: 'bearer', token: loc({ kind: 'secret', key: 'webex-avatars', text: '${secret:webex-avatars}' }) },
        env,
        'avatar',
      ),
      'Bearer tok',
    );
    assert.equal(await authorizationHeader(undefined, env, 'avatar'), undefined);
  });

  it('names the reference, never a value, when a secret is unset; refuses ":" in a Basic user name', async () => {
    await assert.rejects(
      authorizationHeader({ type: 'bearer', token: loc({ kind: 'secret', key: 'x.y', text: '${secret:x.y}' }) }, env, 'avatar.publish'),
      (e: unknown) => {
        assert.ok(e instanceof AvatarConfigError);
        assert.equal(
          e.message,
          'avatar.publish.credentials.token: ${secret:x.y} is not set (VS Code secret "x.y", or environment variable DIRSYNC_SECRET_X_Y for the CLI)',
        );
        return true;
      },
    );
    await assert.rejects(
      authorizationHeader({ type: 'basic', username: 'a:b', password: loc(envRef('PHOTO_PW')) }, env, 'avatar'),
      /cannot contain ":"/,
    );
  });

  it('shows URLs without user information', () => {
    assert.equal(displayUrl('https://u:p@photos.example.com/a.jpg'), 'https://photos.example.com/a.jpg');
  });

  it('names objects by hash and extension only', () => {
    assert.equal(objectName({ sha256: 'a'.repeat(64), extension: 'jpg' }), `${'a'.repeat(64)}.jpg`);
    assert.throws(() => objectName({ sha256: '../etc', extension: 'jpg' }), /not a SHA-256/);
  });

  it('chooses how pictures reach the cloud', () => {
    assert.equal(chooseTargetKind('webex', 'attribute', true), 'photosUrl');
    assert.equal(chooseTargetKind('webex', 'attribute', false), undefined);
    assert.equal(chooseTargetKind('webex', 'resourceServer', false), 'resourceUrl');
    assert.equal(chooseTargetKind('scim', 'attribute', false), 'avatarEndpoint');
    assert.equal(chooseTargetKind('scim', 'resourceServer', true), 'photosUrl');
  });

  it('reads the primary photo of a SCIM user', () => {
    assert.equal(
      photoUrlOf({
        photos: [
          { value: 'https://t/x', type: 'thumbnail' },
          { value: 'https://p/x', type: 'photo', primary: true },
        ],
      }),
      'https://p/x',
    );
    assert.equal(photoUrlOf({ photos: [] }), null);
    assert.equal(photoUrlOf({}), null);
  });
});
