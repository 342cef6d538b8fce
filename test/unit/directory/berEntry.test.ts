import { strict as assert } from 'node:assert';
import { type Entry, MessageParser, SearchEntry } from 'ldapts';
import { decodeSearchEntry } from '../../../server/src/directory/berEntry';
import { toDirectoryEntry } from '../../../server/src/directory/convert';
import { installValueDecoding } from '../../../server/src/directory/ldaptsValues';
import { entryMessage, int, octets, tlv } from '../../support/ber';

/** The reference: ldapts' parser (with this project's value decoding), `toObject`, then `toDirectoryEntry`. */
function viaLdapts(msg: Buffer, requested: string[], explicit: string[], isBinary: (n: string) => boolean) {
  installValueDecoding();
  const parser = new MessageParser();
  let got: SearchEntry | undefined;
  parser.on('message', (m) => (got = m instanceof SearchEntry ? m : undefined));
  parser.read(msg, new Map());
  assert.ok(got, 'ldapts read the message');
  return toDirectoryEntry(got.toObject(requested, explicit) as Entry, isBinary);
}

/** A seeded pseudo-random sequence (the same messages every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('directory: a search result entry decoded from its bytes', () => {
  const binary = new Set(['objectguid', 'objectsid', 'thumbnailphoto', 'myblob']);
  const isBinary = (n: string) => binary.has(n);
  const explicit = ['objectGUID', 'thumbnailPhoto', 'thumbnailphoto', 'myBlob'];
  const requested = ['cn', 'mail', 'memberOf', 'member', 'objectGUID', 'thumbnailPhoto', 'title', 'description', 'myBlob'];

  it('gives what ldapts and toDirectoryEntry give, for text, bytes, bad UTF-8, options, ranges and long values', () => {
    const r = random(11);
    const texts = ['Zoë', 'Ångström', 'plain', '', 'a\u0301', '\ufeffbom first', '🙂 emoji', 'x'.repeat(300)];
    for (let n = 0; n < 300; n++) {
      const attrs: Record<string, Array<string | Buffer>> = {};
      attrs[r() < 0.5 ? 'cn' : 'CN'] = [texts[Math.floor(r() * texts.length)]!];
      if (r() < 0.8) attrs['mail'] = [`u${n}@corp.example.com`];
      if (r() < 0.5) attrs['memberOf'] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => `CN=G${i},OU=Groups,DC=x`);
      attrs['objectGUID'] = [Buffer.from(Array.from({ length: 16 }, () => Math.floor(r() * 256)))];
      if (r() < 0.4) attrs['thumbnailPhoto'] = [Buffer.alloc(Math.floor(r() * 90_000), Math.floor(r() * 256))];
      if (r() < 0.3) attrs['description'] = ['ok', r() < 0.5 ? Buffer.from([0xc3, 0x28]) : 'also ok']; // sometimes not UTF-8
      if (r() < 0.2) attrs['title;lang-de'] = ['Leiter'];
      if (r() < 0.2) attrs['userCertificate;binary'] = [Buffer.from('0\x82text-looking but binary')];
      if (r() < 0.2) attrs['myblob'] = [Buffer.from('looks like text')]; // binary by the reader's set, another spelling
      if (r() < 0.2) attrs['member;range=0-1'] = ['CN=a,DC=x', 'CN=b,DC=x'];
      if (r() < 0.1) attrs['member;range=2-*'] = ['CN=c,DC=x'];
      const msg = entryMessage(2 + n, `CN=User ${n} ${texts[n % texts.length]},OU=People,DC=corp,DC=example,DC=com`, attrs);
      assert.deepEqual(decodeSearchEntry(msg, isBinary, explicit), viaLdapts(msg, requested, explicit, isBinary), `entry ${n}`);
    }
  });

  it('drops an attribute without values, and reads an entry followed by controls', () => {
    const entry = tlv(
      0x64,
      octets('CN=a,DC=x'),
      tlv(0x30, tlv(0x30, octets('title'), tlv(0x31)), tlv(0x30, octets('cn'), tlv(0x31, octets('a')))),
    );
    const msg = tlv(0x30, int(9), entry, tlv(0xa0, tlv(0x30, octets('1.2.840.113556.1.4.319'))));
    const { entry: e, pending } = decodeSearchEntry(msg, isBinary, explicit);
    assert.deepEqual(e, { dn: 'CN=a,DC=x', attributes: { cn: ['a'] } });
    assert.deepEqual(pending, []);
  });

  it('refuses a message that is not a whole search result entry', () => {
    const good = entryMessage(3, 'CN=a,DC=x', { cn: ['a'] });
    assert.throws(() => decodeSearchEntry(good.subarray(0, good.length - 2), isBinary, explicit), /cut short/);
    // Attributes that are an INTEGER, not a SEQUENCE.
    const bad = tlv(0x30, int(3), tlv(0x64, octets('CN=a,DC=x'), tlv(0x02, Buffer.from([1]))));
    assert.throws(() => decodeSearchEntry(bad, isBinary, explicit), /expected tag 0x30/);
    // A search result done where an entry should be.
    assert.throws(
      () => decodeSearchEntry(tlv(0x30, int(3), tlv(0x65, tlv(0x0a, Buffer.from([0])))), isBinary, explicit),
      /expected tag 0x64/,
    );
  });
});
