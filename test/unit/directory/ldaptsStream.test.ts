import { strict as assert } from 'node:assert';
import { Client } from 'ldapts';
import { isPlaceholder, messageHead, RawEntryStream } from '../../../server/src/directory/ldaptsStream';
import { installValueDecoding } from '../../../server/src/directory/ldaptsValues';
import { berLength, decodeSearchEntry } from '../../../server/src/directory/berEntry';
import { doneMessage, entryMessage } from '../../support/ber';

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
      const queue = stream.open(tag);
      for (let at = 0; at < bytes.length; at += cut) feed(bytes.subarray(at, at + cut));
      const page = done();
      assert.ok(page, `the page ends (chunks of ${cut} bytes)`);
      // ldapts pages on: its page holds one placeholder, not the entries.
      assert.equal(page.searchEntries.length, 1);
      const kept = queue.take();
      assert.equal(kept.length, 2, `chunks of ${cut} bytes`);
      assert.ok(kept[0]!.equals(messages[0]!) && kept[1]!.equals(messages[1]!), 'each entry is its message, byte for byte');
      const zoe = decodeSearchEntry(kept[0]!, (n) => n === 'thumbnailphoto', tag).entry;
      assert.equal(zoe.dn, 'CN=Zoë Ångström,OU=Staff,DC=corp,DC=example,DC=com');
      assert.deepEqual(zoe.attributes['mail'], ['zoe@corp.example.com']);
      assert.deepEqual(zoe.attributes['thumbnailphoto'], [new Uint8Array(photo)]);
      assert.deepEqual(queue.take(), [], 'taken once');
      queue.close();
    }
  });

  it('leaves other searches’ entries to ldapts', () => {
    const { stream, feed, done } = clientWithSearch(9, ['objectGUID']);
    const queue = stream.open(['objectGUID']); // another search's tag
    feed(Buffer.concat([entryMessage(9, 'CN=a,DC=x', { cn: ['a'] }), doneMessage(9)]));
    assert.deepEqual(queue.take(), []);
    const page = done()!;
    assert.equal(page.searchEntries.length, 1);
    assert.ok(!isPlaceholder(page.searchEntries[0] as never), 'ldapts parsed it itself');
  });
});
