/**
 * The sync's avatar steps end to end: `planAvatars` → `applyAvatarOperation` → the avatar state
 * file, against the real Samba AD DC (thumbnailPhoto set, changed, cleared on a user of our own)
 * and a local HTTP resource server (hit, 404, 401 without credentials, slow, oversized,
 * not-an-image), every write landing in the local cloud (binary avatars) and read back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { Agent } from 'undici';
import { createResourceServerSource } from '../../../server/src/avatars/resourceServer';
import { createAttributeSource, type AvatarSource } from '../../../server/src/avatars/sources';
import { avatarStateKey } from '../../../server/src/avatars/changes';
import { ThumbnailStore } from '../../../server/src/avatars/thumbnailStore';
import { isThumbnailRef, thumbnailFileName } from '../../../common/report';
import { avatarEndpointTarget } from '../../../server/src/avatars/targets';
import type { LdapSource } from '../../../server/src/directory/ldapSource';
import { formatSid, toHex } from '../../../server/src/domain/adValues';
import type { SecretRef } from '../../../common/config';
import type { DirectoryEntry } from '../../../server/src/domain/entry';
import type { EngineEvent } from '../../../server/src/sync/contract';
import { applyAvatarOperation } from '../../../server/src/sync/avatars/apply';
import { planAvatars, type AvatarOperation, type AvatarPlanUser } from '../../../server/src/sync/avatars/plan';
import { AvatarStateStore } from '../../../server/src/sync/avatars/stateFile';
import type { SambaFixture } from '../../fixtures/samba';
import { jpegBytes } from '../../support/avatarImages';
import { startCloudFixture, user, type CloudFixture } from '../../support/cloud';
import { all, connect, testDc } from '../../support/directory';
import { BASIC_PASSWORD, BASIC_USER, startPhotoServer, type PhotoServer } from '../../support/avatarServers';

const MAX = 10 * 1024 * 1024 - 1;
const ATTRS = ['cn', 'mail', 'objectGUID', 'objectSid', 'thumbnailPhoto'];

/** Applies every operation of a plan to the local cloud, as the apply helper would. */
async function applyAll(
  ops: readonly AvatarOperation[],
  ctx: {
    source: AvatarSource;
    cloud: CloudFixture;
    entries: (dn: string) => Promise<DirectoryEntry>;
    state: AvatarStateStore;
    events: EngineEvent[];
    maxRetries?: number;
  },
) {
  const client = ctx.cloud.client(ctx.maxRetries !== undefined ? { maxRetries: ctx.maxRetries } : {});
  const target = avatarEndpointTarget(client.users);
  const results = [];
  for (const op of ops) {
    results.push(
      await applyAvatarOperation(op, {
        target,
        source: ctx.source,
        cloudId: op.target.cloudId!,
        entry: await ctx.entries(op.dn!),
        state: ctx.state,
        sessionId: 'sess-rt',
        onEvent: (e) => ctx.events.push(e),
      }),
    );
  }
  await ctx.state.save();
  return results;
}

describe('sync avatars: Samba AD DC → planAvatars → applyAvatarOperation → local cloud', function () {
  this.timeout(120_000);
  let f: SambaFixture;
  let ldap: LdapSource;
  let admin: Client;
  let cloud: CloudFixture;
  let stateDir: string;
  const ou = `OU=avsync-${process.pid}-${randomBytes(3).toString('hex')},DC=corp,DC=example,DC=com`;
  const dn = `CN=Avatar Sync Tester,${ou}`;
  const source = createAttributeSource({ attribute: 'thumbnailPhoto', maxBytes: MAX });

  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    ldap = await connect(f);
    admin = new Client({ url: f.ldapUrl });
    await admin.bind(f.bindDn, f.password);
    await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: ou.slice(3, ou.indexOf(',')) });
    cloud = await startCloudFixture();
    stateDir = mkdtempSync(join(tmpdir(), 'dirsync-avsync-'));
  });
  after(async function () {
    this.timeout(60_000);
    // Restore the shared fixture: our user and OU go.
    try {
      await admin?.del(dn).catch(() => undefined);
      await admin?.del(ou);
    } finally {
      await admin?.unbind();
      await ldap?.close();
      await cloud?.close();
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    }
  });

  const read = async (): Promise<DirectoryEntry> => {
    const [e] = await all(ldap.search({ baseDns: [ou], filter: '(cn=Avatar Sync Tester)', attributes: ATTRS }));
    assert.ok(e, 'the test user is found');
    return e;
  };
  const setPhoto = (bytes: Buffer | undefined) =>
    admin.modify(dn, [
      new Change({
        operation: bytes ? 'replace' : 'delete',
        modification: new Attribute({ type: 'thumbnailPhoto', values: bytes ? [bytes] : [] }),
      }),
    ]);

  it('set → upload; again → unchanged; changed (picture only) → upload; changed after the plan → refused; cleared → remove with the events', async () => {
    const A = jpegBytes(96, 96, { seed: 51 });
    const B = jpegBytes(96, 96, { seed: 52 });
    const C = jpegBytes(96, 96, { seed: 53 });
    await admin.add(dn, [
      new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
      new Attribute({ type: 'sAMAccountName', values: [`avs${randomBytes(4).toString('hex')}`] }),
      new Attribute({ type: 'mail', values: ['avatar.sync@corp.example.com'] }),
      new Attribute({ type: 'thumbnailPhoto', values: [A] }),
    ]);
    const client = cloud.client();
    let entry = await read();
    const cloudId = (await client.users.create(user('avatar.sync@corp.example.com', { externalId: avatarStateKey(entry) }))).id!;
    const events: EngineEvent[] = [];
    const run = async (removeWhenSourceEmpty: boolean) => {
      const state = await AvatarStateStore.load(stateDir);
      const cloudUser = await client.users.get(cloudId);
      const u: AvatarPlanUser = {
        entry,
        itemId: 'u1',
        userName: cloudUser.userName,
        cloud: { id: cloudId, ...(cloudUser.photos ? { photos: cloudUser.photos } : {}) },
      };
      const plan = await planAvatars(
        { users: [u], source, state: state.snapshot(), removeWhenSourceEmpty },
        { thumbnails: new ThumbnailStore(join(stateDir, 'reports', 'thumbnails')) },
      );
      return { plan, state };
    };
    const apply = (ops: readonly AvatarOperation[], state: AvatarStateStore) =>
      applyAll(ops, { source, cloud, entries: () => read(), state, events });

    // Set: uploaded, hash recorded in the state file.
    let { plan, state } = await run(true);
    assert.equal(plan.items[0]!.avatar?.status, 'upload');
    const thumbnail = plan.items[0]!.avatar?.thumbnail;
    assert.ok(isThumbnailRef(thumbnail) && thumbnail.contentType === 'image/jpeg', JSON.stringify(thumbnail));
    assert.ok(
      existsSync(join(stateDir, 'reports', 'thumbnails', thumbnailFileName(thumbnail))),
      'the thumbnail is saved beside the reports',
    );
    assert.deepEqual(
      (await apply(plan.operations, state)).map((r) => r.ok),
      [true],
    );
    assert.deepEqual((await client.users.getAvatar(cloudId))!.data, A);
    assert.equal(
      (await AvatarStateStore.load(stateDir)).get(avatarStateKey(entry))?.sha256,
      plan.operations[0]!.kind === 'uploadAvatar' ? plan.operations[0]!.sha256 : '',
    );

    // Nothing changed: no operation (never re-uploaded).
    ({ plan, state } = await run(true));
    assert.equal(plan.items[0]!.avatar?.status, 'unchanged');
    assert.equal(plan.operations.length, 0);

    // Picture-only change in AD: the incremental case Directory Connector misses.
    await setPhoto(B);
    entry = await read();
    ({ plan, state } = await run(true));
    assert.match(plan.items[0]!.avatar?.reason ?? '', /changed/);
    // …and it changes again before the apply: the apply refuses the picture nobody reviewed.
    await setPhoto(C);
    let results = await apply(plan.operations, state);
    assert.equal(results[0]!.ok, false);
    assert.ok(!results[0]!.ok && results[0]!.refused);
    assert.deepEqual((await client.users.getAvatar(cloudId))!.data, A, 'nothing was written');
    entry = await read();
    ({ plan, state } = await run(true));
    assert.equal(plan.operations.length, 1);
    assert.deepEqual(
      (await apply(plan.operations, state)).map((r) => r.ok),
      [true],
    );
    assert.deepEqual((await client.users.getAvatar(cloudId))!.data, C);

    // Cleared: with removeWhenSourceEmpty off, reported only; on, removed with the seed's two events.
    await setPhoto(undefined);
    entry = await read();
    ({ plan, state } = await run(false));
    assert.equal(plan.items[0]!.avatar?.status, 'empty');
    assert.equal(plan.operations.length, 0);
    ({ plan, state } = await run(true));
    assert.equal(plan.items[0]!.avatar?.status, 'remove');
    assert.deepEqual(
      plan.operations.map((o) => o.kind === 'removeAvatar' && o.reason),
      ['No image data'],
    );
    events.length = 0;
    results = await apply(plan.operations, state);
    assert.deepEqual(
      results.map((r) => r.ok),
      [true],
    );
    assert.equal(await client.users.getAvatar(cloudId), undefined);
    assert.equal((await client.users.get(cloudId)).photos?.length ?? 0, 0);
    assert.equal((await AvatarStateStore.load(stateDir)).get(avatarStateKey(entry)), undefined);
    const guid = toHex(entry.attributes['objectguid']![0] as Uint8Array);
    const sidBytes = entry.attributes['objectsid']![0] as Uint8Array;
    const ext = `<GUID=${guid}>;<SID=${toHex(sidBytes)}>;${entry.dn}`;
    assert.deepEqual(
      events.map((e) => [e.event, e.message, e['objectSid'], e['cn'], e.sessionId]),
      [
        [
          'avatar.deleteFlag',
          `Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:${ext} Reason:No Image Data`,
          formatSid(sidBytes),
          'Avatar Sync Tester',
          'sess-rt',
        ],
        ['avatar.noImageData', `Avatar Plugin: No image data for AD entry '${ext}'`, formatSid(sidBytes), 'Avatar Sync Tester', 'sess-rt'],
      ],
    );
    // A re-run after the removal has nothing to do.
    ({ plan } = await run(true));
    assert.equal(plan.items[0]!.avatar?.status, 'empty');
    assert.equal(plan.operations.length, 0);
  });
});

describe('sync avatars: resource server → planAvatars → applyAvatarOperation → local cloud', function () {
  this.timeout(60_000);
  let server: PhotoServer;
  let dispatcher: Agent;
  let cloud: CloudFixture;
  const hit = jpegBytes(96, 96, { seed: 61 });
  const gated = jpegBytes(64, 64, { seed: 62 });
  const old = jpegBytes(32, 32, { seed: 63 });
  const big = jpegBytes(400, 400, { seed: 64, noise: true });
  const secrets = (ref: SecretRef) => (ref.kind === 'env' && ref.name === 'PHOTO_PW' ? BASIC_PASSWORD : undefined);

  before(async () => {
    server = await startPhotoServer();
    dispatcher = new Agent();
    cloud = await startCloudFixture();
    server.files.set('hit.jpg', { bytes: hit, type: 'image/jpeg' });
    server.files.set('locked.jpg', { bytes: gated, type: 'image/jpeg' });
    server.files.set('big.jpg', { bytes: big, type: 'image/jpeg' });
  });
  after(async () => {
    await dispatcher?.close();
    await server?.close();
    await cloud?.close();
  });

  // {department} picks the server's route, {mail: …} the file: one pattern, every behaviour.
  const pattern = () => `${server.origin}/{department}/{mail: .*?(?=@.*)}.jpg`;
  const entry = (route: string, name: string): DirectoryEntry => ({
    dn: `CN=${name},OU=People,DC=corp,DC=example,DC=com`,
    attributes: { mail: [`${name}@corp.example.com`], department: [route] },
  });

  it('hit, 404, 401 without credentials, slow, oversized, not-an-image: only the hit and the 404 change the cloud; bounded concurrency', async () => {
    const client = cloud.client();
    const people: Array<[string, string, boolean]> = [
      // route, file name, cloud has a picture already
      ['photos', 'hit', false],
      ['photos', 'missing', true],
      ['basic', 'locked', true],
      ['slow', 'slow', true],
      ['photos', 'big', true],
      ['html', 'page', true],
    ];
    const users: AvatarPlanUser[] = [];
    for (const [route, name, hasPicture] of people) {
      const e = entry(route, name);
      const created = await client.users.create(user(`${name}@corp.example.com`));
      if (hasPicture) await client.users.putAvatar(created.id!, old, 'image/jpeg');
      const cu = await client.users.get(created.id!);
      users.push({ entry: e, itemId: name, userName: cu.userName, cloud: { id: cu.id!, ...(cu.photos ? { photos: cu.photos } : {}) } });
    }
    const idOf = (name: string) => users.find((u) => u.itemId === name)!.cloud!.id;
    const state = AvatarStateStore.memory();
    const events: EngineEvent[] = [];
    const noCreds = await createResourceServerSource({
      pattern: pattern(),
      maxBytes: 200_000,
      timeoutMs: 1500,
      dispatcher,
      concurrency: 8,
    });
    const plan = await planAvatars({ users, source: noCreds, state: state.snapshot(), removeWhenSourceEmpty: true }, { concurrency: 3 });
    assert.ok(server.maxInFlight <= 3, `at most 3 requests at once (${server.maxInFlight})`);
    const by = new Map(plan.items.map((i) => [i.id.replace('/avatar', ''), i.avatar!]));
    assert.deepEqual(
      people.map(([, n]) => by.get(n)!.status),
      ['upload', 'remove', 'failed', 'failed', 'failed', 'failed'],
      JSON.stringify([...by.values()].map((a) => a.reason)),
    );
    assert.match(by.get('missing')!.reason!, /^No image data \(.*404/);
    assert.match(by.get('locked')!.reason!, /401/);
    assert.match(by.get('slow')!.reason!, /no complete answer within 1500 ms/);
    assert.match(by.get('big')!.reason!, /large|KB|bytes/i);
    assert.match(by.get('page')!.reason!, /not an image|html/i);
    assert.deepEqual(
      plan.operations.map((o) => [o.kind, o.target.cloudId]),
      [
        ['uploadAvatar', idOf('hit')],
        ['removeAvatar', idOf('missing')],
      ],
    );

    const results = await applyAll(plan.operations, {
      source: noCreds,
      cloud,
      entries: async (dn) => users.find((u) => u.entry.dn === dn)!.entry,
      state,
      events,
    });
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true],
    );
    assert.deepEqual((await client.users.getAvatar(idOf('hit')))!.data, hit);
    assert.equal(await client.users.getAvatar(idOf('missing')), undefined);
    for (const n of ['locked', 'slow', 'big', 'page'])
      assert.deepEqual((await client.users.getAvatar(idOf(n)))!.data, old, `${n}: a failure changes nothing`);
    assert.deepEqual(Object.keys(state.snapshot()), [avatarStateKey(users[0]!.entry)]);
    assert.deepEqual(
      events.filter((e) => e.event.startsWith('avatar.no') || e.event === 'avatar.deleteFlag').map((e) => e.dn),
      [users[1]!.entry.dn, users[1]!.entry.dn],
    );
    await noCreds.close();

    // With the credentials: the 401 user's picture arrives; the hit is unchanged (not fetched into the cloud again).
    const withCreds = await createResourceServerSource({
      pattern: pattern(),
      credentials: {
        type: 'basic',
        username: BASIC_USER,
        password: { value: { kind: 'env', name: 'PHOTO_PW', text: '${env:PHOTO_PW}' }, range: { start: 0, end: 0 } },
      },
      secrets,
      maxBytes: 200_000,
      timeoutMs: 5000,
      dispatcher,
    });
    const fresh = await Promise.all(
      [users[0]!, users[2]!].map(async (u) => ({
        ...u,
        cloud: { id: u.cloud!.id, photos: (await client.users.get(u.cloud!.id)).photos ?? [] },
      })),
    );
    const again = await planAvatars({ users: fresh, source: withCreds, state: state.snapshot(), removeWhenSourceEmpty: true });
    assert.deepEqual(
      again.items.map((i) => i.avatar?.status),
      ['unchanged', 'upload'],
    );
    const r2 = await applyAll(again.operations, {
      source: withCreds,
      cloud,
      entries: async (dn) => users.find((u) => u.entry.dn === dn)!.entry,
      state,
      events,
    });
    assert.deepEqual(
      r2.map((r) => r.ok),
      [true],
    );
    assert.deepEqual((await client.users.getAvatar(idOf('locked')))!.data, gated);
    await withCreds.close();
  });

  it('a cloud failure during the upload is returned for that user, logged, and the state keeps nothing new', async () => {
    const client = cloud.client();
    const id = (await client.users.create(user('faulty@corp.example.com'))).id!;
    const u: AvatarPlanUser = { entry: entry('photos', 'hit'), itemId: 'faulty', cloud: { id } };
    const src = await createResourceServerSource({ pattern: pattern(), maxBytes: 200_000, timeoutMs: 5000, dispatcher });
    const state = AvatarStateStore.memory();
    const plan = await planAvatars({ users: [u], source: src, state: state.snapshot(), removeWhenSourceEmpty: true });
    assert.equal(plan.operations.length, 1);
    cloud.cloud.faults.add({ kind: 'status', status: 503, methods: ['PUT'], pathPattern: '/avatar', next: 1 });
    const events: EngineEvent[] = [];
    const [r] = await applyAll(plan.operations, { source: src, cloud, entries: async () => u.entry, state, events, maxRetries: 0 });
    assert.ok(r && !r.ok);
    assert.equal(r.error.code, 'cloud');
    assert.equal(r.error.status, 503);
    assert.equal(state.size, 0);
    assert.equal(await client.users.getAvatar(id), undefined);
    assert.deepEqual(
      events.map((e) => [e.event, e.level]),
      [['avatar.uploadFailed', 'error']],
    );
    await src.close();
  });
});
