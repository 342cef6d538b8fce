import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import * as net from 'node:net';
import { BerReader } from 'ldapts';
import { LdapSource } from '../../../server/src/directory/ldapSource';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, all, testDc } from '../../support/directory';

interface SeenSearch {
  base: string;
  sizeLimit: number;
  timeLimit: number;
}

/** Decodes the SearchRequests (RFC 4511 §4.5.1) in a client→server byte stream. */
function searchRequests(bytes: Buffer): SeenSearch[] {
  const out: SeenSearch[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const r = new BerReader(bytes.subarray(offset));
    if (r.readSequence() === null) break; // LDAPMessage ::= SEQUENCE; returns the tag, r.length the length
    const end = r.offset + r.length;
    r.readInt();
    if (r.peek() === 0x63) {
      r.readSequence(0x63);
      const base = r.readString() ?? '';
      r.readEnumeration();
      r.readEnumeration();
      const sizeLimit = r.readInt() ?? -1;
      const timeLimit = r.readInt() ?? -1;
      out.push({ base, sizeLimit, timeLimit });
    }
    offset += end;
  }
  return out;
}

describe('directory: what goes over the wire', () => {
  let f: SambaFixture;
  before(async function () {
    this.timeout(180_000);
    f = await testDc();
  });

  /** Reads all rooms through a recording proxy; returns the search requests the client sent. */
  async function recorded(opts: { timeLimitSeconds?: number; sizeLimit?: number }): Promise<SeenSearch[]> {
    const chunks: Buffer[] = [];
    const proxy = net.createServer((client) => {
      const upstream = net.connect(389, '127.0.0.1');
      client.on('data', (d: Buffer) => chunks.push(d));
      client.pipe(upstream).pipe(client);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const src = await LdapSource.connect({
      url: `ldap://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
      bindDn: f.bindDn,
      password: f.password,
      pageSize: 5,
      ...opts,
    });
    try {
      await all(src.search({ baseDns: [OU.rooms], filter: '(objectClass=user)', attributes: ['cn'], allowPartial: true }));
    } finally {
      await src.close();
      proxy.close();
    }
    return searchRequests(Buffer.concat(chunks));
  }

  it('sends no time or size limit unless configured (ldapts would send 10 s), then the configured ones', async () => {
    const none = await recorded({});
    assert.ok(none.length >= 3, `paged: one request per page (${none.length})`);
    assert.ok(
      none.every((s) => s.timeLimit === 0 && s.sizeLimit === 0 && s.base === OU.rooms),
      JSON.stringify(none),
    );
    const limited = await recorded({ timeLimitSeconds: 30, sizeLimit: 1000 });
    assert.ok(
      limited.every((s) => s.timeLimit === 30 && s.sizeLimit === 1000),
      JSON.stringify(limited),
    );
  });
});
