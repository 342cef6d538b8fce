import { strict as assert } from 'node:assert';
import { isEmail, parseDirectoryUrl, parseDuration } from '../../../../server/src/language/config/formats';
import { checkDn, dnKey as normalizeDn } from '../../../../server/src/domain/dn';
import { parseSecretRef, secretEnvName } from '../../../../common/secretRef';

describe('language/config/formats', () => {
  it('parses directory URLs', () => {
    assert.deepEqual(parseDirectoryUrl('ldaps://dc1.example.com'), { kind: 'ldap', secure: true, host: 'dc1.example.com', port: 636 });
    assert.deepEqual(parseDirectoryUrl('ldap://10.0.0.5:3268'), { kind: 'ldap', secure: false, host: '10.0.0.5', port: 3268 });
    assert.deepEqual(parseDirectoryUrl('ldif:./data/corp.ldif'), { kind: 'ldif', path: './data/corp.ldif' });
    for (const bad of ['http://dc1', 'ldap://', 'ldaps://dc1/DC=example', 'ldif:', 'ldap://dc1:99999']) {
      assert.ok('error' in (parseDirectoryUrl(bad) as object), bad);
    }
  });

  it('parses secret references and spots literals', () => {
    assert.deepEqual(parseSecretRef('${env:DIRSYNC_TOKEN}'), { kind: 'env', name: 'DIRSYNC_TOKEN', text: '${env:DIRSYNC_TOKEN}' });
    const s = parseSecretRef('${secret:webex-token}');
    assert.deepEqual(s, { kind: 'secret', key: 'webex-token', text: '${secret:webex-token}' });
    assert.equal(secretEnvName(s as never), 'DIRSYNC_SECRET_WEBEX_TOKEN');
    assert.equal(parseSecretRef('hunter2'), 'literal');
    assert.ok(typeof parseSecretRef('${env:1BAD}') === 'object' && 'error' in (parseSecretRef('${env:1BAD}') as object));
    assert.ok('error' in (parseSecretRef('${vault:x}') as object));
  });

  it('parses durations', () => {
    assert.equal(parseDuration('4h'), 14400);
    assert.equal(parseDuration('30m'), 1800);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('7d'), 604800);
    for (const bad of ['', '4', 'h', '0m', '4 hours', '30m4h']) assert.equal(parseDuration(bad), undefined, bad);
  });

  it('checks DNs (RFC 4514)', () => {
    for (const ok of [
      'DC=example,DC=com',
      'CN=Smith\\, John,OU=Staff,DC=example,DC=com',
      'CN=a+UID=b,O=x',
      'OU=Security Group,DC=COMPANY',
      'CN=\\23hash,DC=x',
      '2.5.4.3=x,DC=y',
    ]) {
      assert.equal(checkDn(ok), undefined, ok);
    }
    for (const bad of ['', 'example.com', 'DC=example,', 'CN=a,,DC=b', '=x', 'CN=a;b', 'CN=a\\q']) assert.ok(checkDn(bad), bad);
  });

  it('checks email addresses', () => {
    for (const ok of ['a@example.com', 'first.last+tag@sub.example.co.uk']) assert.ok(isEmail(ok), ok);
    for (const bad of ['a@example', '@example.com', 'a@@example.com', 'a b@example.com', 'a..b@example.com', 'a@-x.com'])
      assert.ok(!isEmail(bad), bad);
  });

  it("compares config DNs by the planner's key: case and blanks around separators ignored", () => {
    assert.equal(normalizeDn('CN=John Smith , OU=Staff'), 'cn=john smith,ou=staff');
    assert.equal(normalizeDn(' CN = a ,OU=b '), normalizeDn('cn=a,ou=b'));
    assert.notEqual(normalizeDn('CN=John  Smith,OU=Staff'), normalizeDn('CN=John Smith,OU=Staff'));
  });

  it('re-checks the domain of an address when it changes (isEmail remembers the last domain)', () => {
    // Alternate good and bad domains, and repeat each, so every answer comes once from the memo.
    const table: Array<[string, boolean]> = [
      ['a@example.com', true],
      ['b@example.com', true],
      ['a@example..com', false],
      ['b@example..com', false],
      ['a@example.com', true],
      ['a@-example.com', false],
      ['a@EXAMPLE.com', true],
      ['a@localhost', false],
      ['a@localhost', false],
      ['bad local@example.com', false],
      ['a@example.com', true],
    ];
    for (const [address, ok] of table) assert.equal(isEmail(address), ok, address);
  });
});
