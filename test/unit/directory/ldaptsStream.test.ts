import { strict as assert } from 'node:assert';
import { Client } from 'ldapts';
import { berLength, isPlaceholder, messageHead, RawEntryStream } from '../../../server/src/directory/ldaptsStream';
import { installValueDecoding } from '../../../server/src/directory/ldaptsValues';

/** BER: tag, definite length (long form past 127), content. */
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const octets = (v: string | Buffer) => tlv(0x04, Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8'));
const int = (n: number) => tlv(0x02, n < 0x80 ? Buffer.from([n]) : Buffer.from([0, n]));

function entryMessage(id: number, dn: string, attributes: Record<string, Array<string | Buffer>>): Buffer {
  const attrs = Object.entries(attributes).map(([type, values]) => tlv(0x30, octets(type), tlv(0x31, ...values.map(octets))));
  return tlv(0x30, int(id), tlv(0x64, octets(dn), tlv(0x30, ...attrs)));
}
const doneMessage = (id: number) => tlv(0x30, int(id), tlv(0x65, tlv(0x0a, Buffer.from([0])), octets(''), octets('')));

interface Internals {
  messageParser: { read(data: Buffer, details: Map<string, unknown>): void };
  messageDetailsByMessageId: Map<string, unknown>;
}

/** A client (never connected) with streaming installed and one search `id` outstanding, sent with `tag`. */
function clientWithSearch(id: number, tag: string[]) {
  installValueDecoding();
  const client = new Client({ url: 'ldap://127.0.0.1:1' });
  const stream = RawEntryStream.install(client);
  assert.ok(stream, 'ldapts 8 has the shape streaming needs');
  const c = client as unknown as Internals;
  let resolved: { searchEntries: unknown[] } | undefined;
  c.messageDetailsByMessageId.set(String(id), {
    message: { explicitBufferAttributes: tag },
    resolve: (m: { searchEntries: unknown[] }) => (resolved = m),
    reject: (e: unknown) => assert.fail(String(e)),
  });
  return { stream, feed: (b: Buffer) => c.messageParser.read(b, c.messageDetailsByMessageId), done: () => resolved };
}

describe('directory: search entries kept as bytes until read', () => {
  it('reads BER lengths in short and long form, and says when they are not all there', () => {
    assert.deepEqual(berLength(Buffer.from([0x30, 0x05]), 0), { header: 2, length: 5 });
    assert.deepEqual(berLength(Buffer.from([0x30, 0x82, 0x01, 0x00]), 0), { header: 4, length: 256 });
    assert.equal(berLength(Buffer.from([0x30, 0x82, 0x01]), 0), undefined);
    assert.equal(berLength(Buffer.from([0x30]), 0), undefined);
    assert.deepEqual(berLength(Buffer.from([0x30, 0x80]), 0), { header: -1, length: -1 });
    assert.deepEqual(messageHead(entryMessage(200, 'CN=a', {})), { id: 200, op: 0x64 });
    assert.deepEqual(messageHead(doneMessage(7)), { id: 7, op: 0x65 });
    assert.equal(messageHead(Buffer.from([0x30, 0x03, 0x04, 0x01, 0x00])), undefined);
  });

  it('keeps a streamed search’s entries in order, whatever the chunks, and parses them as ldapts does', () => {
    const photo = Buffer.alloc(3000, 0xab);
    const messages = [
      entryMessage(5, 'CN=Zoë Ångström,OU=Staff,DC=corp,DC=example,DC=com', { mail: ['zoe@corp.example.com'], thumbnailPhoto: [photo] }),
      entryMessage(5, 'CN=Bob,OU=Staff,DC=corp,DC=example,DC=com', {
        mail: ['bob@corp.example.com'],
        memberOf: ['CN=a,DC=x', 'CN=b,DC=x'],
      }),
      doneMessage(5),
    ];
    const bytes = Buffer.concat(messages);
    for (const cut of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const tag = ['thumbnailPhoto'];
      const { stream, feed, done } = clientWithSearch(5, tag);
      const queue = stream.open(tag, ['mail', 'thumbnailPhoto', 'memberOf', 'title']);
      for (let at = 0; at < bytes.length; at += cut) feed(bytes.subarray(at, at + cut));
      const page = done();
      assert.ok(page, `the page ends (chunks of ${cut} bytes)`);
      // ldapts pages on: its page holds one placeholder, not the entries.
      assert.equal(page.searchEntries.length, 1);
      const kept = queue.take();
      assert.equal(kept.length, 2, `chunks of ${cut} bytes`);
      const [zoe, bob] = kept.map((m) => queue.parse(m));
      assert.equal(zoe!.dn, 'CN=Zoë Ångström,OU=Staff,DC=corp,DC=example,DC=com');
      assert.equal(zoe!['mail'], 'zoe@corp.example.com');
      assert.deepEqual(zoe!['thumbnailPhoto'], photo);
      assert.deepEqual(zoe!['title'], [], 'a requested attribute the entry lacks is empty, as in ldapts');
      assert.deepEqual(bob!['memberOf'], ['CN=a,DC=x', 'CN=b,DC=x']);
      assert.deepEqual(queue.take(), [], 'taken once');
      queue.close();
    }
  });

  it('leaves other searches’ entries to ldapts', () => {
    const { stream, feed, done } = clientWithSearch(9, ['objectGUID']);
    const queue = stream.open(['objectGUID'], ['cn']); // another search's tag
    feed(Buffer.concat([entryMessage(9, 'CN=a,DC=x', { cn: ['a'] }), doneMessage(9)]));
    assert.deepEqual(queue.take(), []);
    const page = done()!;
    assert.equal(page.searchEntries.length, 1);
    assert.ok(!isPlaceholder(page.searchEntries[0] as never), 'ldapts parsed it itself');
  });

  it('fails the read of an entry whose message is not a search entry ldapts can read', () => {
    const tag = ['objectGUID'];
    const { stream, feed } = clientWithSearch(3, tag);
    const queue = stream.open(tag, []);
    // A search result entry whose attribute list is an INTEGER, not a SEQUENCE.
    feed(tlv(0x30, int(3), tlv(0x64, octets('CN=a,DC=x'), tlv(0x02, Buffer.from([1])))));
    const [bad] = queue.take();
    assert.ok(bad);
    assert.throws(() => queue.parse(bad));
  });
});
