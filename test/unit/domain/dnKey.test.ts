import assert from 'node:assert/strict';
import { dnKey, normalizeDn, ownString } from '../../../server/src/domain/dn';

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

  it('gives DNs whose only escapes are \\, the key the full normalizer gives', () => {
    const dns = [
      'CN=Kierkegaard\\, Søren,OU=Staff,DC=corp,DC=example,DC=com',
      'cn = Doe\\,Jane , ou=Staff,dc=corp',
      'CN=Doe \\, Jane,OU=Staff,DC=corp',
      'CN=\\,lead,DC=x',
      'CN=trail\\,,DC=x',
      'CN=Zoe\u0308 Smith\\, Jr,DC=x',
      'OID.2.5.4.3=Doe\\, Jane,DC=x',
      'CN=Ünïcödé\\, ÅSA,OU=Europe,DC=corp',
      'CN=,DC=x',
    ];
    for (const dn of dns) assert.equal(dnKey(dn), normalizeDn(dn) ?? dn.toLowerCase(), dn);
    // Not for the fast path: other escapes, quotes, multi-valued RDNs, an escaped backslash.
    for (const dn of ['CN=a\\\\,DC=x', 'CN=a\\2C b,DC=x', 'CN=a+UID=b,DC=x', 'CN="a,b",DC=x', 'CN=a\\, b\\+c,DC=x'])
      assert.equal(dnKey(dn), normalizeDn(dn) ?? dn.toLowerCase(), dn);
    assert.equal(dnKey('CN=Doe\\, Jane,OU=Staff,DC=corp'), dnKey('cn=doe\\2c jane,ou=staff,dc=corp'));
  });

  it('keys plain DNs as trimming every type and value and lower-casing does, with or without blanks to trim', () => {
    // The plain key spelled out: split at commas, each RDN's type and value trimmed, joined, lower-cased.
    const reference = (dn: string) => {
      const parts = dn.split(',');
      if (parts.some((p) => !p.includes('='))) return normalizeDn(dn) ?? dn.toLowerCase();
      return parts
        .map((p) => `${p.slice(0, p.indexOf('=')).trim()}=${p.slice(p.indexOf('=') + 1).trim()}`)
        .join(',')
        .toLowerCase();
    };
    let seed = 7;
    const r = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pieces = ['CN', 'ou', 'DC', 'Zoë', 'Ünal', 'a b', '', ' ', '\t', '\u00a0', '\u2003', ',', '=', 'x', 'Åsa'];
    for (let n = 0; n < 5000; n++) {
      const dn = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pieces[Math.floor(r() * pieces.length)]!).join('');
      assert.equal(dnKey(dn), reference(dn), JSON.stringify(dn));
    }
    for (const dn of [
      'CN=Ada,OU=People,DC=corp',
      ' CN=Ada,DC=corp',
      'CN=Ada,DC=corp ',
      'CN =Ada,DC=corp',
      'CN=Ada ,DC=corp',
      'CN=Ada,x',
      'CN=Ada,',
      '',
    ])
      assert.equal(dnKey(dn), reference(dn), JSON.stringify(dn));
  });

  it('ownString keeps the value', () => {
    const big = 'x'.repeat(1000) + 'CN=Someone,OU=People,DC=corp';
    assert.equal(ownString(big.slice(1000)), 'CN=Someone,OU=People,DC=corp');
    assert.equal(ownString(undefined), undefined);
  });
});
