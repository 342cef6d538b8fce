import { strict as assert } from 'node:assert';
import { dnEquals, looksLikeDn, normalizeDn, parseDn } from '../../../server/src/domain/dn';

describe('distinguished names', () => {
  it('parses RDNs, multi-valued RDNs and escapes', () => {
    assert.deepEqual(parseDn('CN=Smith\\, John+UID=js,OU=People,DC=corp'), [
      [
        { type: 'CN', value: 'Smith, John' },
        { type: 'UID', value: 'js' },
      ],
      [{ type: 'OU', value: 'People' }],
      [{ type: 'DC', value: 'corp' }],
    ]);
    assert.deepEqual(parseDn('cn=Lu\\C4\\8Di\\C4\\87'), [[{ type: 'cn', value: 'Lučić' }]]);
    assert.deepEqual(parseDn(''), []);
  });
  it('compares without case and spacing around separators', () => {
    assert.ok(
      dnEquals(
        'CN=Example-manager,OU=Example,OU=Security Group,DC=COMPANY',
        'cn=example-manager, ou=example,ou=security group, dc=company',
      ),
    );
    assert.ok(dnEquals('2.5.4.3=Ada,DC=x', 'CN=ada,dc=X'));
    assert.ok(dnEquals('CN=a+SN=b,DC=x', 'SN=b+CN=a,DC=x'));
    assert.ok(!dnEquals('CN=Security Group,DC=x', 'CN=SecurityGroup,DC=x'));
    assert.ok(!dnEquals('CN=a,DC=x', 'CN=a,DC=y'));
    assert.equal(normalizeDn('CN=A , DC=B'), 'cn=a,dc=b');
  });
  it('tells DNs from other text', () => {
    assert.ok(looksLikeDn('CN=Sales,OU=Groups,DC=corp'));
    assert.ok(!looksLikeDn('Sales'));
    assert.ok(!looksLikeDn('ResourceType:Room'));
    assert.ok(!looksLikeDn(''));
  });
});
