import { strict as assert } from 'node:assert';
import jpeg from 'jpeg-js';
import { formatGuid, formatSid } from '../../../server/src/domain/adValues';
import { extendedDn, describeEntry } from '../../../server/src/directory/describe';
import { isAccountDisabled } from '../../../server/src/domain/accountState';
import type { LdapSource } from '../../../server/src/directory/ldapSource';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, all, baseline, connect, first, keys, kindOf, ldapsearch, testDc } from '../../support/directory';

describe('directory: AD value decoding against Samba AD', () => {
  let f: SambaFixture;
  let src: LdapSource;
  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    src = await connect(f);
  });
  after(() => src?.close());

  const users = () => baseline().filter((r) => kindOf(r) === 'user' && !r.attributes.msExchResourceMetaData);

  it('formats objectGUID and objectSid as AD shows them (the extended DN control, string form)', async () => {
    const sam = String(first(users()[5]!, 'sAMAccountName'));
    // 1.2.840.113556.1.4.529 with flag 1: <GUID=string form>;<SID=S-1-5-…>;DN, as AD tools print.
    const out = await ldapsearch(f, ['-E', '!1.2.840.113556.1.4.529=::MAMCAQE=', `(sAMAccountName=${sam})`, '1.1']);
    const shown = Buffer.from(/^dn:: (.*)$/m.exec(out)![1]!, 'base64').toString('utf8');
    const [, guid, sid] = /^<GUID=([^>]+)>;<SID=([^>]+)>;/.exec(shown)!;
    const [e] = await all(src.search({ baseDns: [f.baseDn], filter: `(sAMAccountName=${sam})`, attributes: ['objectGUID', 'objectSid'] }));
    assert.ok(e!.attributes.objectguid![0] instanceof Uint8Array);
    assert.equal(formatGuid(e!.attributes.objectguid![0] as Uint8Array), guid);
    assert.equal(formatSid(e!.attributes.objectsid![0] as Uint8Array), sid);
    assert.match(sid!, /^S-1-5-21-\d+-\d+-\d+-\d+$/);
  });

  it("writes Directory Connector's event-log form <GUID=hex>;<SID=hex>;DN exactly as AD's hex extended DN", async () => {
    const sam = String(first(users()[7]!, 'sAMAccountName'));
    const out = await ldapsearch(f, ['-E', '!1.2.840.113556.1.4.529=::MAMCAQA=', `(sAMAccountName=${sam})`, '1.1']);
    const shown = Buffer.from(/^dn:: (.*)$/m.exec(out)![1]!, 'base64').toString('utf8');
    const [e] = await all(src.search({ baseDns: [f.baseDn], filter: `(sAMAccountName=${sam})`, attributes: ['objectGUID', 'objectSid'] }));
    assert.equal(extendedDn(e!), shown);
    assert.match(describeEntry(e!), /\(GUID [0-9a-f-]{36}, SID S-1-5-21-/);
  });

  it('returns the same bytes ldapsearch prints for binary attributes', async () => {
    const sam = String(first(users()[9]!, 'sAMAccountName'));
    const out = await ldapsearch(f, [`(sAMAccountName=${sam})`, 'objectGUID', 'objectSid']);
    const b64 = (a: string) => new Uint8Array(Buffer.from(new RegExp(`^${a}:: (.*)$`, 'm').exec(out)![1]!, 'base64'));
    const [e] = await all(src.search({ baseDns: [f.baseDn], filter: `(sAMAccountName=${sam})`, attributes: ['OBJECTGUID', 'objectsid'] }));
    assert.deepEqual(e!.attributes.objectguid, [b64('objectGUID')]);
    assert.deepEqual(e!.attributes.objectsid, [b64('objectSid')]);
  });

  it('reads thumbnailPhoto as the exact JPEG bytes that were loaded', async () => {
    const withPhoto = users().filter((r) => r.attributes.thumbnailPhoto);
    assert.ok(withPhoto.length > 100);
    const got = new Map<string, Uint8Array>();
    for await (const e of src.search({ baseDns: [OU.people], filter: '(thumbnailPhoto=*)', attributes: ['thumbnailPhoto'] })) {
      got.set(e.dn.toLowerCase(), e.attributes.thumbnailphoto![0] as Uint8Array);
    }
    assert.equal(got.size, withPhoto.length);
    for (const r of withPhoto) {
      const bytes = got.get(r.dn.toLowerCase());
      assert.ok(bytes instanceof Uint8Array, r.dn);
      assert.deepEqual(bytes, r.attributes.thumbnailPhoto![0]);
    }
    const img = jpeg.decode(Buffer.from([...got.values()][0]!));
    assert.equal(img.width, 96);
    assert.ok([...got.values()].every((b) => b.length < 100 * 1024));
  });

  it('decodes userAccountControl: bit 2 set ⇔ disabled, and the server-side bit-and rule agrees', async () => {
    const disabledSeeded = keys(
      baseline()
        .filter((r) => first(r, 'userAccountControl') === '514')
        .map((r) => r.dn),
    );
    const people = await all(
      src.search({ baseDns: [OU.corp], filter: '(&(objectCategory=person)(objectClass=user))', attributes: ['userAccountControl'] }),
    );
    const disabled = keys(people.filter((e) => isAccountDisabled(e, 'adds')).map((e) => e.dn));
    assert.deepEqual(disabled, disabledSeeded);
    const bitAnd = await all(src.search({ baseDns: [OU.corp], filter: '(userAccountControl:1.2.840.113556.1.4.803:=2)', attributes: [] }));
    assert.deepEqual(keys(bitAnd.map((e) => e.dn)), disabledSeeded);
    assert.ok(disabledSeeded.size > 50);
  });

  it('keeps non-ASCII text intact (names, cities, DNs with escaped commas)', async () => {
    const seeded = users().filter((r) => /[^\x00-\x7f]/.test(String(first(r, 'displayName'))));
    const byDn = new Map(
      (await all(src.search({ baseDns: [OU.people], filter: '(objectClass=user)', attributes: ['displayName', 'l'] }))).map((e) => [
        e.dn.toLowerCase(),
        e,
      ]),
    );
    assert.ok(seeded.length > 100);
    for (const r of seeded) {
      const e = byDn.get(r.dn.toLowerCase());
      assert.ok(e, r.dn);
      assert.deepEqual(e.attributes.displayname, r.attributes.displayName);
      assert.deepEqual(e.attributes.l, r.attributes.l);
    }
    assert.ok(users().some((r) => r.dn.includes('\\,')) && [...byDn.keys()].some((d) => d.includes('\\,')));
  });

  it('returns every value of multi-valued attributes', async () => {
    const rooms = await all(
      src.search({
        baseDns: [OU.rooms],
        filter: '(msExchResourceMetaData=ResourceType:Room)',
        attributes: ['msExchResourceMetaData', 'msRTCSIP-PrimaryUserAddress'],
      }),
    );
    assert.ok(rooms.length > 0);
    for (const r of rooms) {
      assert.equal(r.attributes.msexchresourcemetadata!.length, 2);
      assert.ok(r.attributes.msexchresourcemetadata!.includes('ResourceType:Room'));
      assert.match(String(r.attributes['msrtcsip-primaryuseraddress']![0]), /^sip:room-/);
    }
    const ceo = baseline().find((r) => first(r, 'title') === 'Chief Executive Officer')!;
    const [e] = await all(src.search({ baseDns: [ceo.dn], scope: 'base', filter: '(objectClass=*)', attributes: ['memberOf'] }));
    assert.ok(e!.attributes.memberof!.length >= 3);
  });

  it('retrieves all members of a group larger than 1,500 through ranged retrieval', async () => {
    const seeded = baseline().find((r) => first(r, 'cn') === 'All Staff')!;
    assert.ok(seeded.attributes.member!.length > 1500);
    // The server answers member;range=0-1499 first (what AD always does past MaxValRange).
    const raw = await ldapsearch(f, ['(cn=All Staff)', 'member;range=0-1499']);
    assert.match(raw, /^member;range=0-1499: /m);
    const [g] = await all(src.search({ baseDns: [OU.groups], filter: '(cn=All Staff)', attributes: ['member', 'cn'] }));
    assert.equal(g!.attributes.member!.length, seeded.attributes.member!.length);
    assert.deepEqual(keys(g!.attributes.member!.map(String)), keys(seeded.attributes.member!.map(String)));
    const direct = await all(src.groupMembers(g!.dn, { transitive: false }));
    assert.equal(direct.length, seeded.attributes.member!.length);
  });
});
