import assert from 'node:assert/strict';
import { avatarRemovalEvents, eventJsonLine, eventTextLine } from '../../../server/src/avatars/events';
import type { DirectoryEntry } from '../../../server/src/domain/entry';

// The user of seed 000's Event Viewer screenshots.
const GUID_HEX = '4d0f0e832c49e8419e960370daaa877b';
const SID_HEX = '01050000000000051500000050adcf899923227e7ffaa5b631050000';
const DN = 'CN=Webex User 1,OU=Webex,OU=End Users,DC=vizcainovich,DC=com';
const SESSION = 'f3119205-2ebb-40a5-a86a-d99383044f99';

const webexUser1: DirectoryEntry = {
  dn: DN,
  attributes: { objectguid: [Buffer.from(GUID_HEX, 'hex')], objectsid: [Buffer.from(SID_HEX, 'hex')], cn: ['Webex User 1'] },
};

describe('avatars: event-log lines (seed 000)', () => {
  const [flag, noData] = avatarRemovalEvents(webexUser1, 'No image data', SESSION);

  it("writes the seed's two lines for a user whose picture will be removed", () => {
    assert.equal(
      eventTextLine(flag),
      `[sessionId: ${SESSION}] Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:<GUID=${GUID_HEX}>;<SID=${SID_HEX}>;${DN} Reason:No Image Data`,
    );
    assert.equal(
      eventTextLine(noData),
      `[sessionId: ${SESSION}] Avatar Plugin: No image data for AD entry '<GUID=${GUID_HEX}>;<SID=${SID_HEX}>;${DN}'`,
    );
  });

  it('carries GUID, SID and DN in every form an admin may search for', () => {
    for (const e of [flag, noData]) {
      assert.equal(e.sessionId, SESSION);
      assert.equal(e.guid, GUID_HEX);
      assert.equal(e.objectGuid, '830e0f4d-492c-41e8-9e96-0370daaa877b');
      assert.equal(e.sid, SID_HEX);
      assert.equal(e.objectSid, 'S-1-5-21-2312088912-2116166553-3064330879-1329');
      assert.equal(e.dn, DN);
      assert.equal(e.cn, 'Webex User 1');
      assert.equal(e.reason, 'No Image Data');
    }
    assert.deepEqual([flag.event, noData.event], ['avatar.deleteFlag', 'avatar.noImageData']);
  });

  it('is one JSON line with a time, searchable by any identifier', () => {
    const line = eventJsonLine(flag, new Date('2026-01-27T10:00:00Z'));
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    const parsed = JSON.parse(line);
    assert.equal(parsed.time, '2026-01-27T10:00:00.000Z');
    assert.equal(parsed.message, flag.message);
    for (const needle of [GUID_HEX, '830e0f4d-492c-41e8-9e96-0370daaa877b', SID_HEX, 'S-1-5-21-2312088912', 'CN=Webex User 1'])
      assert.ok(line.includes(needle), needle);
  });

  it('names entries without GUID or SID by DN, and unescapes the CN', () => {
    const [e] = avatarRemovalEvents({ dn: 'CN=Lee\\, Ann,OU=People,DC=corp,DC=example,DC=com', attributes: {} }, 'No avatar URI', 's');
    assert.equal(
      e.message,
      'Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:CN=Lee\\, Ann,OU=People,DC=corp,DC=example,DC=com Reason:No Avatar URI',
    );
    assert.equal(e.cn, 'Lee, Ann');
    assert.equal(e.guid, undefined);
  });
});
