import { strict as assert } from 'node:assert';
import { AD_ATTRIBUTES, findAdAttribute } from '../../../server/src/domain/adSchema';
import { CLOUD_ATTRIBUTES, findCloudAttribute, SCIM_CISCO, SCIM_ENTERPRISE } from '../../../server/src/domain/cloudAttributes';

describe('language catalogs: cloud attributes and AD schema', () => {
  const PATHS: Array<[string, string]> = [
    ['uid', 'userName'],
    ['emails;type-work', 'emails[type eq "work"].value'],
    ['displayName', 'displayName'],
    ['givenName', 'name.givenName'],
    ['sn', 'name.familyName'],
    ['title', 'title'],
    ['departmentNumber', `${SCIM_ENTERPRISE}:department`],
    ['manager', `${SCIM_ENTERPRISE}:manager.value`],
    ['employeeNumber', `${SCIM_ENTERPRISE}:employeeNumber`],
    ['o', `${SCIM_ENTERPRISE}:organization`],
    ['ou', `${SCIM_ENTERPRISE}:division`],
    ['telephoneNumber', 'phoneNumbers[type eq "work"].value'],
    ['mobile', 'phoneNumbers[type eq "mobile"].value'],
    ['facsimileTelephoneNumber', 'phoneNumbers[type eq "fax"].value'],
    ['street', 'addresses[type eq "work"].streetAddress'],
    ['l', 'addresses[type eq "work"].locality'],
    ['st', 'addresses[type eq "work"].region'],
    ['postalCode', 'addresses[type eq "work"].postalCode'],
    ['c', 'addresses[type eq "work"].country'],
    ['preferredLanguage', 'preferredLanguage'],
    ['locale', 'locale'],
    ['timezone', 'timezone'],
    ['jabberID', 'ims[type eq "xmpp"].value'],
    ['ds-pwp-account-disabled', 'active'],
    ['sipAddresses;type=enterprise', `${SCIM_CISCO}:sipAddresses[type eq "enterprise"].value`],
    ['externalId', 'externalId'],
    ['extensionAttribute1', `${SCIM_CISCO}:extensionAttribute1`],
    ['extensionAttribute15', `${SCIM_CISCO}:extensionAttribute15`],
  ];

  for (const [name, path] of PATHS) {
    it(`${name} → ${path}`, () => assert.equal(findCloudAttribute(name)?.scimPath, path));
  }

  it('marks uid required, the account state inverted and manager a DN to resolve', () => {
    assert.deepEqual(
      CLOUD_ATTRIBUTES.filter((a) => a.required).map((a) => a.name),
      ['uid'],
    );
    assert.equal(findCloudAttribute('ds-pwp-account-disabled')?.inverted, true);
    assert.equal(findCloudAttribute('manager')?.resolvesDn, true);
    assert.equal(findCloudAttribute('preferredLanguage')?.kind, 'language');
    assert.equal(findCloudAttribute('sipAddresses;type=enterprise')?.kind, 'sip');
  });

  it("writes only attributes Webex's schemas have: nothing onto userType (an enum there), nothing Cisco's extension lacks", () => {
    for (const name of ['employeeType', 'physicalDeliveryOfficeName', 'buildingName'])
      assert.equal(findCloudAttribute(name), undefined, name);
    assert.deepEqual(
      CLOUD_ATTRIBUTES.filter((a) => a.scimPath === 'userType').map((a) => a.name),
      [],
    );
  });

  it('has no duplicate names and a note for each', () => {
    const names = CLOUD_ATTRIBUTES.map((a) => a.name.toLowerCase());
    assert.equal(new Set(names).size, names.length);
    assert.ok(CLOUD_ATTRIBUTES.every((a) => a.notes.length > 10));
  });

  it('knows common AD, Exchange and Lync attributes with syntax and multiplicity', () => {
    assert.deepEqual(findAdAttribute('MSRTCSIP-PrimaryUserAddress'), {
      name: 'msRTCSIP-PrimaryUserAddress',
      syntax: 'string',
      singleValued: true,
      description: findAdAttribute('msRTCSIP-PrimaryUserAddress')!.description,
    });
    assert.equal(findAdAttribute('thumbnailPhoto')?.syntax, 'binary');
    assert.equal(findAdAttribute('manager')?.syntax, 'dn');
    assert.equal(findAdAttribute('memberOf')?.singleValued, false);
    assert.equal(findAdAttribute('whenChanged')?.syntax, 'time');
    assert.equal(findAdAttribute('userAccountControl')?.syntax, 'integer');
    assert.equal(findAdAttribute('msExchResourceMetaData')?.singleValued, false);
    assert.equal(findAdAttribute('ipPhone')?.syntax, 'string');
    assert.equal(findAdAttribute('mail')?.emailFormat, true);
    assert.equal(findAdAttribute('sAMAccountName')?.emailFormat, undefined);
    assert.equal(findAdAttribute('userCertificate;binary')?.syntax, 'binary', 'options ignored');
    const names = AD_ATTRIBUTES.map((a) => a.name.toLowerCase());
    assert.equal(new Set(names).size, names.length, 'no duplicates');
    assert.ok(AD_ATTRIBUTES.length > 120);
  });
});
