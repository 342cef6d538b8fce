import { strict as assert } from 'node:assert';
import { attributeValues, firstText, type DirectoryEntry } from '../../../server/src/domain/entry';

describe('DirectoryEntry helpers', () => {
  const entry: DirectoryEntry = {
    dn: 'CN=Ada Lovelace,OU=People,DC=corp,DC=example,DC=com',
    attributes: { mail: ['ada@example.com', 'a.lovelace@example.com'], thumbnailphoto: [new Uint8Array([0xff, 0xd8])] },
  };
  it('looks attribute names up case-insensitively', () => {
    assert.deepEqual(attributeValues(entry, 'MAIL'), ['ada@example.com', 'a.lovelace@example.com']);
    assert.equal(firstText(entry, 'Mail'), 'ada@example.com');
  });
  it('answers absent attributes with nothing', () => {
    assert.deepEqual(attributeValues(entry, 'sn'), []);
    assert.equal(firstText(entry, 'sn'), undefined);
  });
});
