import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FILTERS } from '../../../server/src/language/config/defaults';
import { DirectoryError } from '../../../server/src/directory/errors';
import type { LdapSource } from '../../../server/src/directory/ldapSource';
import { LdifSource } from '../../../server/src/directory/ldifSource';
import type { DirectoryEntry } from '../../../server/src/domain/entry';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, all, connect, ldapsearch, testDc } from '../../support/directory';

/** Entries keyed by lower-case DN, values in order: what "the same result" means. */
function byDn(entries: DirectoryEntry[]): Map<string, DirectoryEntry['attributes']> {
  return new Map(entries.map((e) => [e.dn.toLowerCase(), e.attributes]));
}

describe('directory: the LDIF source selects what AD selects (ldapsearch export of the fixture)', () => {
  let f: SambaFixture;
  let ldap: LdapSource;
  let ldif: LdifSource;
  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    ldap = await connect(f);
    // The export an administrator would make: ldapsearch's own LDIF (folded at 76, base64 where needed).
    const text = await ldapsearch(f, ['-o', 'ldif-wrap=76', '(objectClass=*)', '*']);
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-ldif-'));
    writeFileSync(join(dir, 'export.ldif'), `# ldapsearch export\nversion: 1\n\n${text.replace(/^-LLL.*\n/, '')}`);
    ldif = await LdifSource.open({ path: join(dir, 'export.ldif'), displayName: 'ldif:./export.ldif' });
  });
  after(() => ldap?.close());

  const attributes = [
    'cn',
    'mail',
    'displayName',
    'userAccountControl',
    'objectGUID',
    'objectSid',
    'thumbnailPhoto',
    'memberOf',
    'msExchResourceMetaData',
  ];
  const cases: Array<[string, string, string?]> = [
    ['DC default users', DEFAULT_FILTERS.users],
    ['DC default groups', DEFAULT_FILTERS.groups],
    ['DC default contacts', DEFAULT_FILTERS.contacts],
    ['rooms', DEFAULT_FILTERS.rooms],
    ['disabled (bit-and)', '(&(objectCategory=person)(userAccountControl:1.2.840.113556.1.4.803:=2))'],
    ['bit-or', '(userAccountControl:1.2.840.113556.1.4.804:=4098)'],
    ['direct memberOf', `(memberOf=CN=R&D,${OU.security})`],
    ['in-chain memberOf', `(&(objectCategory=person)(memberOf:1.2.840.113556.1.4.1941:=CN=Webex Licensed,${OU.security}))`],
    ['non-ASCII equality, any case', '(|(l=kraków)(L=MÜNCHEN)(sn=李))'],
    ['substrings and presence', '(&(mail=*@corp.example.com)(displayName=Zo*)(thumbnailPhoto=*))'],
    ['negation and ranges', '(&(objectClass=user)(!(department=Sales))(employeeNumber>=101500))'],
    ['scoped to an OU', DEFAULT_FILTERS.users, OU.region('Asia')],
  ];
  for (const [name, filter, base] of cases) {
    it(`${name}: ${filter}`, async () => {
      const req = { baseDns: [base ?? f.baseDn], filter, attributes };
      const fromLdif = await all(ldif.search(req));
      const fromLdap = await all(ldap.search(req));
      assert.ok(fromLdap.length > 0, 'the case selects something');
      assert.deepEqual(byDn(fromLdif), byDn(fromLdap));
    });
  }

  it('scopes, projects, limits and fails like the LDAP source', async () => {
    assert.equal(
      await ldif.count({ baseDns: ['ou=ROOMS,ou=resources,OU=Corp,dc=corp,DC=example,DC=com'], filter: DEFAULT_FILTERS.rooms }),
      await ldap.count({ baseDns: [OU.rooms], filter: DEFAULT_FILTERS.rooms }),
    );
    const one = await all(ldif.search({ baseDns: [OU.people], scope: 'one', filter: '(objectClass=*)', attributes: ['ou'] }));
    assert.deepEqual(one.map((e) => e.attributes.ou?.[0]).sort(), ['Americas', 'Asia', 'Europe']);
    const partial = ldif.search({
      baseDns: [OU.people],
      filter: '(objectClass=user)',
      attributes: ['cn'],
      sizeLimit: 5,
      allowPartial: true,
    });
    assert.equal((await all(partial)).length, 5);
    assert.equal(partial.summary.complete, false);
    await assert.rejects(
      all(ldif.search({ baseDns: [OU.people], filter: '(objectClass=user)', attributes: [], sizeLimit: 5 })),
      (e: unknown) => e instanceof DirectoryError && e.code === 'sizeLimitExceeded',
    );
    await assert.rejects(
      all(ldif.search({ baseDns: [`OU=Nowhere,${f.baseDn}`], filter: '(objectClass=*)', attributes: [] })),
      (e: unknown) => e instanceof DirectoryError && e.code === 'noSuchBase' && e.message.includes('ldif:./export.ldif'),
    );
    const members = await all(ldif.groupMembers(`CN=Webex Licensed,${OU.security}`, { transitive: true }));
    const fromAd = await all(ldap.groupMembers(`CN=Webex Licensed,${OU.security}`, { transitive: true }));
    assert.deepEqual(new Set(members.map((d) => d.toLowerCase())), new Set(fromAd.map((d) => d.toLowerCase())));
    const dse = await ldif.rootDse();
    assert.equal(dse.defaultNamingContext, f.baseDn);
    assert.ok((await ldif.schemaAttributeNames()).includes('msExchResourceMetaData'));
  });
});
