/**
 * Round trips through the local cloud: pictures fetched from a resource server, decided against
 * the previous state, written by the `avatarEndpoint` target (bytes to /Users/{id}/avatar) and by
 * the `photosUrl` target (published to an object store, `photos` PATCHed), then read back.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { envSecretResolver } from '../../../server/src/avatars/credentials';
import { avatarRemovalEvents } from '../../../server/src/avatars/events';
import { createAvatarPipeline } from '../../../server/src/avatars/fromConfig';
import { createPublisher } from '../../../server/src/avatars/publish';
import { createResourceServerSource, type ResourceServerSource } from '../../../server/src/avatars/resourceServer';
import { applyAvatar, planAvatar } from '../../../server/src/avatars/run';
import { avatarStateKey, type AvatarDecision, type AvatarStateRecord, type DecideOptions } from '../../../server/src/avatars/changes';
import { avatarEndpointTarget, photosUrlTarget, photoUrlOf, type AvatarTarget } from '../../../server/src/avatars/targets';
import type { ScimClient } from '../../../server/src/cloud/index';
import { parseGuid } from '../../../server/src/domain/adValues';
import type { DirectoryEntry } from '../../../server/src/domain/entry';
import { loadConfig } from '../../../server/src/language/service';
import { jpegBytes, pngBytes } from '../../support/avatarImages';
import { startCloudFixture, user, type CloudFixture } from '../../support/cloud';
import { BEARER_TOKEN, startObjectStore, startPhotoServer, type ObjectStore, type PhotoServer } from '../../support/avatarServers';

interface Person {
  readonly entry: DirectoryEntry;
  cloudId: string;
}

function person(name: string, guid: string): Person {
  return {
    entry: {
      dn: `CN=${name},OU=People,DC=corp,DC=example,DC=com`,
      attributes: {
        mail: [`${name.toLowerCase()}@corp.example.com`],
        objectguid: [parseGuid(guid)],
        objectsid: [Buffer.from('010500000000000515000000a1b2c3d4e5f60718293a4b5c51040000', 'hex')],
      },
    },
    cloudId: '',
  };
}

describe('avatars: round trip through the local cloud', () => {
  let fx: CloudFixture;
  let client: ScimClient;
  let photos: PhotoServer;
  let store: ObjectStore;
  let dispatcher: Agent;
  let source: ResourceServerSource;
  const people = [
    person('Ann', '11111111-2222-3333-4444-555555555555'),
    person('Bob', '66666666-7777-8888-9999-000000000000'),
    person('Cid', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'),
  ];
  const [ann, bob, cid] = people as [Person, Person, Person];
  const A1 = jpegBytes(96, 96, { seed: 21 });
  const A2 = jpegBytes(96, 96, { seed: 22 });
  const B1 = pngBytes(80, 80, { seed: 23 });

  /** One avatar pass as the engine will run it: plan every user, apply, keep the new state. */
  async function pass(
    target: AvatarTarget,
    state: Map<string, AvatarStateRecord>,
    options: DecideOptions,
  ): Promise<Map<string, AvatarDecision>> {
    const decisions = new Map<string, AvatarDecision>();
    await Promise.all(
      people.map(async (p) => {
        const key = avatarStateKey(p.entry);
        const cloudUser = await client.users.get(p.cloudId);
        const previous = state.get(key);
        const decision = await planAvatar(
          source,
          { entry: p.entry, cloudPicture: photoUrlOf(cloudUser), ...(previous ? { previous } : {}) },
          options,
        );
        decisions.set(p.entry.dn, decision);
        const applied = await applyAvatar(target, p.cloudId, decision);
        assert.equal(applied.error, undefined, applied.error?.message);
        if (applied.record) state.set(key, applied.record);
        else state.delete(key);
      }),
    );
    return decisions;
  }
  const statuses = (d: Map<string, AvatarDecision>) => people.map((p) => d.get(p.entry.dn)!.status);
  const avatarRequests = (since: number) => fx.cloud.requests(since).filter((r) => r.path.endsWith('/avatar'));

  before(async () => {
    fx = await startCloudFixture();
    client = fx.client({ concurrency: 4 });
    photos = await startPhotoServer();
    store = await startObjectStore();
    dispatcher = new Agent();
    source = await createResourceServerSource({
      pattern: `${photos.origin}/photos/{mail: .*?(?=@.*)}`,
      maxBytes: 10 * 1024 * 1024 - 1,
      timeoutMs: 5000,
      dispatcher,
      concurrency: 4,
    });
    for (const p of people) {
      const mail = p.entry.attributes['mail']![0] as string;
      p.cloudId = (await client.users.create(user(mail, { externalId: avatarStateKey(p.entry) }))).id!;
    }
  });
  after(async () => {
    await source.close();
    await dispatcher.close();
    await store.close();
    await photos.close();
    await fx.close();
  });

  it('uploads new pictures, skips unchanged ones, picks up a picture-only change, removes for an empty source', async () => {
    const state = new Map<string, AvatarStateRecord>();
    const target = avatarEndpointTarget(client.users);
    photos.files.set('ann', { bytes: A1, type: 'image/jpeg' });
    photos.files.set('bob', { bytes: B1, type: 'image/png' });

    // Run 1: Ann and Bob get their pictures; Cid has none (404) and never had one.
    let d = await pass(target, state, { removeWhenSourceEmpty: true });
    assert.deepEqual(statuses(d), ['upload', 'upload', 'empty']);
    assert.deepEqual((await client.users.getAvatar(ann.cloudId))!.data, A1);
    assert.deepEqual((await client.users.getAvatar(bob.cloudId))!.data, B1);
    assert.equal((await client.users.getAvatar(bob.cloudId))!.contentType, 'image/png');
    assert.equal(await client.users.getAvatar(cid.cloudId), undefined);
    const annRecord = state.get(avatarStateKey(ann.entry))!;
    assert.equal(annRecord.url, photoUrlOf(await client.users.get(ann.cloudId)));

    // Run 2: nothing changed → no avatar request reaches the cloud.
    let since = fx.cloud.requests().at(-1)!.n;
    d = await pass(target, state, { removeWhenSourceEmpty: true });
    assert.deepEqual(statuses(d), ['unchanged', 'unchanged', 'empty']);
    assert.equal(avatarRequests(since).length, 0);

    // Run 3: only Ann's picture changed (no attribute change: Directory Connector's incremental sync misses this).
    photos.files.set('ann', { bytes: A2, type: 'image/jpeg' });
    since = fx.cloud.requests().at(-1)!.n;
    d = await pass(target, state, { removeWhenSourceEmpty: true });
    assert.deepEqual(statuses(d), ['upload', 'unchanged', 'empty']);
    assert.equal(d.get(ann.entry.dn)!.status === 'upload' && (d.get(ann.entry.dn) as { why: string }).why, 'changed');
    assert.deepEqual(
      avatarRequests(since).map((r) => `${r.method} ${r.path.endsWith(`${ann.cloudId}/avatar`)}`),
      ['PUT true'],
    );
    assert.deepEqual((await client.users.getAvatar(ann.cloudId))!.data, A2);

    // Run 4: Bob's picture is deleted at the source (404); removal off → kept in the cloud.
    photos.files.delete('bob');
    d = await pass(target, state, { removeWhenSourceEmpty: false });
    assert.deepEqual(statuses(d), ['unchanged', 'empty', 'empty']);
    assert.ok(await client.users.getAvatar(bob.cloudId));

    // Run 5: the purge removes it, with the seed's two events for Bob only.
    d = await pass(target, state, { removeWhenSourceEmpty: false, purge: true });
    assert.deepEqual(statuses(d), ['unchanged', 'remove', 'empty']);
    assert.equal(await client.users.getAvatar(bob.cloudId), undefined);
    assert.equal((await client.users.get(bob.cloudId)).photos, undefined);
    assert.equal(state.has(avatarStateKey(bob.entry)), false);
    const removed = people.filter((p) => d.get(p.entry.dn)!.status === 'remove');
    const events = removed.flatMap((p) =>
      avatarRemovalEvents(p.entry, (d.get(p.entry.dn) as { reason: 'No image data' }).reason, 'session-1'),
    );
    assert.deepEqual(
      events.map((e) => e.event),
      ['avatar.deleteFlag', 'avatar.noImageData'],
    );
    assert.ok(events.every((e) => e.objectGuid === '66666666-7777-8888-9999-000000000000' && e.dn === bob.entry.dn));
    assert.match(events[0]!.message, /Reason:No Image Data$/);
  });

  it('Webex style: publishes to an object store and points photos at it; removal clears photos', async () => {
    const state = new Map<string, AvatarStateRecord>();
    const publisher = await createPublisher({
      url: store.url('/avatars/'),
      publicUrl: store.url('/avatars/'),
      timeoutMs: 5000,
      dispatcher,
    });
    try {
      const target = photosUrlTarget(client.users, publisher);
      photos.files.set('ann', { bytes: A1, type: 'image/jpeg' });
      photos.files.set('bob', { bytes: A1, type: 'image/jpeg' }); // the same picture twice
      for (const p of [ann, bob]) await client.users.patch(p.cloudId, [{ op: 'remove', path: 'photos' }]);
      const d = await pass(target, state, { removeWhenSourceEmpty: true });
      assert.deepEqual(statuses(d), ['upload', 'upload', 'empty']);
      const annUser = await client.users.get(ann.cloudId);
      const url = photoUrlOf(annUser)!;
      assert.match(url, /\/avatars\/[0-9a-f]{64}\.jpg$/);
      assert.equal(photoUrlOf(await client.users.get(bob.cloudId)), url, 'same picture, same URL');
      assert.equal(store.requests.filter((r) => r.method === 'PUT').length, 1, 'published once for two users');
      const res = await request(url, { dispatcher });
      assert.deepEqual(Buffer.from(await res.body.arrayBuffer()), A1);
      assert.equal(state.get(avatarStateKey(ann.entry))!.url, url);

      photos.files.delete('ann');
      const d2 = await pass(target, state, { removeWhenSourceEmpty: true });
      assert.deepEqual(statuses(d2), ['remove', 'unchanged', 'empty']);
      assert.equal((await client.users.get(ann.cloudId)).photos, undefined);
    } finally {
      await publisher.close();
    }
  });

  it('a cloud refusal is reported for that user and keeps the previous record', async () => {
    const previous: AvatarStateRecord = { sha256: 'f'.repeat(64), uploadedAt: '2025-01-01T00:00:00.000Z' };
    photos.files.set('ann', { bytes: A1, type: 'image/jpeg' });
    const decision = await planAvatar(source, { entry: ann.entry, previous }, { removeWhenSourceEmpty: false });
    assert.equal(decision.status, 'upload');
    const applied = await applyAvatar(avatarEndpointTarget(client.users), 'no-such-user-id', decision);
    assert.equal(applied.done, 'nothing');
    assert.equal(applied.error?.code, 'cloud');
    assert.equal(applied.error?.status, 404);
    assert.deepEqual(applied.record, previous);
  });
});

describe('avatars: from a config file to the local cloud (createAvatarPipeline)', () => {
  it('loads the avatar section, fetches with credentials, publishes with a bearer token, sets photos', async () => {
    const fx = await startCloudFixture();
    const photos = await startPhotoServer();
    const store = await startObjectStore();
    store.requireAuth = 'Bearer publish-token-1';
    const client = fx.client();
    // An explicit dispatcher: the default one follows the environment's proxy settings.
    const direct = new Agent();
    const bytes = jpegBytes(96, 96, { seed: 31 });
    photos.files.set('ann', { bytes, type: 'image/jpeg' });
    const text = JSON.stringify({
      directory: { url: 'ldif:./x.ldif', baseDns: ['DC=corp,DC=example,DC=com'] },
      cloud: { type: 'webex', url: fx.cloud.baseUrl, orgId: 'org-test', token: '${env:T}' },
      avatar: {
        enabled: true,
        source: 'resourceServer',
        uriPattern: `${photos.origin}/bearer/{mail: .*?(?=@.*)}`,
        credentials: { type: 'bearer', token: '${env:PHOTO_TOKEN}' },
        timeoutSeconds: 5,
        concurrency: 2,
        publish: { url: store.url('/webex/'), credentials: { type: 'bearer', token: '${secret:avatar-publish}' } },
      },
      policy: { deleteThreshold: { count: 5 } },
    });
    const loaded = loadConfig(text);
    assert.ok(loaded.ok, JSON.stringify(loaded.diagnostics.filter((d) => d.severity === 'error')));
    const pipeline = await createAvatarPipeline({
      avatar: loaded.config.avatar,
      cloudType: loaded.config.cloud.type,
      secrets: envSecretResolver({ PHOTO_TOKEN: BEARER_TOKEN, DIRSYNC_SECRET_AVATAR_PUBLISH: 'publish-token-1' }),
      users: client.users,
      dispatcher: direct,
    });
    try {
      assert.equal(pipeline.target?.kind, 'photosUrl');
      const ann = person('Ann', '12345678-1234-1234-1234-123456789abc');
      ann.cloudId = (await client.users.create(user('ann@corp.example.com'))).id!;
      const decision = await planAvatar(
        pipeline.source,
        { entry: ann.entry },
        { removeWhenSourceEmpty: loaded.config.avatar.removeWhenSourceEmpty },
      );
      assert.equal(decision.status, 'upload');
      const applied = await applyAvatar(pipeline.target!, ann.cloudId, decision);
      assert.equal(applied.error, undefined, applied.error?.message);
      const url = photoUrlOf(await client.users.get(ann.cloudId));
      assert.equal(url, pipeline.publisher!.publicUrlOf(decision.status === 'upload' ? decision.image : { sha256: '', extension: '' }));
      assert.equal(applied.record?.url, url);
      assert.deepEqual(store.objects.get(new URL(url!).pathname)!.bytes, bytes);
    } finally {
      await pipeline.close();
      await direct.close();
      await store.close();
      await photos.close();
      await fx.close();
    }
  });

  it('refuses Webex + attribute without publish, and an unset secret, before any request', async () => {
    const base = {
      enabled: true,
      source: 'attribute' as const,
      removeWhenSourceEmpty: false,
      maxBytes: 1000,
      timeoutSeconds: 1,
      concurrency: 1,
    };
    await assert.rejects(
      createAvatarPipeline({ avatar: base, cloudType: 'webex', secrets: () => undefined }),
      /need `avatar\.publish` \(DS523\)/,
    );
    const withPublish = {
      ...base,
      publish: {
        url: { value: 'https://x.example.com/', range: { start: 0, end: 0 } },
        credentials: {
          type: 'bearer' as const,
          token: { value: { kind: 'env' as const, name: 'NOPE', text: '${env:NOPE}' }, range: { start: 0, end: 0 } },
        },
      },
    };
    await assert.rejects(
      createAvatarPipeline({ avatar: withPublish, cloudType: 'webex', secrets: () => undefined }),
      /\$\{env:NOPE\} is not set/,
    );
    const p = await createAvatarPipeline({ avatar: base, cloudType: 'scim', secrets: () => undefined });
    assert.equal(p.source.kind, 'attribute');
    assert.deepEqual(p.source.attributes, ['thumbnailphoto']);
    await p.close();
  });
});
