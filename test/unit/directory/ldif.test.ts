import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLdif, readLdifFile } from '../../../server/src/directory/ldif';
import { formatLdifRecord, LDIF_HEADER } from '../../../server/src/directory/ldifWriter';
import { recordToEntry } from '../../../server/src/directory/ldifSource';
import { DirectoryError } from '../../../server/src/directory/errors';

const ldifError = (text: string, line: number, re: RegExp) =>
  assert.throws(
    () => parseLdif(text, 'export.ldif'),
    (e: unknown) =>
      e instanceof DirectoryError && e.code === 'ldifSyntax' && e.message.startsWith(`export.ldif:${line}: `) && re.test(e.message),
  );

describe('LDIF reader (RFC 2849)', () => {
  it('reads what ldapsearch -L writes: version, comments, folding, base64, trailer', () => {
    const text = [
      '# extended LDIF',
      '#',
      '# LDAPv3',
      '# base <DC=corp,DC=example,DC=com> with scope subtree',
      'version: 1',
      '',
      '# Zo\u00eb, People',
      'dn:: Q049Wm/DqyBNw7xsbGVyLE9VPVBlb3BsZSxEQz1jb3JwLERDPWV4YW1wbGUsREM9Y29t',
      'cn:: Wm/DqyBNw7xsbGVy',
      'description: a value folded over',
      '  two lines (the continuation keeps its second space)',
      'objectGUID:: vtthUg9Ra02cLOqPYh4jog==',
      'mail: zoe@corp.example.com',
      'mail: z.mueller@corp.example.com',
      '',
      '# search reference',
      'ref: ldap://corp.example.com/CN=Configuration,DC=corp,DC=example,DC=com',
      '',
    ].join('\n');
    const recs = parseLdif(text.replace('ref: ', 'dn: CN=x,DC=y\nref: '));
    assert.equal(recs[0]!.dn, 'CN=Zo\u00eb M\u00fcller,OU=People,DC=corp,DC=example,DC=com');
    assert.equal(recs[0]!.line, 8);
    const e = recordToEntry(recs[0]!, 'x');
    assert.deepEqual(e.attributes.cn, ['Zo\u00eb M\u00fcller']);
    assert.deepEqual(e.attributes.description, ['a value folded over two lines (the continuation keeps its second space)']);
    assert.ok(e.attributes.objectguid![0] instanceof Uint8Array);
    assert.equal((e.attributes.objectguid![0] as Uint8Array).length, 16);
    assert.deepEqual(e.attributes.mail, ['zoe@corp.example.com', 'z.mueller@corp.example.com']);
    const trailer = parseLdif('dn: CN=a,DC=b\ncn: a\n\n# numResponses: 2\nsearch: 2\nresult: 0 Success\n');
    assert.equal(trailer.length, 1);
  });

  it('reads what ldifde writes: CRLF, changetype: add, UTF-8 BOM', () => {
    const recs = parseLdif(
      '\ufeffdn: CN=Łukasz Nowak,OU=People,DC=corp,DC=example,DC=com\r\nchangetype: add\r\ncn: Łukasz Nowak\r\nsn: Nowak\r\n\r\n',
    );
    assert.equal(recs.length, 1);
    assert.deepEqual(
      recs[0]!.values.map((v) => [v.description, v.value]),
      [
        ['cn', 'Łukasz Nowak'],
        ['sn', 'Nowak'],
      ],
    );
  });

  it('strips options, keeps language tags out of names, and lower-cases attribute names', () => {
    const [r] = parseLdif('dn: CN=a,DC=b\nthumbnailPhoto;binary:: /9j/4A==\nDisplayName;lang-de: Ä\n');
    const e = recordToEntry(r!, 'x');
    assert.deepEqual(Object.keys(e.attributes).sort(), ['displayname', 'thumbnailphoto']);
    assert.deepEqual(e.attributes.thumbnailphoto, [new Uint8Array([0xff, 0xd8, 0xff, 0xe0])]);
  });

  it('reports errors with file:line', () => {
    ldifError('dn: CN=a,DC=b\njpegPhoto:< file:///etc/passwd\n', 2, /URL.*inline the value as base64/);
    ldifError('dn: CN=a,DC=b\ncn: a\n\ndn: CN=c,DC=b\nchangetype: modify\nreplace: cn\ncn: d\n-\n', 5, /changetype: modify.*not an export/);
    ldifError('cn: a\nsn: b\n', 1, /must start with "dn:"/);
    ldifError('dn: CN=a,DC=b\ncn:: not*base64\n', 2, /base64 value of cn is malformed/);
    ldifError(' folded start\n', 1, /continuation line/);
    ldifError('version: 2\n\ndn: CN=a\n', 1, /unsupported LDIF version/);
    ldifError('dn: CN=a,DC=b\nno colon here\n', 2, /expected "attribute: value"/);
    ldifError('dn: CN=a,DC=b\ncn: a\ndn: CN=c,DC=b\n', 3, /second "dn:" line/);
    assert.throws(
      () => recordToEntry(parseLdif('dn: CN=g,DC=b\nmember;range=0-1499: CN=x,DC=b\n')[0]!, 'g.ldif'),
      (e: unknown) => e instanceof DirectoryError && /^g\.ldif:2: .*only part of member/.test(e.message),
    );
  });

  it('round-trips what the writer writes: folding at 76, base64 for unsafe values and bytes', () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
    const record = {
      dn: 'CN=李伟,OU=Asia,OU=People,DC=corp,DC=example,DC=com',
      attributes: {
        cn: ['李伟'],
        description: [' leading space', 'trailing space ', ':colon first', '<angle', 'x'.repeat(200), 'line\nbreak'],
        thumbnailPhoto: [bytes],
        mail: ['li.wei@corp.example.com'],
      },
    };
    const text = LDIF_HEADER + formatLdifRecord(record);
    assert.ok(text.split('\n').every((l) => l.length <= 76));
    const [r] = parseLdif(text);
    const e = recordToEntry(r!, 'x');
    assert.equal(r!.dn, record.dn);
    assert.deepEqual(e.attributes.description, record.attributes.description);
    assert.deepEqual(e.attributes.thumbnailphoto, [bytes]);
    assert.deepEqual(e.attributes.cn, ['李伟']);
    assert.match(text, /^mail: li\.wei@corp\.example\.com$/m);
  });

  it('streams a file, UTF-16LE (ldifde -u) included, and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ldif-'));
    const body = 'version: 1\r\n\r\ndn: CN=Søren Østergaard,DC=corp\r\ncn: Søren Østergaard\r\n\r\n';
    writeFileSync(join(dir, 'u16.ldf'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
    const recs = [];
    for await (const r of readLdifFile(join(dir, 'u16.ldf'))) recs.push(r);
    assert.equal(recs.length, 1);
    assert.equal(recs[0]!.dn, 'CN=Søren Østergaard,DC=corp');
    await assert.rejects(
      async () => {
        for await (const _ of readLdifFile(join(dir, 'nope.ldif'), { displayName: 'ldif:./nope.ldif' })) void _;
      },
      (e: unknown) => e instanceof DirectoryError && e.code === 'fileNotFound' && e.message.includes('ldif:./nope.ldif'),
    );
  });
});
