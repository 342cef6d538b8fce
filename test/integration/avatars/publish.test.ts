import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { checkImage, type CheckedImage } from '../../../server/src/avatars/checks';
import { AvatarConfigError } from '../../../server/src/avatars/credentials';
import { createPublisher, type Publisher, type PublisherOptions } from '../../../server/src/avatars/publish';
import type { SecretRef } from '../../../common/config';
import { jpegBytes, pngBytes } from '../../support/avatarImages';
import { startObjectStore, type ObjectStore } from '../../support/avatarServers';

function image(bytes: Uint8Array): CheckedImage {
  const r = checkImage(bytes, { maxBytes: 1e7 });
  assert.ok(r.ok);
  return r;
}

const ref = (name: string) => ({ value: { kind: 'env', name, text: `\${env:${name}}` } as SecretRef, range: { start: 0, end: 0 } });

describe('avatars: publishing for Webex to a local HTTP PUT server', () => {
  let store: ObjectStore;
  let dispatcher: Agent;
  const publishers: Publisher[] = [];
  const A = image(jpegBytes(96, 96, { seed: 11 }));
  const P = image(pngBytes(50, 50, { seed: 12 }));

  async function publisher(extra: Partial<PublisherOptions> = {}): Promise<Publisher> {
    const p = await createPublisher({ url: store.url('/avatars'), timeoutMs: 5000, dispatcher, ...extra });
    publishers.push(p);
    return p;
  }
  const puts = () => store.requests.filter((r) => r.method === 'PUT');
  const heads = () => store.requests.filter((r) => r.method === 'HEAD');

  beforeEach(async () => {
    store = await startObjectStore();
    dispatcher = new Agent();
  });
  afterEach(async () => {
    await Promise.all(publishers.splice(0).map((p) => p.close()));
    await dispatcher.close();
    await store.close();
  });

  it('PUTs <url>/<sha256>.<ext> once, with its content type, and returns the URL Webex reads', async () => {
    const p = await publisher();
    const r = await p.publish(A);
    assert.deepEqual(r, { ok: true, url: store.url(`/avatars/${A.sha256}.jpg`), uploaded: true });
    assert.deepEqual(
      store.requests.map((q) => `${q.method} ${q.path}`),
      [`HEAD /avatars/${A.sha256}.jpg`, `PUT /avatars/${A.sha256}.jpg`],
    );
    assert.equal(puts()[0]!.headers['content-type'], 'image/jpeg');
    assert.equal(puts()[0]!.headers['if-none-match'], '*');
    assert.deepEqual(store.objects.get(`/avatars/${A.sha256}.jpg`)!.bytes, Buffer.from(A.bytes));
    // What Webex would do: read the URL.
    const got = await request(r.ok ? r.url : '', { dispatcher });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(Buffer.from(await got.body.arrayBuffer()), Buffer.from(A.bytes));
    assert.equal(p.publicUrlOf(P), store.url(`/avatars/${P.sha256}.png`));
  });

  it('never uploads a stored picture again: HEAD finds it (next run, new publisher)', async () => {
    await (await publisher()).publish(A);
    const r = await (await publisher()).publish(A);
    assert.deepEqual(r, { ok: true, url: store.url(`/avatars/${A.sha256}.jpg`), uploaded: false });
    assert.equal(puts().length, 1);
    assert.equal(heads().length, 2);
  });

  it('publishes a picture shared by many users once per run', async () => {
    const p = await publisher({ concurrency: 4 });
    const results = await Promise.all(Array.from({ length: 20 }, () => p.publish(A)));
    assert.ok(results.every((r) => r.ok && r.url.endsWith(`${A.sha256}.jpg`)));
    assert.equal(puts().length, 1);
    assert.equal(heads().length, 1);
  });

  it('uses publicUrl for photos when it differs from the upload URL', async () => {
    const p = await publisher({ publicUrl: 'https://cdn.example.com/people/' });
    const r = await p.publish(P);
    assert.ok(r.ok);
    assert.equal(r.url, `https://cdn.example.com/people/${P.sha256}.png`);
    assert.ok(store.objects.has(`/avatars/${P.sha256}.png`));
  });

  it('sends Basic credentials from a secret reference; without them, fails with a reason and stores nothing', async () => {
    store.requireAuth = 'Basic ' + Buffer.from('uploader:s3cret-v4lue').toString('base64');
    const denied = await (await publisher()).publish(A);
    assert.ok(!denied.ok);
    assert.equal(denied.error.code, 'unauthorized');
    assert.match(denied.error.message, /publishing to .*: 401 Unauthorized: avatar\.publish\.credentials/);
    assert.equal(store.objects.size, 0);
    const p = await publisher({
      credentials: { type: 'basic', username: 'uploader', password: ref('PUB_PW') },
      secrets: (r) => (r.kind === 'env' && r.name === 'PUB_PW' ? 's3cret-v4lue' : undefined),
    });
    const ok = await p.publish(A);
    assert.ok(ok.ok && ok.uploaded);
    assert.ok(!JSON.stringify(denied).includes('s3cret'));
  });

  it('a 412 to If-None-Match means someone stored it first: success without upload', async () => {
    store.objects.set(`/avatars/${A.sha256}.jpg`, { bytes: Buffer.from('x'), type: 'image/jpeg' }); // HEAD length differs → PUT
    store.nextPutStatus = 412;
    const r = await (await publisher()).publish(A);
    assert.deepEqual(r, { ok: true, url: store.url(`/avatars/${A.sha256}.jpg`), uploaded: false });
  });

  it('replaces a broken object whose length differs from the picture', async () => {
    store.objects.set(`/avatars/${A.sha256}.jpg`, { bytes: Buffer.from('partial'), type: 'image/jpeg' });
    const r = await (await publisher()).publish(A);
    assert.ok(r.ok && r.uploaded);
    assert.equal(puts()[0]!.headers['if-none-match'], undefined);
    assert.deepEqual(store.objects.get(`/avatars/${A.sha256}.jpg`)!.bytes, Buffer.from(A.bytes));
  });

  it('a failed PUT is reported, and the next user retries it', async () => {
    const p = await publisher();
    store.nextPutStatus = 507;
    const first = await p.publish(A);
    assert.ok(!first.ok);
    assert.deepEqual([first.error.code, first.error.status], ['httpStatus', 507]);
    const second = await p.publish(A);
    assert.ok(second.ok && second.uploaded);
  });

  it('refuses bad base URLs and unset secrets before any request', async () => {
    await assert.rejects(createPublisher({ url: 'https://x.example.com/a?b=1', timeoutMs: 1000, dispatcher }), AvatarConfigError);
    await assert.rejects(createPublisher({ url: 'ftp://x.example.com/', timeoutMs: 1000, dispatcher }), /expected an http\(s\) URL/);
    await assert.rejects(
      createPublisher({
        url: store.url('/a'),
        timeoutMs: 1000,
        dispatcher,
        credentials: { type: 'bearer', token: ref('NOPE') },
        secrets: () => undefined,
      }),
      /avatar\.publish\.credentials\.token: \$\{env:NOPE\} is not set/,
    );
    assert.equal(store.requests.length, 0);
  });
});
