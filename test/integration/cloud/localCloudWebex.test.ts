/**
 * The local cloud as Webex's double (the default dialect): it refuses what Webex's published SCIM
 * API refuses and answers as its documents show; the generic dialect stays plain SCIM 2.0.
 */
import { strict as assert } from 'node:assert';
import { SCHEMA } from '../../../server/src/cloud/schemas';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';

const CISCO = SCHEMA.webexUser;

describe('local cloud, webex dialect: a faithful double of Webex', function () {
  this.timeout(30_000);
  let f: CloudFixture;
  before(async () => {
    f = await startCloudFixture({ dialect: 'webex' });
  });
  after(async () => {
    await f?.close();
  });

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${f.cloud.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  const user = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [SCHEMA.user],
    userName,
    userType: 'user',
    ...extra,
  });

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no userType', { schemas: [SCHEMA.user], userName: 'a@example.com' }, /'userType' is required/],
    ['a userType outside the enum', user('b@example.com', { userType: 'Employee' }), /'userType' "Employee" is not one of user, room/],
    [
      'an email type outside the enum',
      user('c@example.com', { emails: [{ value: 'c@example.com', type: 'internet' }] }),
      /'emails' type "internet"/,
    ],
    [
      'a phone type outside the enum',
      user('d@example.com', { phoneNumbers: [{ value: '+1 555', type: 'desk' }] }),
      /'phoneNumbers' type "desk"/,
    ],
    [
      "Cisco's extension without accountStatus",
      user('e@example.com', { [CISCO]: { sipAddresses: [{ value: 'sip:e@example.com', type: 'enterprise' }] } }),
      /accountStatus' is required/,
    ],
    ['an account state Webex does not have', user('f@example.com', { [CISCO]: { accountStatus: 'retired' } }), /accountStatus "retired"/],
    [
      "an attribute Cisco's extension does not have",
      user('g@example.com', { [CISCO]: { accountStatus: 'active', buildingName: 'B1' } }),
      /'buildingName' is not an attribute of urn:scim:schemas:extension:cisco:webexidentity:2.0:User/,
    ],
  ];
  for (const [what, body, message] of refused) {
    it(`refuses a POST with ${what} (400 invalidValue, naming it)`, async () => {
      const res = await call('POST', '/Users', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body['scimType'], 'invalidValue');
      assert.match(String(res.body['detail']), message);
    });
  }

  it('refuses a PATCH that sets a userType outside the enum', async () => {
    const created = await call('POST', '/Users', user('patch@example.com'));
    assert.equal(created.status, 201);
    const res = await call('PATCH', `/Users/${created.body['id']}`, {
      schemas: [SCHEMA.patchOp],
      Operations: [{ op: 'replace', path: 'userType', value: 'Contractor' }],
    });
    assert.equal(res.status, 400);
  });

  it('answers a replace through a value filter that matches nothing with 400 noTarget; an add of the element works', async () => {
    const created = await call('POST', '/Users', user('phone@example.com'));
    const replace = await call('PATCH', `/Users/${created.body['id']}`, {
      schemas: [SCHEMA.patchOp],
      Operations: [{ op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }],
    });
    assert.equal(replace.status, 400);
    assert.equal(replace.body['scimType'], 'noTarget');
    const add = await call('PATCH', `/Users/${created.body['id']}`, {
      schemas: [SCHEMA.patchOp],
      Operations: [{ op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+1 555 0100' }] }],
    });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    assert.deepEqual(add.body['phoneNumbers'], [{ type: 'mobile', value: '+1 555 0100' }]);
  });

  it('answers with userType, meta and accountStatus as an array; a soft-deleted user is marked_deleted', async () => {
    const created = await call('POST', '/Users', user('ann@example.com', { externalId: 'ext-ann' }));
    assert.equal(created.status, 201);
    assert.equal(created.body['userType'], 'user');
    assert.deepEqual((created.body[CISCO] as Record<string, unknown>)['accountStatus'], ['active']);
    assert.ok((created.body['schemas'] as string[]).includes(CISCO));
    const meta = created.body['meta'] as Record<string, unknown>;
    for (const k of ['created', 'lastModified', 'version', 'location']) assert.ok(meta[k], k);
    const room = await call('POST', '/Users', user('room@example.com', { userType: 'room', [CISCO]: { accountStatus: 'active' } }));
    assert.deepEqual((room.body[CISCO] as Record<string, unknown>)['accountStatus'], ['active']);
    assert.equal((await call('DELETE', `/Users/${created.body['id']}`)).status, 204);
    const listed = await call('GET', '/Users?includeDeleted=true&filter=' + encodeURIComponent('userName eq "ann@example.com"'));
    const ann = (listed.body['Resources'] as Array<Record<string, unknown>>)[0]!;
    assert.deepEqual((ann[CISCO] as Record<string, unknown>)['accountStatus'], ['marked_deleted']);
  });

  const filters: Array<[string, number]> = [
    ['userName eq "x@example.com"', 200],
    ['userName sw "x"', 200],
    ['displayName ew "Smith"', 200],
    ['emails.value eq "x@example.com"', 200],
    ['phoneNumbers[type eq "mobile" and value eq "14170120"]', 200],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"', 200],
    ['department sw "Sa"', 200],
    ['userName eq "a@example.com" or userName eq "b@example.com"', 200],
    ['externalId eq "ext-ann"', 400],
    ['id sw "1"', 400],
    ['userName co "x"', 400],
    ['title eq "CEO"', 400],
    ['active eq true', 400],
    ['roles[value eq "id_full_admin"]', 400],
    ['urn:scim:schemas:extension:cisco:webexidentity:2.0:User:accountStatus eq "active"', 400],
    ['not (userName eq "x@example.com")', 400],
  ];
  for (const [filter, status] of filters) {
    it(`users filter ${filter} → ${status}${status === 400 ? ' invalidFilter' : ''}`, async () => {
      const res = await call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      assert.equal(res.status, status, JSON.stringify(res.body));
      if (status === 400) assert.equal(res.body['scimType'], 'invalidFilter');
    });
  }

  it('groups filter on displayName, not on externalId', async () => {
    assert.equal((await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Sales"')}`)).status, 200);
    const res = await call('GET', `/Groups?filter=${encodeURIComponent('externalId eq "g-1"')}`);
    assert.equal(res.status, 400);
    assert.equal(res.body['scimType'], 'invalidFilter');
  });
});

describe('local cloud, scim dialect: plain SCIM 2.0 for generic clients', function () {
  this.timeout(30_000);
  let f: CloudFixture;
  before(async () => {
    f = await startCloudFixture({ dialect: 'scim' });
  });
  after(async () => {
    await f?.close();
  });

  it('takes a user without userType and filters on externalId', async () => {
    const client = f.client();
    const created = await client.users.create({ schemas: [SCHEMA.user], userName: 'plain@example.com', externalId: 'ext-1' });
    assert.equal(created.userType, undefined);
    assert.equal(created[CISCO], undefined);
    const found = [];
    for await (const u of client.users.list({ filter: 'externalId eq "ext-1"' })) found.push(u.id);
    assert.deepEqual(found, [created.id]);
  });
});
