/**
 * LDIF values a directory export must not pass on: text that is not UTF-8 (named by its line,
 * never turned into U+FFFD), an objectGUID that is not 16 bytes, an objectSid that is not a SID,
 * control characters in mapped values (the object is refused), and values too long to echo (a
 * 20 MB invalid DN is cut in the message). The LDIF source on real files, the pure mapping.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryError } from '../../../server/src/directory/errors';
import { LdifSource } from '../../../server/src/directory/ldifSource';
import type { DirectoryEntry } from '../../../server/src/domain/entry';

const BASE = 'DC=corp,DC=example,DC=com';
const GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64');
const SID = Buffer.from('010500000000000515000000dcf4dc3b833d2b46828ba6287a040000', 'hex').toString('base64');

function person(extra: string[], cn = 'Ada'): string {
  return [
    `dn: CN=${cn},OU=People,${BASE}`,
    'objectClass: user',
    `cn: ${cn}`,
    `mail: ${cn.toLowerCase()}@corp.example.com`,
    `objectGUID:: ${GUID}`,
    `objectSid:: ${SID}`,
    ...extra,
  ].join('\n');
}

describe('directory: LDIF values are checked, not passed on', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-ldif-values-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function read(name: string, body: Buffer | string): Promise<DirectoryEntry[]> {
    const path = join(dir, name);
    writeFileSync(path, body);
    const source = await LdifSource.open({ path, displayName: `ldif:./${name}` });
    const out: DirectoryEntry[] = [];
    for await (const e of source.search({ baseDns: [BASE], filter: '(objectClass=*)', attributes: ['*'] })) out.push(e);
    return out;
  }

  async function refused(name: string, body: Buffer | string, message: RegExp): Promise<DirectoryError> {
    let caught: unknown;
    try {
      await read(name, body);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof DirectoryError, `expected a DirectoryError, got ${String(caught)}`);
    assert.equal(caught.code, 'ldifSyntax');
    assert.match(caught.message, message);
    return caught;
  }

  it('a Latin-1 export is refused naming the line of the first byte that is not UTF-8', async () => {
    const text = `version: 1\n\n${person(['sn: Müller', 'title: Ingenieur'])}\n`;
    await refused('latin1.ldif', Buffer.from(text, 'latin1'), /^ldif:\.\/latin1\.ldif:9: not valid UTF-8 text/);
  });

  it('the same export in UTF-8 reads as written', async () => {
    const [e] = await read('utf8.ldif', `version: 1\n\n${person(['sn: Müller'])}\n`);
    assert.deepEqual(e!.attributes['sn'], ['Müller']);
  });

  it('a base64 text value that is not UTF-8 is refused naming its line', async () => {
    const bad = Buffer.from('M\xfcller', 'latin1').toString('base64');
    await refused(
      'b64.ldif',
      `${person([`displayName:: ${bad}`])}\n`,
      /^ldif:\.\/b64\.ldif:7: the base64 value of displayName is not valid UTF-8 text/,
    );
  });

  it('an objectGUID of 3 bytes is refused, not turned into an externalId', async () => {
    const text = person([]).replace(`objectGUID:: ${GUID}`, 'objectGUID:: qujd');
    await refused('guid.ldif', text, /^ldif:\.\/guid\.ldif:5: objectGUID is 3 bytes, not 16 \(in the entry CN=Ada,OU=People,DC=corp/);
  });

  it('an objectSid whose length does not match its sub-authorities is refused', async () => {
    const short = Buffer.from('0105000000000005150000', 'hex').toString('base64');
    const text = person([]).replace(`objectSid:: ${SID}`, `objectSid:: ${short}`);
    await refused('sid.ldif', text, /^ldif:\.\/sid\.ldif:6: objectSid is 11 bytes/);
    const revision = Buffer.from(`02${'05000000000005150000'}${'00'.repeat(20)}`, 'hex').toString('base64');
    await refused('sid2.ldif', person([]).replace(`objectSid:: ${SID}`, `objectSid:: ${revision}`), /revision 2, not 1/);
  });

  it('a 20 MB invalid DN is cut in the message', async () => {
    const huge = `dn: CN=${'x'.repeat(20_000_000)},OU,${BASE}\nobjectClass: user\n`;
    const err = await refused(
      'huge.ldif',
      `${huge}\n${person([])}\n`,
      /^ldif:\.\/huge\.ldif:1: "CN=x{197}… \(20,000,0\d\d characters\)" is not a valid DN/,
    );
    assert.ok(err.message.length < 500, `${err.message.length} characters`);
  });
});
