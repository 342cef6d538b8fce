/**
 * The SCIM client against an independent SCIM 2.0 server from npm — scimmy + scimmy-routers on
 * express 4, started in process on 127.0.0.1 — to show it speaks the standard, not only the
 * local cloud's dialect. The storage handler below is the minimum scimmy asks of an
 * implementer: keep resources, enforce userName uniqueness, match filters one record at a time
 * (scimmy's matcher throws on a record that lacks a sub-attribute's parent).
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMYRouters, { SCIMMY } from 'scimmy-routers';
import { createScimClient, ScimConflictError, ScimNotFoundError, scimFilter as f, type ScimClient } from '../../../server/src/cloud/index';
import { GROUP_SCHEMA, TOKEN, user } from '../../support/cloud';

type Doc = Record<string, unknown> & { id: string };

/** In-memory storage for one resource type, the way scimmy's handlers expect it. */
function storage(kind: 'User' | 'Group', unique?: string) {
  const docs = new Map<string, Doc>();
  const egress = (resource: { id?: string; filter?: { match(values: unknown[]): unknown[] } }): Doc | Doc[] => {
    if (resource.id) {
      const d = docs.get(resource.id);
      if (!d) throw new SCIMMY.Types.Error(404, null!, `${kind} ${resource.id} not found`);
      return d;
    }
    const all = [...docs.values()];
    if (!resource.filter) return all;
    return all.filter((d) => {
      try {
        return resource.filter!.match([d]).length > 0;
      } catch {
        return false;
      }
    });
  };
  const ingress = (resource: { id?: string }, instance: unknown): Doc => {
    const data = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
    delete data['schemas'];
    delete data['meta'];
    const now = new Date().toISOString();
    if (unique) {
      const value = String(data[unique] ?? '').toLowerCase();
      for (const d of docs.values()) {
        if (d.id !== resource.id && String(d[unique] ?? '').toLowerCase() === value) {
          throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} ${JSON.stringify(data[unique])} is already taken`);
        }
      }
    }
    if (resource.id) {
      const existing = docs.get(resource.id);
      if (!existing) throw new SCIMMY.Types.Error(404, null!, `${kind} ${resource.id} not found`);
      const next: Doc = {
        ...data,
        id: resource.id,
        meta: { created: (existing['meta'] as { created: string }).created, lastModified: now },
      };
      docs.set(resource.id, next);
      return next;
    }
    const doc: Doc = { ...data, id: randomUUID(), meta: { created: now, lastModified: now } };
    docs.set(doc.id, doc);
    return doc;
  };
  const degress = (resource: { id?: string }): void => {
    if (!resource.id || !docs.delete(resource.id)) throw new SCIMMY.Types.Error(404, null!, `${kind} ${resource.id} not found`);
  };
  return { docs, egress, ingress, degress };
}

describe('SCIM client ↔ scimmy (an independent SCIM 2.0 server on express 4)', () => {
  let server: Server;
  let client: ScimClient;
  const users = storage('User', 'userName');
  const groups = storage('Group');

  before(async () => {
    SCIMMY.Resources.declare(SCIMMY.Resources.User)
      .ingress(users.ingress as never)
      .egress(users.egress as never)
      .degress(users.degress as never);
    SCIMMY.Resources.declare(SCIMMY.Resources.Group)
      .ingress(groups.ingress as never)
      .egress(groups.egress as never)
      .degress(groups.degress as never);
    const app = express();
    app.use(
      '/scim/v2',
      new SCIMMYRouters({
        type: 'bearer',
        handler: (req) => {
          if (req.header('authorization') !== `Bearer ${TOKEN}`) throw new Error('Authorization failed');
          return 'tester';
        },
      }) as unknown as express.Router,
    );
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    client = createScimClient({ baseUrl: `http://127.0.0.1:${port}/scim/v2`, token: TOKEN, sessionId: 'scimmy', concurrency: 4 });
  });
  after(async () => {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('treats it as a generic SCIM target and reads its discovery documents', async () => {
    assert.equal(client.flavor, 'scim');
    const spc = await client.serviceProviderConfig();
    assert.ok(Array.isArray(spc['schemas']));
    const types = await client.resourceTypes();
    assert.ok(types.Resources?.some((r) => r['endpoint'] === '/Users'));
  });

  it('creates users and gets one back', async () => {
    const ann = await client.users.create(
      user('ann@example.com', {
        externalId: 'guid-ann',
        displayName: 'Ann',
        emails: [{ type: 'work', value: 'ann@example.com', primary: true }],
      }),
    );
    assert.ok(ann.id);
    assert.equal(ann.userName, 'ann@example.com');
    const got = await client.users.get(ann.id!);
    assert.equal(got.displayName, 'Ann');
    assert.deepEqual(got.emails, [{ type: 'work', value: 'ann@example.com', primary: true }]);
  });

  it('maps its 409 to a ScimConflictError naming the user', async () => {
    await assert.rejects(
      client.users.create(user('ANN@example.com')),
      (err: unknown) =>
        err instanceof ScimConflictError &&
        err.scimType === 'uniqueness' &&
        /^create user "ANN@example.com": HTTP 409 uniqueness/.test(err.message),
    );
  });

  it('pages through lists with startIndex/count', async () => {
    await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        client.users.create(user(`p${String(i).padStart(2, '0')}@example.com`, { title: i % 3 === 0 ? 'third' : 'other' })),
      ),
    );
    const pageSizes: number[] = [];
    const ids = new Set<string>();
    for await (const page of client.users.pages({ pageSize: 10, prefetch: 2 })) {
      pageSizes.push(page.resources.length);
      for (const u of page.resources) ids.add(u.id!);
    }
    assert.deepEqual(pageSizes, [10, 10, 10, 10, 6]);
    assert.equal(ids.size, 46);
  });

  it('filters with escaped values, and/or, value paths', async () => {
    const names = async (filter: Parameters<typeof client.users.list>[0]): Promise<string[]> => {
      const out: string[] = [];
      for await (const u of client.users.list(filter)) out.push(u.userName);
      return out.sort();
    };
    assert.deepEqual(await names({ filter: f.eq('userName', 'ann@example.com') }), ['ann@example.com']);
    assert.equal((await names({ filter: f.eq('title', 'third') })).length, 15);
    assert.deepEqual(await names({ filter: f.and(f.sw('userName', 'p0'), f.eq('title', 'third')) }), [
      'p00@example.com',
      'p03@example.com',
      'p06@example.com',
      'p09@example.com',
    ]);
    assert.deepEqual(await names({ filter: f.or(f.eq('userName', 'p44@example.com'), f.eq('externalId', 'guid-ann')) }), [
      'ann@example.com',
      'p44@example.com',
    ]);
    assert.deepEqual(await names({ filter: f.valuePath('emails', f.eq('type', 'work')) }), ['ann@example.com']);
    // Characters that need URL encoding reach the server intact. (scimmy 1.3 does not decode JSON
    // escapes in filter strings, so a value with `"` or `\\` is tested against the local cloud only.)
    await client.users.create(user('zoe@example.com', { displayName: "Zoë O'Brien (R&D) 100% + more" }));
    assert.deepEqual(await names({ filter: f.eq('displayName', "Zoë O'Brien (R&D) 100% + more") }), ['zoe@example.com']);
  });

  it('patches (valuePath), replaces and deletes', async () => {
    const ann = (await client.users.find(f.eq('userName', 'ann@example.com')))!;
    const patched = await client.users.patch(ann.id!, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ann.lee@example.com' },
      { op: 'add', path: 'title', value: 'Engineer' },
    ]);
    const after = patched ?? (await client.users.get(ann.id!));
    assert.equal(after.title, 'Engineer');
    assert.equal(after.emails?.[0]?.value, 'ann.lee@example.com');

    const replaced = await client.users.replace(ann.id!, user('ann@example.com', { displayName: 'Ann Lee', active: false }));
    assert.equal(replaced.displayName, 'Ann Lee');
    assert.equal(replaced.active, false);

    await client.users.delete(ann.id!);
    await assert.rejects(client.users.get(ann.id!), ScimNotFoundError);
    assert.equal(await client.users.find(f.eq('userName', 'ann@example.com')), undefined);
  });

  it('manages group members with PATCH and reads them from the group', async () => {
    const someone = (await client.users.find(f.eq('userName', 'p01@example.com')))!;
    const other = (await client.users.find(f.eq('userName', 'p02@example.com')))!;
    const g = await client.groups.create({ schemas: [GROUP_SCHEMA], displayName: 'Team', members: [{ value: someone.id! }] });
    await client.groups.addMembers(g.id!, [other.id!]);
    await client.groups.removeMembers(g.id!, [someone.id!]);
    const members: string[] = [];
    for await (const m of client.groups.members(g.id!)) members.push(m.value);
    assert.deepEqual(members, [other.id]);
  });
});
