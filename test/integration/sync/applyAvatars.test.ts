/** Avatar operations in an apply go through the avatar half: the picture re-read and checked, then uploaded. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { openDirectory } from '../../../server/src/directory/index';
import { analyze } from '../../../server/src/language/service';
import { applyPlan } from '../../../server/src/sync/engine/sync';
import type { EngineEvent, PlanOperation } from '../../../server/src/sync/contract';
import { AvatarStateStore, avatarStateLogPath } from '../../../server/src/sync/avatars/stateFile';
import { cloudUsers, configText, makePlan, startApplyFixture, type ApplyFixture } from '../../support/syncApply';

describe('sync apply: avatars through the avatar half', function () {
  this.timeout(60_000);
  let f: ApplyFixture;
  let photo: { dn: string; bytes: Buffer; mail: string; guid: string };
  beforeEach(async () => {
    f = await startApplyFixture();
    writeFileSync(
      f.configFile,
      configText(f.cloud.baseUrl, { avatar: { enabled: true, source: 'attribute', attribute: 'thumbnailPhoto' } }),
    );
    const config = analyze(configText(f.cloud.baseUrl)).config;
    const source = await openDirectory(config.directory, { configDir: f.dir, resolveSecret: () => undefined });
    try {
      for await (const e of source.search({
        baseDns: ['DC=corp,DC=example,DC=com'],
        filter: '(&(thumbnailPhoto=*)(mail=*))',
        attributes: ['thumbnailPhoto', 'mail', 'objectGUID'],
      })) {
        const bytes = e.attributes['thumbnailphoto']?.[0];
        assert.ok(bytes instanceof Uint8Array);
        photo = { dn: e.dn, bytes: Buffer.from(bytes), mail: String(e.attributes['mail']?.[0]), guid: 'photo-user-1' };
        break;
      }
    } finally {
      await source.close();
    }
  });
  afterEach(async () => {
    await f.close();
  });

  const ops = (sha256: string): PlanOperation[] => [
    {
      opId: 'op-1',
      itemId: 'u',
      label: photo.dn,
      kind: 'createUser',
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: photo.mail, externalId: photo.guid },
    },
    { opId: 'op-2', itemId: 'u', label: photo.dn, kind: 'uploadAvatar', target: { externalId: photo.guid }, sha256, dn: photo.dn },
  ];

  it('uploads the reviewed picture to the user created in the same apply', async () => {
    const sha = createHash('sha256').update(photo.bytes).digest('hex');
    const events: EngineEvent[] = [];
    const result = await applyPlan(makePlan(ops(sha)), {
      configFile: f.configFile,
      secrets: f.secrets,
      mode: 'full',
      onEvent: (e) => events.push(e),
    });
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    assert.equal(result.applied, 2);
    const uploads = events.filter((e) => e.event.startsWith('avatar.upload'));
    assert.equal(uploads.length, 1, 'the upload is logged once');
    assert.match(uploads[0]!.message, /^Avatar Plugin: uploaded avatar for AD entry/);
    const id = (await cloudUsers(f.admin)).get(photo.mail.toLowerCase())!.id;
    const avatar = await f.admin.users.getAvatar(id);
    assert.ok(avatar);
    assert.equal(createHash('sha256').update(avatar.data).digest('hex'), sha);
    // The upload's state record was committed to the log, then folded into the file at the end.
    assert.equal(existsSync(avatarStateLogPath(f.stateDir)), false);
    const state = await AvatarStateStore.load(f.stateDir);
    assert.equal(state.size, 1);
  });

  it('refuses a picture that differs from the plan, naming the object', async () => {
    const result = await applyPlan(makePlan(ops('0'.repeat(64))), { configFile: f.configFile, secrets: f.secrets, mode: 'full' });
    assert.equal(result.failed, 1);
    assert.equal(result.failures[0]!.label, photo.dn);
    assert.match(result.failures[0]!.message, /changed since the plan was made/);
  });
});
