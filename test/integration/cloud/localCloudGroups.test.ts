import { strict as assert } from 'node:assert';
import {
  ScimBadRequestError,
  ScimConflictError,
  scimFilter as f,
  type BulkOperation,
  type ScimClient,
} from '../../../server/src/cloud/index';
import { GROUP_SCHEMA, startCloudFixture, user, type CloudFixture } from '../../support/cloud';

describe('SCIM client ↔ local cloud: groups and Bulk', () => {
  let fx: CloudFixture;
  let client: ScimClient;
  const userIds: string[] = [];

  before(async () => {
    fx = await startCloudFixture();
    client = fx.client({ concurrency: 4 });
    const ops: BulkOperation[] = Array.from({ length: 1203 }, (_, i) => ({
      method: 'POST',
      path: '/Users',
      data: user(`member${i}@example.com`, { displayName: `Member ${i}` }),
    }));
    for (const r of await client.bulk(ops)) {
      assert.equal(r.status, 201, r.error?.message);
      userIds.push(r.id!);
    }
  });
  after(async () => fx.close());

  it('splits Bulk into requests of at most 100 operations and returns one result per operation', () => {
    const bulkRequests = fx.cloud.requests().filter((r) => r.path.endsWith('/Bulk'));
    assert.equal(bulkRequests.length, 13); // 1203 operations
    assert.equal(userIds.length, 1203);
    assert.equal(new Set(userIds).size, 1203);
  });

  it('pages group members at most 500 at a time (Webex /Groups/{id}/Members)', async () => {
    const g = await client.groups.create({
      schemas: [GROUP_SCHEMA],
      displayName: 'Everyone',
      externalId: 'guid-everyone',
      members: userIds.slice(0, 100).map((value) => ({ value })),
    });
    await client.groups.addMembers(g.id!, userIds.slice(100)); // 1103 more, 100 per PATCH
    const since = fx.cloud.requests().at(-1)!.n;
    const members: string[] = [];
    for await (const m of client.groups.members(g.id!)) members.push(m.value);
    assert.deepEqual(members, userIds);
    const pages = fx.cloud.requests(since).filter((r) => r.path.endsWith('/Members'));
    assert.equal(pages.length, 3); // 500 + 500 + 203

    // Lists leave members out unless asked, as Webex does.
    const listed = await client.groups.find(f.eq('displayName', 'everyone'));
    assert.equal(listed?.members, undefined);
    const withMembers = await client.groups.find(f.eq('displayName', 'everyone'), { query: { includeMembers: 'true' } });
    assert.equal(withMembers?.members?.length, 1203);
    assert.equal(withMembers?.members?.[0]?.display, 'Member 0');
  });

  it('adds and removes members by PATCH and finds groups by member', async () => {
    const g = await client.groups.create({ schemas: [GROUP_SCHEMA], displayName: 'Sales' });
    await client.groups.addMembers(g.id!, userIds.slice(0, 5));
    await client.groups.addMembers(g.id!, userIds.slice(3, 7)); // overlapping add is harmless
    await client.groups.removeMembers(g.id!, [userIds[0]!, userIds[6]!]);
    const after = await client.groups.get(g.id!);
    assert.deepEqual(
      after.members?.map((m) => m.value),
      userIds.slice(1, 6),
    );
    assert.equal(after.meta?.version, 'W/"4"');

    const generic = fx.client({ flavor: 'scim' }); // members from the group itself
    const viaGroup: string[] = [];
    for await (const m of generic.groups.members(g.id!)) viaGroup.push(m.value);
    assert.deepEqual(viaGroup, userIds.slice(1, 6));

    const byMember: string[] = [];
    for await (const x of client.groups.list({ filter: f.valuePath('members', f.eq('value', userIds[2]!)) })) byMember.push(x.displayName);
    assert.deepEqual(byMember.sort(), ['Everyone', 'Sales']);

    const u = await client.users.get(userIds[2]!, { attributes: ['userName', 'groups'] });
    assert.deepEqual(u.groups?.map((x) => x.display).sort(), ['Everyone', 'Sales']);

    await assert.rejects(
      client.groups.addMembers(g.id!, ['no-such-id']),
      (err: unknown) => err instanceof ScimBadRequestError && /member no-such-id is not a user or group/.test(err.message),
    );
  });

  it('drops memberships of a soft-deleted user and of a deleted group', async () => {
    const parent = await client.groups.create({ schemas: [GROUP_SCHEMA], displayName: 'Parent' });
    const child = await client.groups.create({ schemas: [GROUP_SCHEMA], displayName: 'Child', members: [{ value: userIds[10]! }] });
    await client.groups.addMembers(parent.id!, [child.id!, userIds[11]!]);
    assert.deepEqual(
      (await client.groups.get(parent.id!)).members?.map((m) => m.type),
      ['Group', 'User'],
    );
    await client.users.delete(userIds[11]!);
    await client.groups.delete(child.id!);
    const p = await client.groups.get(parent.id!);
    assert.equal(p.members?.length ?? 0, 0);
  });

  it('resolves bulkId references within a request and across the 100-operation split', async () => {
    const ops: BulkOperation[] = [];
    for (let i = 0; i < 150; i++)
      ops.push({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: user(`bulk${i}@example.com`, { externalId: `guid-bulk-${i}` }) });
    // Op 150 goes in the second request; it refers to users created by the first and the second.
    ops.push({
      method: 'POST',
      path: '/Groups',
      bulkId: 'g',
      data: {
        schemas: [GROUP_SCHEMA],
        displayName: 'Bulk group',
        members: [{ value: 'bulkId:u0' }, { value: 'bulkId:u99' }, { value: 'bulkId:u120' }],
      },
    });
    ops.push({
      method: 'PATCH',
      path: '/Groups/bulkId:g',
      data: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u149' }] }],
      },
    });
    ops.push({ method: 'DELETE', path: '/Users/bulkId:u148' });
    const results = await client.bulk(ops);
    assert.equal(results.length, 153);
    assert.ok(
      results.every((r) => r.status >= 200 && r.status < 300),
      JSON.stringify(results.filter((r) => r.error).map((r) => r.error?.message)),
    );
    const group = await client.groups.get(results[150]!.id!);
    assert.deepEqual(
      group.members?.map((m) => m.value),
      [results[0]!.id, results[99]!.id, results[120]!.id, results[149]!.id],
    );
    assert.equal(await client.users.find(f.eq('userName', 'bulk148@example.com')), undefined);
  });

  it('reports per-operation errors that name the object, and stops at failOnErrors', async () => {
    const ops: BulkOperation[] = [
      { method: 'POST', path: '/Users', data: user('fail-a@example.com') },
      { method: 'POST', path: '/Users', data: user('FAIL-A@example.com', { externalId: 'x1' }) },
      {
        method: 'PATCH',
        path: '/Users/no-such-user',
        data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 't' }] },
      },
      { method: 'POST', path: '/Users', data: user('fail-b@example.com') },
      { method: 'POST', path: '/Users', data: user('fail-c@example.com') },
    ];
    const results = await client.bulk(ops, { failOnErrors: 2 });
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 409, 404, 0, 0],
    );
    const conflict = results[1]!.error!;
    assert.ok(conflict instanceof ScimConflictError);
    assert.match(
      conflict.message,
      /^bulk POST user "FAIL-A@example.com" \(externalId x1\): HTTP 409 uniqueness: userName "FAIL-A@example.com" is already taken/,
    );
    assert.match(results[2]!.error!.message, /^bulk PATCH user id no-such-user: HTTP 404/);
    assert.equal(results[3]!.error?.kind, 'notAttempted');
    assert.equal(await client.users.find(f.eq('userName', 'fail-b@example.com')), undefined);
  });

  it('answers 413 tooMany to a Bulk request over 100 operations sent by another client', async () => {
    const raw = fx.client({ bulkMaxOperations: 101 });
    const ops: BulkOperation[] = Array.from({ length: 101 }, (_, i) => ({
      method: 'POST',
      path: '/Users',
      data: user(`toomany${i}@example.com`),
    }));
    await assert.rejects(
      raw.bulk(ops),
      (err: unknown) =>
        (err as { status?: number; scimType?: string }).status === 413 && (err as { scimType?: string }).scimType === 'tooMany',
    );
  });
});
