import { strict as assert } from 'node:assert';
import { isUnder, normalizedRdns, dnEquals as sameDn } from '../../../server/src/domain/dn';

describe('base-DN scoping', () => {
  it('compares case-insensitively with escapes and spacing normalized', () => {
    assert.ok(sameDn('CN=Zoë Müller,OU=People,DC=corp', 'cn=ZOË MÜLLER, ou=people, dc=CORP'));
    assert.ok(sameDn('CN=Hopper\\, Grace,DC=corp', 'cn=Hopper\\2C Grace,dc=corp'));
    assert.deepEqual(normalizedRdns('uid=b+CN=a,DC=x'), normalizedRdns('cn=a+uid=b,dc=X'));
    assert.throws(() => normalizedRdns('not a dn'), /not a valid DN/);
  });

  it('tells subtree membership by whole RDNs, not string suffixes', () => {
    assert.ok(isUnder('CN=a,OU=People,DC=corp,DC=example,DC=com', 'ou=people,dc=corp,dc=example,dc=com'));
    assert.ok(isUnder('DC=corp,DC=example,DC=com', 'DC=corp,DC=example,DC=com'));
    assert.ok(!isUnder('CN=a\\,DC=com', 'DC=com'));
    assert.ok(!isUnder('OU=NotPeople,DC=corp', 'OU=People,DC=corp'));
    assert.ok(!isUnder('OU=People,DC=corp', 'CN=x,OU=People,DC=corp'));
  });
});
