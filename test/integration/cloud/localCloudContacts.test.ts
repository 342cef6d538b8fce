/**
 * Webex's Organization Contacts API: the client (`client.contacts`) against the local cloud's
 * double of it (webex dialect) over HTTP — create, get, update, delete, search in pages, bulk
 * create/update and bulk delete, a lost POST recovered without a duplicate — and what the double
 * refuses as Webex would. The generic dialect has no contacts API.
 */
import { strict as assert } from 'node:assert';
import { CONTACT_BASE, CONTACT_SCHEMA, contactsRootOf, type ScimError, ScimNotFoundError } from '../../../server/src/cloud/index';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';

const email = (n: number) => ({ emails: [{ type: 'work', value: `p${n}@partner.example.net` }] });

describe('contacts API: the client against the local cloud (webex dialect)', function () {
  this.timeout(60_000);
  let f: CloudFixture;
  before(async () => {
    f = await startCloudFixture({ dialect: 'webex', orgId: 'org-c' });
  });
  after(async () => {
    await f?.close();
  });
  beforeEach(() => {
    f.cloud.admin.reset();
    f.cloud.faults.clear();
  });

  async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${f.cloud.url}/v1/contacts/organizations/org-c/contacts${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('derives the contacts URL from the SCIM URL on the same origin', () => {
    assert.equal(contactsRootOf('https://webexapis.com/identity/scim/abc-123/v2'), '/v1/contacts/organizations/abc-123/contacts');
    assert.equal(contactsRootOf('https://scim.example.com/scim/v2'), undefined);
    assert.equal(f.client().contacts?.url(), `${f.cloud.url}/v1/contacts/organizations/org-c/contacts`);
    assert.equal(f.client({ flavor: 'scim' }).contacts, undefined, 'a generic SCIM client has no contacts');
  });

  it('create, get, update (a phone number deleted, a text cleared), delete', async () => {
    const c = f.client().contacts!;
    const created = await c.create({
      ...CONTACT_BASE,
      displayName: 'Ann Lee',
      title: 'GM',
      address: '{"city":"Oslo","country":"NO"}',
      ...email(1),
      phoneNumbers: [
        { type: 'work', value: '+47 1' },
        { type: 'mobile', value: '+47 2' },
      ],
    });
    assert.match(created.contactId, /^[0-9a-f-]{36}$/);
    assert.equal(created.schemas, CONTACT_SCHEMA);
    assert.equal(created.source, 'CH');
    assert.equal(created.orgId, 'org-c');
    assert.deepEqual(created.addressInfo, { city: 'Oslo', country: 'NO' });
    assert.ok(created.meta.created && created.meta.lastModified);
    const updated = await c.update(created.contactId, {
      source: 'CH',
      title: '',
      phoneNumbers: [
        { type: 'work', value: '+47 1' },
        { type: 'mobile', value: '+47 2', operation: 'delete' },
      ],
    });
    assert.equal(updated.title, undefined);
    assert.deepEqual(updated.phoneNumbers, [{ type: 'work', value: '+47 1' }]);
    assert.equal((await c.get(created.contactId)).displayName, 'Ann Lee');
    await c.delete(created.contactId);
    await assert.rejects(c.get(created.contactId), ScimNotFoundError);
  });

  it('search streams every contact page by page (start, limit, total), filtered by source and keyword', async () => {
    const c = f.client().contacts!;
    for (let i = 1; i <= 5; i++) await c.create({ ...CONTACT_BASE, displayName: `Person ${i}`, ...email(i) });
    const pages: number[] = [];
    for await (const page of c.pages({ source: 'CH', limit: 2 })) pages.push(page.length);
    assert.deepEqual(pages, [2, 2, 1]);
    const all = [];
    for await (const x of c.search({ source: 'CH', limit: 2 })) all.push(x.displayName);
    assert.deepEqual(all, ['Person 1', 'Person 2', 'Person 3', 'Person 4', 'Person 5']);
    assert.equal((await c.findByEmail('P3@partner.example.net'))?.displayName, 'Person 3');
    assert.equal(await c.findByEmail('nobody@partner.example.net'), undefined);
  });

  it('bulk creates and updates in one request, failures by index; bulk delete removes by id', async () => {
    const c = f.client().contacts!;
    const first = await c.create({ ...CONTACT_BASE, displayName: 'One', ...email(1) });
    const results = await c.bulkUpsert([
      { ...CONTACT_BASE, contactId: first.contactId, displayName: 'One again', ...email(1) },
      { ...CONTACT_BASE, displayName: 'Two', ...email(2) },
      { source: 'Webex4Broadworks', displayName: 'Three', ...email(3) },
      { ...CONTACT_BASE, displayName: 'No way to reach' },
    ]);
    assert.deepEqual(
      results.map((r) => (r.ok ? r.contact.displayName : r.status)),
      ['One again', 'Two', 403, 400],
    );
    assert.equal(f.cloud.admin.stats().contacts, 2);
    await c.bulkDelete([first.contactId, 'not-a-contact']);
    assert.equal(f.cloud.admin.stats().contacts, 1);
  });

  it('a POST whose answer was lost is recovered by its email, not created twice', async () => {
    const c = f.client({ backoff: { baseMs: 1, capMs: 1 } }).contacts!;
    f.cloud.faults.add({ kind: 'drop', phase: 'after', next: 1, methods: ['POST'], pathPattern: '^/contacts$' });
    const created = await c.create({ ...CONTACT_BASE, displayName: 'Once', ...email(7) });
    assert.equal(created.displayName, 'Once');
    assert.equal(f.cloud.admin.stats().contacts, 1);
    assert.ok(
      f.cloud.requests().some((r) => r.method === 'POST' && r.status === 0),
      'the first answer was dropped',
    );
  });

  const refused: Array<[string, unknown, number, RegExp]> = [
    ['no source', { schemas: CONTACT_SCHEMA, ...email(1) }, 400, /source is required/],
    ['schemas as an array', { schemas: [CONTACT_SCHEMA], source: 'CH', ...email(1) }, 400, /schemas must be/],
    ['a source this org does not allow', { schemas: CONTACT_SCHEMA, source: 'Webex4Broadworks', ...email(1) }, 403, /only sources \[CH\]/],
    ['no email, phone or SIP address', { schemas: CONTACT_SCHEMA, source: 'CH', displayName: 'X' }, 400, /At least one of/],
    [
      'an email type outside the enum',
      { schemas: CONTACT_SCHEMA, source: 'CH', emails: [{ value: 'a@b.example', type: 'internet' }] },
      400,
      /type "internet"/,
    ],
    [
      'a property contacts do not have',
      { schemas: CONTACT_SCHEMA, source: 'CH', ...email(1), externalId: 'x' },
      400,
      /externalId is not a property/,
    ],
    [
      'an address that is not JSON text',
      { schemas: CONTACT_SCHEMA, source: 'CH', ...email(1), address: 'Main St 1' },
      400,
      /address must be JSON/,
    ],
  ];
  for (const [what, body, status, message] of refused) {
    it(`refuses ${what} (${status}), in Webex's error shape`, async () => {
      const r = await raw('POST', '', body);
      assert.equal(r.status, status);
      assert.match(String(r.body['message']), message);
      assert.ok(Array.isArray(r.body['errors']) && typeof r.body['trackingId'] === 'string');
    });
  }

  it('refuses a second CH contact with the same email (409), through the client as a conflict', async () => {
    const c = f.client().contacts!;
    await c.create({ ...CONTACT_BASE, ...email(1) });
    await assert.rejects(
      c.create({ ...CONTACT_BASE, ...email(1) }),
      (err: ScimError) => err.status === 409 && /already exists/.test(err.message),
    );
  });
});

describe('contacts API: not served by the generic dialect', () => {
  it('answers 404: a generic SCIM server has no contacts', async () => {
    const f = await startCloudFixture({ dialect: 'scim', orgId: 'org-s' });
    try {
      const c = f.client({ flavor: 'webex' }).contacts!;
      await assert.rejects(c.pages().next(), ScimNotFoundError);
    } finally {
      await f.close();
    }
  });
});
