import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { parseLdif } from '../../../server/src/directory/ldif';
import { recordToEntry } from '../../../server/src/directory/ldifSource';
import { isAccountDisabled } from '../../../server/src/domain/accountState';
import { writeSeedLdif } from '../../fixtures/samba';
import { SAMPLE } from '../../fixtures/samba/sample';

const FILE = join(__dirname, '../../../sample-configs/data/corp.example.com.ldif');

describe('the shipped sample export (sample-configs/data/corp.example.com.ldif)', () => {
  const entries = parseLdif(readFileSync(FILE, 'utf8'), 'corp.example.com.ldif').map((r) => recordToEntry(r, 'corp.example.com.ldif'));
  const cls = (e: (typeof entries)[number]) => (e.attributes.objectclass ?? []).map(String);
  const people = entries.filter(
    (e) => cls(e).includes('user') && !cls(e).includes('computer') && !e.attributes.msexchresourcemetadata && e.dn.includes('OU=People'),
  );

  it('is small and current: regenerating it gives the same bytes', async () => {
    assert.ok(statSync(FILE).size < 300 * 1024);
    const again = join(mkdtempSync(join(tmpdir(), 'sample-')), 'x.ldif');
    const comment = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^# ?/, ''))
      .join('\n');
    await writeSeedLdif(again, { ...SAMPLE, exportForm: true, comment });
    assert.equal(readFileSync(again, 'utf8'), readFileSync(FILE, 'utf8'), 'run `npm run sample:ldif` and commit the result');
  });

  it('holds what a realistic directory holds', () => {
    assert.ok(people.length >= 40);
    assert.ok(people.filter((e) => /[^\x00-\x7f]/.test(String(e.attributes.displayname))).length > 20, 'non-ASCII names');
    assert.ok(
      people.some((e) => isAccountDisabled(e, 'adds')),
      'disabled users',
    );
    assert.ok(
      people.some((e) => e.attributes.mail && e.attributes.mail[0] !== e.attributes.userprincipalname?.[0]),
      'mail ≠ UPN',
    );
    assert.ok(people.every((e) => e.attributes.objectguid?.[0] instanceof Uint8Array && e.attributes.objectsid?.[0] instanceof Uint8Array));
    const photos = people.flatMap((e) => e.attributes.thumbnailphoto ?? []);
    assert.ok(photos.length >= 5);
    for (const p of photos) assert.equal(jpeg.decode(Buffer.from(p as Uint8Array)).width, 96);
    assert.ok(
      entries.some((e) => cls(e).includes('contact')),
      'contacts',
    );
    assert.ok(
      entries.some((e) => cls(e).includes('computer')),
      'computers',
    );
    assert.ok(
      entries.some((e) => (e.attributes.msexchresourcemetadata ?? []).includes('ResourceType:Room')),
      'rooms',
    );
    assert.ok(
      entries.some((e) => cls(e).includes('group') && (e.attributes.member ?? []).some((m) => String(m).startsWith('CN=Engineering,'))),
      'nested groups',
    );
    assert.ok(
      entries.some((e) => e.attributes.iscriticalsystemobject?.[0] === 'TRUE' && cls(e).includes('group')),
      'critical system groups',
    );
    assert.ok(
      people.some((e) => (e.attributes.memberof ?? []).length >= 2),
      'memberOf back-links',
    );
  });
});
