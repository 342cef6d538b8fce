import { strict as assert } from 'node:assert';
import { Attribute, BerReader, BerWriter } from 'ldapts';
import { installValueDecoding, isBinaryType, textOrBytes } from '../../../server/src/directory/ldaptsValues';

/** One attribute as it travels in a search entry, parsed back by ldapts' Attribute (with the decoding installed). */
function roundTrip(type: string, values: Array<string | Buffer>): Array<string | Buffer> {
  const writer = new BerWriter();
  new Attribute({ type, values: values as string[] }).write(writer);
  const parsed = new Attribute();
  parsed.parse(new BerReader(writer.buffer));
  assert.equal(parsed.type, type);
  return parsed.values;
}

describe('ldapts attribute values (decoding)', () => {
  before(() => assert.equal(installValueDecoding(), true, 'ldapts has the expected shape'));

  it('text that is valid UTF-8 is text; anything else stays bytes, as with a fatal TextDecoder', () => {
    assert.equal(textOrBytes(Buffer.from('Zoë Weiß 李')), 'Zoë Weiß 李');
    assert.equal(textOrBytes(Buffer.alloc(0)), '');
    // A replacement character written in the directory is text too.
    assert.equal(textOrBytes(Buffer.from('a\ufffdb')), 'a\ufffdb');
    // TextDecoder drops a leading byte-order mark.
    assert.equal(textOrBytes(Buffer.from('\ufeffabc')), 'abc');
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
    assert.ok(Buffer.isBuffer(textOrBytes(jpeg)));
    assert.ok(Buffer.isBuffer(textOrBytes(Buffer.from([0x61, 0xc3]))), 'a cut multi-byte sequence');
  });

  it('binary attributes are read as bytes by name (any case, options ignored) or by ;binary', () => {
    for (const t of ['objectGUID', 'objectsid', 'thumbnailPhoto', 'thumbnailPhoto;range=0-*', 'userCertificate;binary', 'x;binary'])
      assert.ok(isBinaryType(t), t);
    for (const t of ['cn', 'mail', 'member;range=0-1499', 'binaryThing']) assert.ok(!isBinaryType(t), t);
  });

  it("parses a search entry's attribute as ldapts does, without decoding binary values", () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const ascii = Buffer.from('0123456789abcdef'); // valid UTF-8: still bytes, it is a GUID
    const got = roundTrip('objectGUID', [guid, ascii]);
    assert.ok(got.every((v) => Buffer.isBuffer(v)));
    assert.deepEqual(
      got.map((v) => (v as Buffer).toString('hex')),
      [guid.toString('hex'), ascii.toString('hex')],
    );
    assert.deepEqual(roundTrip('displayName', ['Zoë', 'Ada']), ['Zoë', 'Ada']);
    const mixed = roundTrip('description', [Buffer.from([0xff, 0x00]), 'ok']);
    assert.ok(Buffer.isBuffer(mixed[0]));
    assert.equal(mixed[1], 'ok');
    assert.deepEqual(roundTrip('member', []), []);
  });
});
