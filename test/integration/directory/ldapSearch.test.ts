import { strict as assert } from 'node:assert';
import { DEFAULT_FILTERS } from '../../../server/src/language/config/defaults';
import { DirectoryError } from '../../../server/src/directory/errors';
import type { LdapSource } from '../../../server/src/directory/ldapSource';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, all, baseline, connect, first, keys, kindOf, testDc } from '../../support/directory';

describe('directory: searches against Samba AD', () => {
  let f: SambaFixture;
  let src: LdapSource;
  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    src = await connect(f);
  });
  after(() => src?.close());

  const search = (filter: string, attributes: string[] = [], baseDns = [f.baseDn]) => all(src.search({ baseDns, filter, attributes }));
  const seeded = (pred: (r: ReturnType<typeof baseline>[number]) => boolean) =>
    keys(
      baseline()
        .filter(pred)
        .map((r) => r.dn),
    );
  const isRoomish = (r: ReturnType<typeof baseline>[number]) => !!r.attributes.msExchResourceMetaData;

  it('DC default users filter: people and room/resource accounts, never computers', async () => {
    const got = await search(DEFAULT_FILTERS.users, ['objectClass']);
    const dns = keys(got.map((e) => e.dn));
    const expected = seeded((r) => kindOf(r) === 'user');
    for (const k of expected) assert.ok(dns.has(k), k);
    // Besides the seed: only the domain's built-in accounts in CN=Users (Administrator, Guest, krbtgt, dns-<host>).
    const extra = [...dns].filter((d) => !expected.has(d));
    assert.ok(extra.length >= 3 && extra.every((d) => d.endsWith(',cn=users,dc=corp,dc=example,dc=com')), extra.join('; '));
    assert.ok(got.every((e) => !e.attributes.objectclass!.includes('computer')));
    assert.ok(![...dns].some((d) => d.includes('ou=workstations') || d.includes('ou=domain controllers')));
    const computers = await search('(objectClass=computer)');
    assert.ok(computers.length >= seeded((r) => kindOf(r) === 'computer').size, 'computers exist and are objectClass=user too');
  });

  it('DC default groups filter: every seeded group, no critical system object', async () => {
    const got = await search(DEFAULT_FILTERS.groups, ['isCriticalSystemObject']);
    assert.deepEqual(
      keys(got.map((e) => e.dn)),
      seeded((r) => kindOf(r) === 'group'),
    );
    assert.ok(got.every((e) => e.attributes.iscriticalsystemobject === undefined));
    const critical = await search('(&(objectClass=group)(isCriticalSystemObject=TRUE))');
    assert.ok(
      critical.some((e) => /^CN=Domain Users,/i.test(e.dn)),
      'the built-in groups exist and are excluded',
    );
  });

  it('DC default contacts filter and rooms by msExchResourceMetaData', async () => {
    assert.deepEqual(
      keys((await search(DEFAULT_FILTERS.contacts)).map((e) => e.dn)),
      seeded((r) => kindOf(r) === 'contact'),
    );
    const rooms = keys((await search(DEFAULT_FILTERS.rooms)).map((e) => e.dn));
    assert.deepEqual(
      rooms,
      seeded((r) => isRoomish(r) && r.attributes.msExchResourceMetaData!.includes('ResourceType:Room')),
    );
    assert.ok(![...rooms].some((d) => d.includes('projector')), 'equipment mailboxes are not rooms');
  });

  it('memberOf matches direct membership only; the in-chain rule matches at every depth', async () => {
    const rnd = `CN=R&D,${OU.security}`;
    const direct = await search(`(memberOf=${rnd})`);
    assert.deepEqual(keys(direct.map((e) => e.dn)), keys([`CN=Engineering,${OU.departments}`, `CN=Research,${OU.departments}`]));
    const chain = await search(`(&(objectCategory=person)(memberOf:1.2.840.113556.1.4.1941:=${rnd}))`);
    const want = seeded((r) => kindOf(r) === 'user' && ['Engineering', 'Research'].includes(String(first(r, 'department'))));
    assert.deepEqual(keys(chain.map((e) => e.dn)), want);
    // Two levels down from "Webex Licensed": R&D → Engineering → people; groups included, as AD returns them.
    const licensed = `CN=Webex Licensed,${OU.security}`;
    const members = keys(await all(src.groupMembers(licensed, { transitive: true })));
    const seededLicensed = baseline().find((r) => r.dn === licensed)!;
    const expected = seeded((r) => kindOf(r) === 'user' && ['Engineering', 'Research', 'Sales'].includes(String(first(r, 'department'))));
    for (const m of seededLicensed.attributes.member!)
      expected.add(
        keys([String(m)])
          .values()
          .next().value!,
      );
    for (const g of ['Engineering', 'Research'])
      expected.add(
        keys([`CN=${g},${OU.departments}`])
          .values()
          .next().value!,
      );
    assert.deepEqual(members, expected);
  });

  it('pages with a small page size and yields the same entries', async () => {
    const small = await connect(f, { pageSize: 7 });
    try {
      const stream = small.search({ baseDns: [OU.contacts], filter: DEFAULT_FILTERS.contacts, attributes: ['cn'] });
      const a = await all(stream);
      const b = await search(DEFAULT_FILTERS.contacts, ['cn'], [OU.contacts]);
      assert.ok(a.length > 7 * 3);
      assert.equal(stream.summary.pages, Math.ceil(a.length / 7), 'one page per 7 entries');
      assert.deepEqual(keys(a.map((e) => e.dn)), keys(b.map((e) => e.dn)));
    } finally {
      await small.close();
    }
  });

  it('honours the size limit: an error after the limit, or a marked partial result when allowed', async () => {
    const stream = src.search({ baseDns: [OU.people], filter: '(objectClass=user)', attributes: ['cn'], sizeLimit: 10 });
    const seen: string[] = [];
    await assert.rejects(
      async () => {
        for await (const e of stream) seen.push(e.dn);
      },
      (err: unknown) => err instanceof DirectoryError && err.code === 'sizeLimitExceeded' && /incomplete/.test(err.message),
    );
    assert.equal(seen.length, 10);
    assert.equal(stream.summary.complete, false);
    const partial = src.search({
      baseDns: [OU.people],
      filter: '(objectClass=user)',
      attributes: ['cn'],
      sizeLimit: 10,
      allowPartial: true,
    });
    assert.equal((await all(partial)).length, 10);
    assert.deepEqual([partial.summary.truncated, partial.summary.complete], [true, false]);
  });

  it('requests only the attributes asked for, in any case, keys lower-case', async () => {
    const got = await search('(objectClass=user)', ['MAIL', 'displayName'], [OU.people]);
    assert.ok(got.length > 1000);
    for (const e of got) for (const k of Object.keys(e.attributes)) assert.ok(['mail', 'displayname'].includes(k), k);
    assert.ok(got.some((e) => e.attributes.mail) && got.some((e) => !e.attributes.mail), 'users without mail have no key, not []');
    const none = await search('(objectClass=user)', ['1.1'], [OU.rooms]);
    assert.ok(none.every((e) => Object.keys(e.attributes).length === 0));
  });

  it('counts, reports continuation references without following them, and reads the root DSE', async () => {
    assert.equal(
      await src.count({ baseDns: [OU.contacts], filter: DEFAULT_FILTERS.contacts }),
      seeded((r) => kindOf(r) === 'contact').size,
    );
    const stream = src.search({ baseDns: [f.baseDn], filter: '(cn=Alumni)', attributes: ['cn'] });
    assert.equal((await all(stream)).length, 1);
    assert.ok(
      stream.summary.references.some((r) => /CN=Configuration,DC=corp/i.test(r)),
      JSON.stringify(stream.summary.references),
    );
    assert.equal(stream.summary.complete, true);
    const dse = await src.rootDse();
    assert.equal(dse.defaultNamingContext, f.baseDn);
    assert.equal(dse.dnsHostName, f.fqdn);
    assert.match(dse.highestCommittedUSN ?? '', /^\d+$/);
    assert.ok(dse.supportedControls.includes('1.2.840.113556.1.4.319'), 'paged results control');
    const names = await src.schemaAttributeNames();
    for (const n of ['msExchResourceMetaData', 'msRTCSIP-PrimaryUserAddress', 'thumbnailPhoto', 'userAccountControl'])
      assert.ok(names.includes(n), n);
  });

  it('fails clearly on a base DN that does not exist and on a malformed filter', async () => {
    const base = `OU=Nowhere,${f.baseDn}`;
    await assert.rejects(
      search('(objectClass=user)', [], [base]),
      (err: unknown) =>
        err instanceof DirectoryError &&
        err.code === 'noSuchBase' &&
        err.message.includes(base) &&
        err.message.includes(f.ldapUrl) &&
        err.message.includes(f.bindDn),
    );
    await assert.rejects(search('(&(cn=a)', []), (err: unknown) => err instanceof DirectoryError && err.code === 'invalidFilter');
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    await assert.rejects(
      async () => {
        for await (const e of src.search({
          baseDns: [OU.people],
          filter: '(objectClass=user)',
          attributes: ['cn'],
          pageSize: 50,
          signal: ac.signal,
        })) {
          seen.push(e.dn);
          if (seen.length === 60) ac.abort();
        }
      },
      (err: unknown) => err instanceof DirectoryError && err.code === 'aborted',
    );
    assert.ok(seen.length < 200);
    // The connection stays usable after a cancelled search.
    assert.equal(
      await src.count({ baseDns: [OU.rooms], filter: DEFAULT_FILTERS.rooms }),
      seeded((r) => isRoomish(r) && r.attributes.msExchResourceMetaData!.includes('ResourceType:Room')).size,
    );
  });
});
