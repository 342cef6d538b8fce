import assert from 'node:assert/strict';
import { compileMapping, mapEntry, scimUserBody, validateValue, attributesNeeded } from '../../../../server/src/sync/plan/mapping';
import { newComplexOf, newElementOf, readScimPath, writeScimPath } from '../../../../server/src/sync/plan/scimPath';
import { config, guid, person } from '../../../support/planBuilders';

describe('sync mapping', () => {
  const cfg = config({
    cloud: { type: 'webex', url: 'http://127.0.0.1:9/identity/scim/o/v2', token: '${env:T}' },
    attributes: {
      mobile: 'mobile',
      c: 'c',
      departmentNumber: 'department',
      'emails;type-work': 'userPrincipalName',
      employeeNumber: 'employeeID',
    },
  });
  const mapping = compileMapping(cfg);

  it("maps an AD person to a SCIM user body on the seed table's paths", () => {
    const e = person(1, 'Ada Lovelace', {
      givenName: 'Ada',
      sn: 'Lovelace',
      telephoneNumber: '+44 20 1234',
      mobile: '+44 7700 1',
      c: 'GB',
      department: 'R&D',
      userPrincipalName: 'ada@corp.example.com',
      employeeID: 'E1',
      preferredLanguage: 'en_GB',
      'msRTCSIP-PrimaryUserAddress': 'sip:ada@corp.example.com',
    });
    const m = mapEntry(cfg, mapping, 'user', e);
    assert.deepEqual(m.errors, []);
    const body = scimUserBody(m);
    assert.equal(body['userName'], 'ada.lovelace@corp.example.com');
    assert.equal(body['externalId'], guid(1));
    assert.equal(body['active'], true);
    assert.deepEqual(body['name'], { givenName: 'Ada', familyName: 'Lovelace' });
    for (const [path, want] of [
      ['phoneNumbers[type eq "work"].value', '+44 20 1234'],
      ['phoneNumbers[type eq "mobile"].value', '+44 7700 1'],
      ['addresses[type eq "work"].country', 'GB'],
      ['emails[type eq "work"].value', 'ada@corp.example.com'],
      ['preferredLanguage', 'en_GB'],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'R&D'],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', 'E1'],
      ['urn:scim:schemas:extension:cisco:webexidentity:2.0:User:sipAddresses[type eq "enterprise"].value', 'sip:ada@corp.example.com'],
    ] as const)
      assert.equal(readScimPath(body, path), want, path);
    assert.ok((body['schemas'] as string[]).includes('urn:scim:schemas:extension:cisco:webexidentity:2.0:User'));
  });

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a phone with no digit', { telephoneNumber: 'n/a' }, /telephoneNumber "n\/a" has no digit/],
    ['a uid that is not an email', { mail: 'ada' }, /uid "ada" is not an email address/],
    ['a uid with markup', { mail: '<script>alert(1)</script>@corp.example.com' }, /uid "<script>.*" is not an email address/],
    ['a uid with a space', { mail: 'ada lovelace@corp.example.com' }, /is not an email address/],
    [
      'a displayName with an escape sequence',
      { displayName: 'Bob\u001b[2J' },
      /displayName contains the control character U\+001B at character 4/,
    ],
    ['a mobile number with a C1 control', { mobile: '+1 555\u009b' }, /mobile contains the control character U\+009B/],
    [
      'a uid of megabytes, cut in the message',
      { mail: `${'b'.repeat(1_000_000)}@x` },
      /uid "b{200}… \(1,000,002 characters\)" is not an email address/,
    ],
    ['an empty uid', { mail: '' }, /uid ← mail is empty/],
    ['a preferredLanguage not xx_YY', { preferredLanguage: 'english' }, /preferredLanguage "english" is not a language tag/],
  ];
  for (const [what, attrs, re] of cases) {
    it(`${what} is an error naming the DN`, () => {
      const m = mapEntry(cfg, mapping, 'user', person(2, 'Bob', attrs));
      assert.equal(m.errors.length, 1, m.errors.join());
      assert.match(m.errors[0]!, /^CN=Bob,OU=People,DC=corp,DC=example,DC=com: /);
      assert.match(m.errors[0]!, re);
    });
  }

  it('an objectGUID that is not 16 bytes is an error, never an externalId', () => {
    const e = person(4, 'Dee');
    const bad = { ...e, attributes: { ...e.attributes, objectguid: [Uint8Array.of(0xaa, 0xe8, 0xdd)] } };
    const m = mapEntry(cfg, mapping, 'user', bad);
    assert.deepEqual(m.errors, [
      'CN=Dee,OU=People,DC=corp,DC=example,DC=com: objectGUID is 3 bytes, not 16: the object cannot be linked to the cloud',
    ]);
    assert.equal(m.externalId, '');
  });

  it('line breaks (AD postal addresses) and tabs are not control characters to refuse', () => {
    const m = mapEntry(cfg, mapping, 'user', person(5, 'Eve', { street: 'Main St 1\r\nBuilding 2\tWest' }));
    assert.deepEqual(m.errors, []);
  });

  const active: Array<[string, Record<string, string>, 'user' | 'room', boolean]> = [
    ['UAC 512 → active', { userAccountControl: '512' }, 'user', true],
    ['UAC 514 (ACCOUNTDISABLE) → inactive', { userAccountControl: '514' }, 'user', false],
    ['a room (disabled mailbox) stays active', { userAccountControl: '514' }, 'room', true],
  ];
  for (const [what, attrs, type, want] of active) {
    it(what, () => assert.equal(mapEntry(cfg, mapping, type, person(3, 'C', attrs)).active, want));
  }

  it('rooms are SCIM users with userType room', () => {
    const body = scimUserBody(
      mapEntry(cfg, mapping, 'room', person(4, 'Room 1', { 'msRTCSIP-PrimaryUserAddress': 'sip:room1@corp.example.com' })),
    );
    assert.equal(body['userType'], 'room');
    assert.equal(
      readScimPath(body, 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User:sipAddresses[type eq "enterprise"].value'),
      'sip:room1@corp.example.com',
    );
  });

  it("on Webex every create says its userType, lists each extension once and gives Cisco's extension an accountStatus", () => {
    const CISCO = 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User';
    const room = scimUserBody(
      mapEntry(cfg, mapping, 'room', person(5, 'Room 2', { 'msRTCSIP-PrimaryUserAddress': 'sip:room2@corp.example.com' })),
      undefined,
      'webex',
    );
    assert.equal(room['userType'], 'room');
    assert.equal((room[CISCO] as Record<string, unknown>)['accountStatus'], 'active');
    const schemas = room['schemas'] as string[];
    assert.deepEqual(schemas, [...new Set(schemas)]);
    const user = scimUserBody(mapEntry(cfg, mapping, 'user', person(6, 'Dan', { department: 'Sales' })), undefined, 'webex');
    assert.equal(user['userType'], 'user');
    assert.equal(user[CISCO], undefined, 'no Cisco extension when nothing is written there');
    const generic = scimUserBody(mapEntry(cfg, mapping, 'user', person(7, 'Eve', {})), undefined, 'scim');
    assert.equal(generic['userType'], undefined);
  });

  it("a generic SCIM target gets no mapping to Cisco's Webex extension, and the report says so", () => {
    const scim = config({
      attributes: { 'sipAddresses;type=enterprise': 'msRTCSIP-PrimaryUserAddress', extensionAttribute1: 'department' },
    });
    const m = compileMapping(scim);
    assert.ok(!m.users.some((a) => a.scimPath.startsWith('urn:scim:schemas:extension:cisco:')));
    assert.deepEqual(
      m.problems.map((p) => p.split(':')[0]),
      ['attributes.sipAddresses;type=enterprise', 'attributes.extensionAttribute1'],
    );
  });

  it('newElementOf: a value-filtered path whose element the user lacks is added whole', () => {
    assert.deepEqual(newElementOf('phoneNumbers[type eq "mobile"].value', { 'phoneNumbers[type eq "work"].value': '+1' }), {
      path: 'phoneNumbers',
      base: { type: 'mobile' },
      sub: 'value',
    });
    assert.equal(newElementOf('addresses[type eq "work"].country', { 'addresses[type eq "work"].locality': 'Oslo' }), undefined);
    assert.equal(newElementOf('title', {}), undefined);
    assert.deepEqual(newElementOf('urn:scim:schemas:extension:cisco:webexidentity:2.0:User:sipAddresses[type eq "enterprise"].value', {}), {
      path: 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User:sipAddresses',
      base: { type: 'enterprise' },
      sub: 'value',
    });
  });

  it('newComplexOf: a sub-attribute whose parent the user lacks is added with its parent', () => {
    const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    assert.deepEqual(newComplexOf(`${ENT}:manager.value`, { [`${ENT}:department`]: 'Sales' }), { path: `${ENT}:manager`, sub: 'value' });
    assert.deepEqual(newComplexOf('name.givenName', {}), { path: 'name', sub: 'givenName' });
    assert.equal(newComplexOf('name.givenName', { 'name.familyName': 'Lee' }), undefined, 'the parent is there');
    assert.equal(newComplexOf('phoneNumbers[type eq "mobile"].value', {}), undefined, 'an element: newElementOf');
    assert.equal(newComplexOf('title', {}), undefined);
  });

  it('requests only the attributes the mapping reads', () => {
    const attrs = attributesNeeded(cfg, mapping, 'users').map((a) => a.toLowerCase());
    for (const a of ['mail', 'givenname', 'objectguid', 'useraccountcontrol', 'msexchresourcemetadata', 'employeeid'])
      assert.ok(attrs.includes(a), a);
    assert.ok(!attrs.includes('thumbnailphoto'));
    assert.deepEqual(
      attributesNeeded(cfg, mapping, 'groups')
        .map((a) => a.toLowerCase())
        .sort(),
      ['cn', 'displayname', 'mail', 'member', 'objectguid', 'objectsid'],
    );
  });

  it('validateValue table', () => {
    assert.equal(validateValue('language', 'fr-CA'), undefined);
    assert.equal(validateValue('phone', '+1 (555) 0100'), undefined);
    assert.ok(validateValue('email', 'a@b'));
    assert.equal(validateValue('sip', 'sip:room1@corp.example.com'), undefined);
    assert.equal(validateValue('sip', 'room1@corp.example.com'), undefined);
    for (const bad of ['sip:room1', '@corp.example.com', 'room1@', 'a@b@c'])
      assert.match(validateValue('sip', bad) ?? '', /is not a SIP address/, bad);
  });

  it('writeScimPath creates typed elements and extension containers', () => {
    const body: Record<string, unknown> = { schemas: [] };
    writeScimPath(body, 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User:extensionAttribute3', 'x');
    writeScimPath(body, 'addresses[type eq "work"].locality', 'Paris');
    writeScimPath(body, 'addresses[type eq "work"].country', 'FR');
    assert.deepEqual(body, {
      schemas: ['urn:scim:schemas:extension:cisco:webexidentity:2.0:User'],
      'urn:scim:schemas:extension:cisco:webexidentity:2.0:User': { extensionAttribute3: ['x'] },
      addresses: [{ type: 'work', locality: 'Paris', country: 'FR' }],
    });
  });
});
