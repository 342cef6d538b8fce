/**
 * The AD attribute source on entries read from real directories: the sample LDIF export, the Samba
 * AD DC's seeded baseline (read-only), and a user of our own whose thumbnailPhoto is set, changed
 * and cleared — each state fetched back over LDAP, decided, and round-tripped through the local
 * cloud, with the seed's event lines for the removal.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { avatarRemovalEvents } from '../../../server/src/avatars/events';
import { applyAvatar, planAvatar } from '../../../server/src/avatars/run';
import { createAttributeSource, type AvatarFetchResult } from '../../../server/src/avatars/sources';
import { avatarStateKey, type AvatarStateRecord } from '../../../server/src/avatars/changes';
import { avatarEndpointTarget, photoUrlOf } from '../../../server/src/avatars/targets';
import { makeThumbnail, THUMBNAIL_MAX_CHARS } from '../../../server/src/avatars/thumbnail';
import type { LdapSource } from '../../../server/src/directory/ldapSource';
import { LdifSource } from '../../../server/src/directory/ldifSource';
import { formatGuid, formatSid, toHex } from '../../../server/src/domain/adValues';
import type { DirectoryEntry } from '../../../server/src/domain/entry';
import type { SambaFixture } from '../../fixtures/samba';
import { jpegBytes } from '../../support/avatarImages';
import { startCloudFixture, user, type CloudFixture } from '../../support/cloud';
import { all, baseline, connect, OU, testDc } from '../../support/directory';

const MAX = 10 * 1024 * 1024 - 1;
const source = createAttributeSource({ attribute: 'thumbnailPhoto', maxBytes: MAX });
const ATTRS = ['cn', 'mail', 'objectGUID', 'objectSid', 'thumbnailPhoto'];

async function fetchAll(entries: DirectoryEntry[]): Promise<AvatarFetchResult[]> {
  return Promise.all(entries.map((e) => source.fetch(e)));
}

describe('avatars: the AD attribute source on the sample LDIF export', () => {
  it('reads every thumbnailPhoto as a checked 96×96 JPEG; users without one are "No image data"', async () => {
    const ldif = await LdifSource.open({ path: join(__dirname, '../../../sample-configs/data/corp.example.com.ldif') });
    // The export has no entry for the domain root itself, so the search starts at OU=Corp.
    const users = await all(
      ldif.search({
        baseDns: ['OU=Corp,DC=corp,DC=example,DC=com'],
        filter: '(&(objectClass=user)(objectCategory=person))',
        attributes: ATTRS,
      }),
    );
    const withPhoto = users.filter((u) => u.attributes['thumbnailphoto']);
    assert.ok(withPhoto.length >= 5, `the sample ships users with thumbnailPhoto (${withPhoto.length})`);
    const results = await fetchAll(users);
    const images = results.filter((r) => r.kind === 'image');
    assert.equal(images.length, withPhoto.length, JSON.stringify(results.filter((r) => r.kind === 'failed')));
    for (const r of images) {
      assert.ok(r.kind === 'image');
      assert.deepEqual([r.format, r.width, r.height], ['jpeg', 96, 96]);
      const t = makeThumbnail(r);
      assert.ok(t.thumbnail && t.thumbnail.length <= THUMBNAIL_MAX_CHARS);
    }
    const empties = results.filter((r) => r.kind === 'empty');
    assert.equal(empties.length, users.length - withPhoto.length);
    assert.ok(empties.every((r) => r.kind === 'empty' && r.reason === 'No image data'));
  });
});

describe('avatars: the AD attribute source against the Samba AD DC', () => {
  let f: SambaFixture;
  let ldap: LdapSource;
  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    ldap = await connect(f);
  });
  after(() => ldap?.close());

  it('reads the seeded baseline: exactly the users loaded with a thumbnailPhoto have a picture, byte for byte', async () => {
    const users = await all(
      ldap.search({ baseDns: [OU.people], filter: '(&(objectClass=user)(objectCategory=person))', attributes: ATTRS }),
    );
    const seeded = new Map(
      baseline()
        .filter((r) => r.attributes['thumbnailPhoto'])
        .map((r) => [r.dn.toLowerCase(), r.attributes['thumbnailPhoto']![0]]),
    );
    const results = await fetchAll(users);
    let images = 0;
    users.forEach((u, i) => {
      const r = results[i]!;
      const want = seeded.get(u.dn.toLowerCase());
      if (want === undefined) {
        assert.equal(r.kind, 'empty', u.dn);
        return;
      }
      assert.equal(r.kind, 'image', `${u.dn}: ${r.kind === 'failed' ? r.error.message : r.kind}`);
      assert.ok(r.kind === 'image');
      assert.deepEqual(Buffer.from(r.bytes), Buffer.from(want as Uint8Array));
      images++;
    });
    assert.ok(images > 100, `${images} users with pictures`);
  });

  describe('a user of our own: thumbnailPhoto set, changed, cleared', () => {
    let admin: Client;
    let cloud: CloudFixture;
    const ou = `OU=avatars-${process.pid}-${randomBytes(3).toString('hex')},${'DC=corp,DC=example,DC=com'}`;
    const dn = `CN=Avatar Tester,${ou}`;
    before(async function () {
      this.timeout(60_000);
      admin = new Client({ url: f.ldapUrl });
      await admin.bind(f.bindDn, f.password);
      await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: ou.slice(3, ou.indexOf(',')) });
      cloud = await startCloudFixture();
    });
    after(async function () {
      this.timeout(60_000);
      try {
        await admin.del(dn).catch(() => undefined);
        await admin.del(ou);
      } finally {
        await admin.unbind();
        await cloud.close();
      }
    });

    const read = async (): Promise<DirectoryEntry> => {
      const [e] = await all(ldap.search({ baseDns: [ou], filter: '(cn=Avatar Tester)', attributes: ATTRS }));
      assert.ok(e, 'the test user is found');
      return e;
    };
    const setPhoto = (bytes: Buffer | undefined) =>
      admin.modify(dn, [
        new Change({
          operation: bytes ? 'replace' : 'delete',
          modification: new Attribute({ type: 'thumbnailPhoto', values: bytes ? [bytes] : [] }),
        }),
      ]);

    it('each change is seen over LDAP, decided against the state and applied to the local cloud', async () => {
      const A = jpegBytes(96, 96, { seed: 41 });
      const B = jpegBytes(96, 96, { seed: 42 });
      await admin.add(dn, [
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
        new Attribute({ type: 'sAMAccountName', values: [`avt${randomBytes(4).toString('hex')}`] }),
        new Attribute({ type: 'mail', values: ['avatar.tester@corp.example.com'] }),
        new Attribute({ type: 'thumbnailPhoto', values: [A] }),
      ]);
      const client = cloud.client();
      const target = avatarEndpointTarget(client.users);
      const state = new Map<string, AvatarStateRecord>();

      // Set: a new picture is uploaded.
      let entry = await read();
      const key = avatarStateKey(entry);
      assert.equal(key, formatGuid(entry.attributes['objectguid']![0] as Uint8Array));
      const cloudId = (await client.users.create(user('avatar.tester@corp.example.com', { externalId: key }))).id!;
      const step = async (options: { removeWhenSourceEmpty: boolean }) => {
        const previous = state.get(key);
        const decision = await planAvatar(
          source,
          { entry, cloudPicture: photoUrlOf(await client.users.get(cloudId)), ...(previous ? { previous } : {}) },
          options,
        );
        const applied = await applyAvatar(target, cloudId, decision);
        assert.equal(applied.error, undefined);
        if (applied.record) state.set(key, applied.record);
        else state.delete(key);
        return decision;
      };
      let d = await step({ removeWhenSourceEmpty: true });
      assert.equal(d.status === 'upload' && d.why, 'new');
      assert.deepEqual((await client.users.getAvatar(cloudId))!.data, A);

      // Unchanged on the next run.
      d = await step({ removeWhenSourceEmpty: true });
      assert.equal(d.status, 'unchanged');

      // Changed in AD (nothing else changed): picked up.
      await setPhoto(B);
      entry = await read();
      d = await step({ removeWhenSourceEmpty: true });
      assert.equal(d.status === 'upload' && d.why, 'changed');
      assert.deepEqual((await client.users.getAvatar(cloudId))!.data, B);

      // Cleared in AD (as in seed 000 with ADUC's Attribute Editor): removed, with the two events.
      await setPhoto(undefined);
      entry = await read();
      assert.equal(entry.attributes['thumbnailphoto'], undefined);
      d = await step({ removeWhenSourceEmpty: true });
      assert.equal(d.status, 'remove');
      assert.equal(await client.users.getAvatar(cloudId), undefined);
      assert.equal(state.has(key), false);
      const [flag, noData] = avatarRemovalEvents(entry, 'No image data', 'sess');
      const guid = entry.attributes['objectguid']![0] as Uint8Array;
      const sid = entry.attributes['objectsid']![0] as Uint8Array;
      assert.equal(
        flag.message,
        `Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:<GUID=${toHex(guid)}>;<SID=${toHex(sid)}>;${entry.dn} Reason:No Image Data`,
      );
      assert.equal(noData.message, `Avatar Plugin: No image data for AD entry '<GUID=${toHex(guid)}>;<SID=${toHex(sid)}>;${entry.dn}'`);
      assert.equal(flag.objectSid, formatSid(sid));
      assert.equal(flag.cn, 'Avatar Tester');
    });
  });
});
