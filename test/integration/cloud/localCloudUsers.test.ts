import { strict as assert } from 'node:assert';
import { request } from 'undici';
import {
  isFullAdmin,
  ScimAuthError,
  ScimBadRequestError,
  ScimConflictError,
  ScimNotFoundError,
  ScimPreconditionFailedError,
  scimFilter as f,
  SCHEMA,
  type ScimClient,
  type ScimUser,
} from '../../../server/src/cloud/index';
import { JPEG, MemoryLogger, PNG, startCloudFixture, TOKEN, user, type CloudFixture } from '../../support/cloud';

describe('SCIM client ↔ local cloud: users', () => {
  let fx: CloudFixture;
  let client: ScimClient;
  let logger: MemoryLogger;

  before(async () => {
    fx = await startCloudFixture();
    logger = new MemoryLogger();
    client = fx.client({ logger, concurrency: 4 });
  });
  after(async () => fx.close());

  it('serves discovery documents a generic client reads', async () => {
    const spc = await client.serviceProviderConfig();
    assert.deepEqual(spc['bulk'], { supported: true, maxOperations: 100, maxPayloadSize: 1_048_576 });
    assert.equal((spc['etag'] as { supported: boolean }).supported, true);
    const types = await client.resourceTypes();
    assert.deepEqual(
      types.Resources?.map((r) => r['endpoint']),
      ['/Users', '/Groups'],
    );
    const schemas = await client.schemas();
    assert.ok(schemas.Resources?.some((s) => s['id'] === SCHEMA.webexUser));
    assert.equal(client.flavor, 'webex');
  });

  it('creates, reads, replaces and patches a user with Webex and enterprise attributes', async () => {
    const created = await client.users.create(
      user('Ann.Lee@Example.com', {
        schemas: [SCHEMA.user, SCHEMA.enterpriseUser, SCHEMA.webexUser],
        externalId: 'guid-ann',
        displayName: 'Ann Lee',
        name: { givenName: 'Ann', familyName: 'Lee' },
        emails: [{ type: 'work', value: 'ann.lee@example.com', primary: true }],
        [SCHEMA.enterpriseUser]: { department: 'Sales', employeeNumber: '701' },
        [SCHEMA.webexUser]: { sipAddresses: [{ type: 'enterprise', value: 'ann@sip.example.com' }], extensionAttribute1: ['x'] },
      }),
    );
    assert.match(created.id!, /^[0-9a-f-]{36}$/);
    assert.equal(created.meta?.version, 'W/"1"');
    assert.equal(created.meta?.location, `${fx.cloud.baseUrl}/Users/${created.id}`);

    const got = await client.users.get(created.id!);
    assert.deepEqual(got[SCHEMA.enterpriseUser], { department: 'Sales', employeeNumber: '701' });
    assert.deepEqual(got[SCHEMA.webexUser]?.sipAddresses, [{ type: 'enterprise', value: 'ann@sip.example.com' }]);

    const patched = await client.users.patch(created.id!, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ann.lee2@example.com' },
      { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'replace', path: `${SCHEMA.enterpriseUser}:department`, value: 'Marketing' },
      { op: 'remove', path: 'name.familyName' },
    ]);
    assert.deepEqual(patched?.emails, [{ type: 'work', value: 'ann.lee2@example.com', primary: true }]);
    assert.deepEqual(patched?.phoneNumbers, [{ type: 'mobile', value: '+1 555 0100' }]);
    assert.equal(patched?.[SCHEMA.enterpriseUser]?.department, 'Marketing');
    assert.deepEqual(patched?.name, { givenName: 'Ann' });
    assert.equal(patched?.meta?.version, 'W/"2"');

    // The same PATCH again changes nothing, so the version stays (retries are harmless).
    const again = await client.users.patch(created.id!, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ann.lee2@example.com' },
    ]);
    assert.equal(again?.meta?.version, 'W/"2"');

    const replaced = await client.users.replace(created.id!, user('ann.lee@example.com', { externalId: 'guid-ann', displayName: 'Ann' }));
    assert.equal(replaced.displayName, 'Ann');
    assert.equal(replaced.emails, undefined); // PUT replaces: what is not sent is gone
    assert.equal(replaced.active, true);
  });

  it('refuses a second user with the same userName (any case) or externalId, naming the user (409 uniqueness)', async () => {
    await client.users.create(user('dup@example.com', { externalId: 'guid-dup' }));
    await assert.rejects(
      client.users.create(user('DUP@Example.COM', { externalId: 'guid-other' })),
      (err: unknown) =>
        err instanceof ScimConflictError &&
        err.status === 409 &&
        err.scimType === 'uniqueness' &&
        /^create user "DUP@Example\.COM" \(externalId guid-other\): HTTP 409 uniqueness: userName "DUP@Example\.COM" is already taken/.test(
          err.message,
        ) &&
        /TrackingID DIRSYNC_test_\d+/.test(err.message),
    );
    await assert.rejects(
      client.users.create(user('other@example.com', { externalId: 'guid-dup' })),
      (err: unknown) =>
        err instanceof ScimConflictError && /externalId "guid-dup" already belongs to user "dup@example.com"/.test(err.message),
    );
  });

  it('streams lists over many pages, a page or two ahead, with totalResults', async () => {
    const ids = new Set<string>();
    const ops = Array.from({ length: 230 }, (_, i) => ({
      method: 'POST' as const,
      path: '/Users',
      data: user(`page${String(i).padStart(3, '0')}@example.com`, { externalId: `guid-page-${i}`, title: i % 2 ? 'odd' : 'even' }),
    }));
    for (const r of await client.bulk(ops)) {
      assert.equal(r.status, 201, r.error?.message);
      ids.add(r.id!);
    }
    const since = fx.cloud.requests().at(-1)!.n;
    const seen: string[] = [];
    for await (const u of client.users.list({ filter: f.sw('userName', 'page'), pageSize: 50, prefetch: 2 })) seen.push(u.id!);
    assert.equal(seen.length, 230);
    assert.deepEqual(new Set(seen), ids);
    const pages = fx.cloud.requests(since).filter((r) => r.method === 'GET' && r.path.endsWith('/Users'));
    assert.equal(pages.length, 5); // 50+50+50+50+30, no page fetched twice

    const first = await client.users.pages({ filter: 'title eq "odd"', pageSize: 40 }).next();
    assert.equal(first.value?.totalResults, 115);
    assert.equal(await client.users.count(f.eq('title', 'even')), 115);
  });

  it('adapts when the server pages by fewer than asked (count capped at 1000)', async () => {
    const ops = Array.from({ length: 1100 }, (_, i) => ({ method: 'POST' as const, path: '/Users', data: user(`cap${i}@example.com`) }));
    const results = await client.bulk(ops);
    assert.ok(results.every((r) => r.status === 201));
    let n = 0;
    const sizes: number[] = [];
    for await (const page of client.users.pages({ filter: f.sw('userName', 'cap'), pageSize: 5000, prefetch: 1 })) {
      sizes.push(page.resources.length);
      n += page.resources.length;
    }
    assert.deepEqual(sizes, [1000, 100]);
    assert.equal(n, 1100);
  });

  it('filters: case-insensitive userName, exact externalId, value paths, extensions, sorting', async () => {
    await client.users.create(
      user('Zed@Example.com', {
        externalId: 'Guid-Zed',
        emails: [
          { type: 'work', value: 'zed@example.com' },
          { type: 'home', value: 'zed@home.net' },
        ],
        [SCHEMA.enterpriseUser]: { department: 'R&D "Labs"' },
      }),
    );
    const names = async (filter: string | ReturnType<typeof f.eq>): Promise<string[]> => {
      const out: string[] = [];
      for await (const u of client.users.list({ filter })) out.push(u.userName);
      return out;
    };
    assert.deepEqual(await names(f.eq('userName', 'zed@EXAMPLE.com')), ['Zed@Example.com']);
    assert.deepEqual(await names(f.eq('externalId', 'guid-zed')), []);
    assert.deepEqual(await names(`${SCHEMA.user}:userName eq "ZED@example.com"`), ['Zed@Example.com']);
    assert.deepEqual(await names(f.eq('externalId', 'Guid-Zed')), ['Zed@Example.com']);
    assert.deepEqual(await names('emails[type eq "home" and value co "@home.net"]'), ['Zed@Example.com']);
    assert.deepEqual(await names('emails[type eq "work" and value co "@home.net"]'), []);
    assert.deepEqual(await names(f.eq(`${SCHEMA.enterpriseUser}:department`, 'R&D "Labs"')), ['Zed@Example.com']);
    assert.deepEqual(await names(f.and(f.eq('userName', 'zed@example.com'), f.not(f.pr('title')))), ['Zed@Example.com']);
    assert.deepEqual(await names(f.anyOf('userName', ['zed@example.com', 'dup@example.com', 'nobody@example.com'])).then((a) => a.sort()), [
      'Zed@Example.com',
      'dup@example.com',
    ]);

    const sorted: string[] = [];
    for await (const u of client.users.list({ filter: f.sw('userName', 'page00'), sortBy: 'userName', sortOrder: 'descending' }))
      sorted.push(u.userName);
    assert.deepEqual(
      sorted,
      Array.from({ length: 10 }, (_, i) => `page00${9 - i}@example.com`),
    );

    await assert.rejects(
      client.users.count('userName eq'),
      (err: unknown) => err instanceof ScimBadRequestError && err.scimType === 'invalidFilter',
    );
  });

  it('projects attributes and excludedAttributes', async () => {
    const u = await client.users.find(f.eq('userName', 'zed@example.com'));
    const slim = await client.users.get(u!.id!, { attributes: ['userName', 'emails.value'] });
    // meta holds only the version, which the client copies from the ETag header.
    assert.deepEqual(Object.keys(slim).sort(), ['emails', 'id', 'meta', 'schemas', 'userName']);
    assert.deepEqual(slim.meta, { version: 'W/"1"' });
    assert.deepEqual(slim.emails, [{ value: 'zed@example.com' }, { value: 'zed@home.net' }]);
  });

  it('checks If-Match: a stale ETag gets 412 and nothing is written', async () => {
    const u = await client.users.create(user('etag@example.com', { title: 'one' }));
    const stale = u.meta!.version!;
    const v2 = await client.users.patch(u.id!, [{ op: 'replace', path: 'title', value: 'two' }], { ifMatch: stale });
    assert.equal(v2?.meta?.version, 'W/"2"');
    await assert.rejects(
      client.users.patch(u.id!, [{ op: 'replace', path: 'title', value: 'three' }], { ifMatch: stale, object: 'user "etag@example.com"' }),
      (err: unknown) =>
        err instanceof ScimPreconditionFailedError && err.status === 412 && /^patch user "etag@example.com": HTTP 412/.test(err.message),
    );
    await assert.rejects(client.users.delete(u.id!, { ifMatch: stale }), ScimPreconditionFailedError);
    assert.equal((await client.users.get(u.id!)).title, 'two');
    await client.users.replace(u.id!, user('etag@example.com', { title: 'four' }), { ifMatch: v2!.meta!.version! });
  });

  it('soft-deletes users for 7 days, lists them only when asked, and brings them back on re-create', async () => {
    const u = await client.users.create(user('gone@example.com', { externalId: 'guid-gone' }));
    await client.users.delete(u.id!);
    await assert.rejects(client.users.get(u.id!), (err: unknown) => err instanceof ScimNotFoundError && /^get user id /.test(err.message));
    assert.equal(await client.users.find(f.eq('userName', 'gone@example.com')), undefined);

    const viaFilter = await client.users.find(f.and(f.eq('userName', 'gone@example.com'), f.eq('accountStatus', 'deleted')));
    assert.equal(viaFilter?.id, u.id);
    assert.equal(viaFilter?.active, false);
    const viaFlag = await client.users.find(f.eq('userName', 'gone@example.com'), { query: { includeDeleted: 'true' } });
    assert.deepEqual(viaFlag?.[SCHEMA.webexUser]?.accountStatus, ['deleted']);

    const listed = fx.cloud.admin.softDeletedUsers().find((s) => s.id === u.id)!;
    assert.equal(Date.parse(listed.purgeAt) - Date.parse(listed.deletedAt), 7 * 86_400_000);

    // Same userName again within 7 days: the soft-deleted user comes back with its id.
    const back = await client.users.create(user('gone@example.com', { externalId: 'guid-gone', displayName: 'Back' }));
    assert.equal(back.id, u.id);
    assert.equal(back.active, true);
    assert.equal(back[SCHEMA.webexUser], undefined);

    await client.users.delete(u.id!);
    assert.equal(fx.cloud.admin.purgeExpired(Date.now() + 6 * 86_400_000), 0);
    assert.ok(fx.cloud.admin.purgeExpired(Date.now() + 8 * 86_400_000) >= 1);
    assert.equal(await client.users.find(f.eq('userName', 'gone@example.com'), { query: { includeDeleted: 'true' } }), undefined);
  });

  it('hard-deletes and restores through the admin API (token required)', async () => {
    const u = await client.users.create(user('admin-api@example.com'));
    await client.users.delete(u.id!);
    const noToken = await request(`${fx.cloud.url}/_dirsync/users/${u.id}/restore`, { method: 'POST' });
    assert.equal(noToken.statusCode, 401);
    await noToken.body.dump();
    const restored = await request(`${fx.cloud.url}/_dirsync/users/${u.id}/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(restored.statusCode, 200);
    assert.equal(((await restored.body.json()) as ScimUser).active, true);
    const hard = await request(`${fx.cloud.url}/_dirsync/users/${u.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(hard.statusCode, 204);
    await hard.body.dump();
    await assert.rejects(client.users.get(u.id!, { query: { includeDeleted: 'true' } }), ScimNotFoundError);
  });

  it('keeps Webex admin roles, settable by SCIM and by the admin API', async () => {
    const viaScim = await client.users.create(user('boss@example.com', { roles: [{ value: 'id_full_admin', type: 'cirole' }] }));
    assert.ok(isFullAdmin(viaScim));
    const plain = await client.users.create(user('helper@example.com'));
    assert.ok(!isFullAdmin(plain));
    const res = await request(`${fx.cloud.url}/_dirsync/users/${plain.id}/roles`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['id_full_admin', 'id_user_admin'] }),
    });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    assert.ok(isFullAdmin(await client.users.get(plain.id!)));
    const admins: string[] = [];
    for await (const u of client.users.list({ filter: 'roles[value eq "id_full_admin"]' })) admins.push(u.userName);
    assert.deepEqual(admins.sort(), ['boss@example.com', 'helper@example.com']);
    fx.cloud.admin.setRoles(plain.id!, []);
    assert.ok(!isFullAdmin(await client.users.get(plain.id!)));
  });

  it('round-trips avatars: upload sets photos to a served URL, download returns the bytes, delete removes both', async () => {
    const u = await client.users.create(user('face@example.com'));
    const after = await client.users.putAvatar(u.id!, PNG, 'image/png');
    const url = after.photos?.[0]?.value;
    assert.ok(url?.startsWith(`${fx.cloud.url}/avatars/`), url);
    assert.equal(after.photos?.[0]?.primary, true);
    assert.equal(after.meta?.version, 'W/"2"');

    const pub = await request(url!); // public, as Webex avatar URLs are
    assert.equal(pub.statusCode, 200);
    assert.equal(pub.headers['content-type'], 'image/png');
    assert.deepEqual(Buffer.from(await pub.body.arrayBuffer()), PNG);

    const got = await client.users.getAvatar(u.id!);
    assert.equal(got?.contentType, 'image/png');
    assert.deepEqual(got?.data, PNG);

    const replaced = await client.users.putAvatar(u.id!, JPEG, 'image/jpeg');
    assert.notEqual(replaced.photos?.[0]?.value, url); // new image, new URL
    const old = await request(url!);
    assert.equal(old.statusCode, 404);
    await old.body.dump();

    await assert.rejects(
      client.users.putAvatar(u.id!, Buffer.from('not an image'), 'image/png'),
      (err: unknown) => err instanceof ScimBadRequestError && /not a image\/png image/.test(err.message),
    );
    await assert.rejects(client.users.putAvatar(u.id!, PNG, 'text/plain'), (err: unknown) => (err as { status?: number }).status === 415);

    await client.users.deleteAvatar(u.id!);
    assert.equal(await client.users.getAvatar(u.id!), undefined);
    assert.equal((await client.users.get(u.id!)).photos, undefined);
    assert.equal(fx.cloud.admin.stats().avatars, 0);
  });

  it('logs every request with its TrackingID, and never the token', async () => {
    const requests = logger.named('scim.request');
    assert.ok(requests.length > 20);
    for (const e of requests) assert.match(String(e['trackingId']), /^DIRSYNC_test_\d+$/);
    const ids = new Set(requests.map((e) => e['trackingId']));
    assert.equal(ids.size, requests.length, 'tracking ids are unique per request');
    // The server saw the same ids.
    const serverIds = new Set(fx.cloud.requests().map((r) => r.trackingId));
    for (const id of ids) assert.ok(serverIds.has(id as string), String(id));
    assert.ok(!JSON.stringify(logger.events).includes(TOKEN));
  });

  it('fails with ScimAuthError on a wrong token, without retrying', async () => {
    const bad = fx.client({ token: 'wrong' });
    const before = fx.cloud.requests().length;
    await assert.rejects(bad.users.count(), (err: unknown) => err instanceof ScimAuthError && err.status === 401 && err.attempts === 1);
    assert.equal(fx.cloud.requests().length, before + 1);
    assert.ok(!(await bad.users.count().catch((e: Error) => e.message)).toString().includes('wrong'));
  });
});
