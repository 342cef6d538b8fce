import { strict as assert } from 'node:assert';
import { parseAttributeDescription, toDirectoryEntry } from '../../../server/src/directory/convert';
import { extendedDn } from '../../../server/src/directory/describe';
import { isAccountDisabled, accountStateAttributes } from '../../../server/src/domain/accountState';
import { checkFilter } from '../../../server/src/directory/ldapSource';
import { DirectoryError } from '../../../server/src/directory/errors';

describe('directory entry conversion and account state', () => {
  it('parses ranged attribute descriptions (MS-ADTS §3.1.1.3.1.3.3)', () => {
    assert.deepEqual(parseAttributeDescription('member;range=0-1499'), { name: 'member', range: { low: 0, high: 1499 } });
    assert.deepEqual(parseAttributeDescription('Member;Range=1500-*'), { name: 'member', range: { low: 1500, high: '*' } });
    assert.deepEqual(parseAttributeDescription('thumbnailPhoto;binary'), { name: 'thumbnailphoto' });
  });

  it('converts ldapts entries: lower-case keys, bytes for binary, empty attributes dropped, pending ranges', () => {
    const { entry, pending } = toDirectoryEntry(
      {
        dn: 'CN=G,DC=x',
        cn: 'G',
        'member;range=0-1499': ['CN=a,DC=x', 'CN=b,DC=x'],
        objectGUID: Buffer.from('00112233445566778899aabbccddeeff', 'hex'),
        description: [],
      },
      (n) => n === 'objectguid',
    );
    assert.deepEqual(Object.keys(entry.attributes).sort(), ['cn', 'member', 'objectguid']);
    assert.ok(entry.attributes.objectguid![0] instanceof Uint8Array && !Buffer.isBuffer(entry.attributes.objectguid![0]));
    assert.deepEqual(pending, [{ name: 'member', next: 1500 }]);
  });

  it("writes the event log's extended DN form (seed 000)", () => {
    const guid = Uint8Array.from(Buffer.from('4d0f0e832c49e8419e960370daaa877b', 'hex'));
    const sid = Uint8Array.from(Buffer.from('01050000000000051500000050adcf899923227e7ffaa5b631050000', 'hex'));
    assert.equal(
      extendedDn({
        dn: 'CN=Webex User 1,OU=Webex,OU=End Users,DC=vizcainovich,DC=com',
        attributes: { objectguid: [guid], objectsid: [sid] },
      }),
      '<GUID=4d0f0e832c49e8419e960370daaa877b>;<SID=01050000000000051500000050adcf899923227e7ffaa5b631050000>;CN=Webex User 1,OU=Webex,OU=End Users,DC=vizcainovich,DC=com',
    );
  });

  it('tells disabled accounts apart in AD DS and AD LDS', () => {
    assert.equal(isAccountDisabled({ dn: 'x', attributes: { useraccountcontrol: ['514'] } }, 'adds'), true);
    assert.equal(isAccountDisabled({ dn: 'x', attributes: { useraccountcontrol: ['66048'] } }, 'adds'), false);
    assert.equal(isAccountDisabled({ dn: 'x', attributes: { 'msds-useraccountdisabled': ['TRUE'] } }, 'adlds'), true);
    assert.equal(isAccountDisabled({ dn: 'x', attributes: { 'ds-pwp-account-disabled': ['true'] } }, 'adlds'), true);
    assert.equal(isAccountDisabled({ dn: 'x', attributes: { 'msds-useraccountdisabled': ['FALSE'] } }, 'adlds'), false);
    assert.ok(accountStateAttributes('adlds').includes('msDS-UserAccountDisabled'));
  });

  it('refuses filters whose parentheses do not balance (ldapts would close them silently)', () => {
    for (const ok of ['(cn=a)', '(&(cn=a\\29)(sn=b))', ' (cn=*) ']) checkFilter(ok, 'u');
    for (const bad of ['(&(cn=a)', 'cn=a', '(cn=a))', '(cn=a)(sn=b)', '(cn=a) x']) {
      assert.throws(
        () => checkFilter(bad, 'u'),
        (e: unknown) => e instanceof DirectoryError && e.code === 'invalidFilter',
        bad,
      );
    }
  });
});
