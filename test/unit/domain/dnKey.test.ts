import assert from 'node:assert/strict';
import { dnKey, ownString } from '../../../server/src/domain/dn';

describe('sync dnKey', () => {
  const same: Array<[string, string]> = [
    ['CN=Ada Lovelace,OU=People,DC=corp,DC=example,DC=com', 'cn=ada lovelace, ou=People,dc=CORP,dc=example,dc=com'],
    ['CN=Hopper\\, Grace,OU=People,DC=corp,DC=example,DC=com', 'cn=hopper\\, grace,ou=people,dc=corp,dc=example,dc=com'],
    ['CN=Zoë Ünal,OU=Europe,DC=corp,DC=example,DC=com', 'CN=ZOË ÜNAL,OU=Europe,DC=corp,DC=example,DC=com'],
  ];
  for (const [a, b] of same) it(`${a} ≡ ${b}`, () => assert.equal(dnKey(a), dnKey(b)));

  const different: Array<[string, string]> = [
    ['CN=Ada,OU=People,DC=corp,DC=example,DC=com', 'CN=Ada,OU=Europe,DC=corp,DC=example,DC=com'],
    ['CN=Hopper\\, Grace,OU=People,DC=corp,DC=example,DC=com', 'CN=Hopper,CN=Grace,OU=People,DC=corp,DC=example,DC=com'],
  ];
  for (const [a, b] of different) it(`${a} ≢ ${b}`, () => assert.notEqual(dnKey(a), dnKey(b)));

  it('ownString keeps the value', () => {
    const big = 'x'.repeat(1000) + 'CN=Someone,OU=People,DC=corp';
    assert.equal(ownString(big.slice(1000)), 'CN=Someone,OU=People,DC=corp');
    assert.equal(ownString(undefined), undefined);
  });
});
