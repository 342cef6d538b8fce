/**
 * Incremental sync against the real Samba AD DC fixture and the local cloud, on an OU of our own
 * (created here, removed at the end; the shared baseline is not touched): after a full sync, an
 * incremental one reads only the entries whose uSNChanged is above the mark in full and the rest
 * of the scope identity-only — one changed attribute → that one modification; a picture-only
 * change → an avatar upload; a deletion in AD → the deletion; a user deleted in the cloud behind
 * our back → read again in full and re-created; a settings change → a forced full sync.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import type { EngineEvent } from '../../../server/src/sync/contract';
import { runSync } from '../../../server/src/sync/engine/sync';
import { readSyncState } from '../../../server/src/sync/engine/syncState';
import type { SambaFixture } from '../../fixtures/samba';
import { jpegBytes } from '../../support/avatarImages';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { testDc } from '../../support/directory';
import { cloudUsers } from '../../support/syncApply';

describe('incremental sync against the Samba AD fixture: only what changed is read in full', function () {
  this.timeout(300_000);
  let dc: SambaFixture;
  let cloud: CloudFixture;
  let admin: Client;
  let dir: string;
  let config: string;
  const tag = `inc-${process.pid}-${randomBytes(3).toString('hex')}`;
  const ou = `OU=${tag},DC=corp,DC=example,DC=com`;
  const names = ['Ada', 'Bob', 'Cy'];
  const dnOf = (n: string) => `CN=${n} ${tag},${ou}`;
  const mailOf = (n: string) => `${n.toLowerCase()}.${tag}@corp.example.com`;
  const groupDn = `CN=grp-${tag},${ou}`;
  const otherGroupDn = `CN=grp2-${tag},${ou}`; // Ada only
  const created: string[] = [];
  const secrets = (ref: { kind: string; name?: string }) =>
    ref.kind === 'env' && ref.name === 'AD_PASSWORD'
      ? dc.password
      : ref.kind === 'env' && ref.name === 'DIRSYNC_CLOUD_TOKEN'
        ? TOKEN
        : undefined;
  const writeConfig = (attributes: Record<string, string>) =>
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        directory: { type: 'adds', url: dc.ldapUrl, bindDn: dc.adminDn, password: '${env:AD_PASSWORD}', baseDns: [dc.baseDn] },
        cloud: { type: 'scim', url: cloud.cloud.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', concurrency: 4 },
        objects: {
          users: { enabled: true, baseDns: [ou] },
          groups: { enabled: true, baseDns: [ou] },
          contacts: { enabled: false },
          rooms: { enabled: false },
        },
        attributes,
        avatar: { enabled: true, source: 'attribute', attribute: 'thumbnailPhoto' },
        policy: { deleteThreshold: { count: 10, percent: 100 }, mismatched: 'retain' },
      }),
    );
  const ATTRS = {
    uid: 'mail',
    displayName: 'displayName',
    givenName: 'givenName',
    sn: 'sn',
    title: 'title',
    'ds-pwp-account-disabled': 'userAccountControl',
    externalId: 'objectGUID',
  };
  const sync = async () => {
    const events: EngineEvent[] = [];
    const r = await runSync({ configFile: config, secrets, mode: 'incremental', onEvent: (e) => events.push(e) });
    assert.equal(r.failed, 0, JSON.stringify(r.failures.slice(0, 3)));
    const incMessage = r.report.messages.find((m) => m.message.startsWith('incremental sync:'))?.message;
    return { r, events, incMessage };
  };
  const counts = (msg: string | undefined) => {
    const m =
      /(\d+) entr(?:y|ies) changed \(uSNChanged above (\d+), up to (\d+)\) read in full, (\d+) unchanged read identity-only(?:, (\d+) unchanged read again in full)?/.exec(
        msg ?? '',
      );
    assert.ok(m, `an incremental message: ${msg}`);
    return { full: Number(m[1]), from: BigInt(m[2]!), to: BigInt(m[3]!), identity: Number(m[4]), reread: Number(m[5] ?? 0) };
  };
  const modify = (dn: string, type: string, values: string[] | Buffer[]) =>
    admin.modify(dn, [new Change({ operation: 'replace', modification: new Attribute({ type, values }) })]);

  before(async () => {
    dc = await testDc();
    cloud = await startCloudFixture();
    admin = new Client({ url: dc.ldapUrl });
    await admin.bind(dc.bindDn, dc.password);
    await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: tag });
    created.push(ou);
    for (const n of names) {
      await admin.add(dnOf(n), [
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
        new Attribute({ type: 'sAMAccountName', values: [`${n.toLowerCase()}${randomBytes(3).toString('hex')}`] }),
        new Attribute({ type: 'mail', values: [mailOf(n)] }),
        new Attribute({ type: 'displayName', values: [`${n} ${tag}`] }),
        new Attribute({ type: 'givenName', values: [n] }),
        new Attribute({ type: 'sn', values: [tag] }),
        new Attribute({ type: 'title', values: ['Engineer'] }),
        ...(n === 'Bob' ? [new Attribute({ type: 'thumbnailPhoto', values: [jpegBytes(64, 64, { seed: 71 })] })] : []),
      ]);
      created.push(dnOf(n));
    }
    await admin.add(groupDn, {
      objectClass: ['top', 'group'],
      sAMAccountName: `g${randomBytes(4).toString('hex')}`,
      member: names.map(dnOf),
    });
    created.push(groupDn);
    await admin.add(otherGroupDn, {
      objectClass: ['top', 'group'],
      sAMAccountName: `g${randomBytes(4).toString('hex')}`,
      member: [dnOf('Ada')],
    });
    created.push(otherGroupDn);
    dir = mkdtempSync(join(tmpdir(), 'dirsync-incremental-'));
    config = join(dir, 'corp.dirsync');
    writeConfig(ATTRS);
  });
  after(async function () {
    this.timeout(60_000);
    // Restore the shared fixture: everything we added goes (children first).
    try {
      for (const dn of [...created].reverse()) await admin?.del(dn).catch(() => undefined);
    } finally {
      await admin?.unbind();
      await cloud?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('full first; then one attribute, a picture, a cloud-side loss, a deletion, each read and planned alone; a settings change forces full', async () => {
    const client = cloud.client();
    // 1. No state: the incremental request runs a full sync.
    const first = await sync();
    assert.equal(first.r.report.mode, 'full');
    assert.equal(first.incMessage, undefined, 'a full sync reads everything');
    assert.equal(first.r.report.summary.added, 3);
    assert.equal((await cloudUsers(client)).size, 3);
    const mark1 = Object.values((await readSyncState(join(dir, '.dirsync'), config))!.highWaterMarks)[0]!;

    // 2. Nothing changed: everything identity-only, nothing planned.
    const idle = await sync();
    assert.equal(idle.r.report.mode, 'incremental');
    let c = counts(idle.incMessage);
    assert.deepEqual([c.full, c.identity, c.reread], [0, 5, 0], idle.incMessage); // 3 users + 2 groups
    assert.equal(c.from, BigInt(mark1));
    assert.equal(idle.r.applied, 0);
    assert.equal(idle.r.report.items.filter((i) => i.reason?.startsWith('unchanged since the last sync')).length, 5);

    // 3. One attribute of one user: that entry is read in full and exactly that change planned.
    await modify(dnOf('Ada'), 'title', ['Principal Engineer']);
    const one = await sync();
    c = counts(one.incMessage);
    assert.deepEqual([c.full, c.identity, c.reread], [1, 4, 0], one.incMessage);
    const modified = one.r.report.items.filter((i) => i.category === 'modified');
    assert.deepEqual(
      modified.map((i) => [i.userName, i.changes?.map((ch) => [ch.scimPath, ch.old, ch.new])]),
      [[mailOf('Ada'), [['title', 'Engineer', 'Principal Engineer']]]],
    );
    assert.equal(one.r.applied, 1);
    assert.equal(one.events.filter((e) => e.event === 'user.update').length, 1);
    const ada = [...(await cloudUsers(client)).values()].find((u) => u.displayName === `Ada ${tag}`)!;
    assert.equal(((await client.users.get(ada.id)) as { title?: string }).title, 'Principal Engineer');

    // 4. A picture-only change (thumbnailPhoto bumps uSNChanged): an avatar upload, nothing else.
    const picture = jpegBytes(64, 64, { seed: 72 });
    await modify(dnOf('Bob'), 'thumbnailPhoto', [picture]);
    const pic = await sync();
    c = counts(pic.incMessage);
    assert.deepEqual([c.full, c.identity], [1, 4], pic.incMessage);
    assert.deepEqual(
      pic.r.report.items.filter((i) => i.category === 'modified' || i.category === 'added'),
      [],
    );
    const uploads = pic.r.report.items.filter((i) => i.category === 'avatars' && i.avatar?.status === 'upload');
    assert.deepEqual(
      uploads.map((i) => i.userName),
      [mailOf('Bob')],
    );
    assert.equal(pic.r.applied, 1);
    const bob = [...(await cloudUsers(client)).values()].find((u) => u.displayName === `Bob ${tag}`)!;
    assert.deepEqual((await client.users.getAvatar(bob.id))?.data, picture);

    // 5. Cy is deleted in the cloud behind our back: unchanged in AD, so read identity-only, not
    //    found in the cloud, read again in full and re-created (as a full sync would).
    const cy = [...(await cloudUsers(client)).values()].find((u) => u.displayName === `Cy ${tag}`)!;
    await client.users.delete(cy.id);
    const lost = await sync();
    c = counts(lost.incMessage);
    // …and the group it belongs to (unchanged in AD; its memberOf) is read in full too, so Cy is a
    // member again; Ada's other group stays identity-only.
    assert.deepEqual([c.full, c.identity, c.reread], [0, 3, 2], lost.incMessage);
    assert.equal(lost.events.filter((e) => e.event === 'user.create').length, 1, JSON.stringify(lost.r.report.summary));
    const group = lost.r.report.items.find((i) => i.category === 'groups' && i.dn?.toLowerCase() === groupDn.toLowerCase());
    assert.deepEqual(
      group?.members?.added.map((d) => d.toLowerCase()),
      [dnOf('Cy').toLowerCase()],
    );

    // 6. Cy is deleted in AD: the comparison of the identity read plans exactly that deletion.
    await admin.del(dnOf('Cy'));
    created.splice(created.indexOf(dnOf('Cy')), 1);
    const del = await sync();
    const deleted = del.r.report.items.filter((i) => i.category === 'deleted');
    assert.deepEqual(
      deleted.map((i) => i.userName),
      [mailOf('Cy')],
    );
    assert.equal(del.r.report.summary.added + del.r.report.summary.modified, 0);
    assert.equal(del.events.filter((e) => e.event === 'user.delete').length, 1);
    assert.deepEqual([...(await cloudUsers(client)).values()].map((u) => u.displayName).sort(), [`Ada ${tag}`, `Bob ${tag}`]);
    const mark = Object.values((await readSyncState(join(dir, '.dirsync'), config))!.highWaterMarks)[0]!;
    assert.ok(BigInt(mark) > BigInt(mark1), 'the mark advanced after each successful incremental sync');

    // 7. A mapping change: the incremental request runs a full comparison, saying why.
    writeConfig({ ...ATTRS, department: 'department' });
    const forced = await sync();
    assert.equal(forced.r.report.mode, 'full');
    assert.equal(forced.incMessage, undefined);
    assert.match(forced.events.find((e) => e.event === 'sync.mode')?.message ?? '', /changed since the last sync: a full sync runs/);
  });
});
