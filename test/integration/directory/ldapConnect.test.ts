import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import * as net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryError } from '../../../server/src/directory/errors';
import { LdapSource } from '../../../server/src/directory/ldapSource';
import { openDirectory } from '../../../server/src/directory/open';
import type { DirectoryConfig } from '../../../common/config';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, all, ca, connect, testDc } from '../../support/directory';

/** A password that must never show up in any error text. */
const WRONG_PASSWORD = 'Wr0ng-But-Secret-§42';

describe('directory: connecting to Samba AD (TLS, credentials, failures)', () => {
  let f: SambaFixture;
  const errors: DirectoryError[] = [];
  before(async function () {
    this.timeout(180_000);
    f = await testDc();
  });

  /** Expects `p` to fail with a DirectoryError of `code`; keeps it for the password check. */
  async function fails(p: Promise<unknown>, code: string, ...mustMention: string[]): Promise<DirectoryError> {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof DirectoryError, String(err));
      errors.push(err);
      assert.equal(err.code, code, err.message);
      for (const m of mustMention) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
      return err;
    }
    assert.fail(`expected a ${code} error`);
  }

  it('LDAPS: rejects the DC certificate without its CA, accepts it with the CA', async () => {
    await fails(LdapSource.connect({ url: f.ldapsUrl, bindDn: f.bindDn, password: f.password }), 'tlsUntrusted', f.ldapsUrl, f.bindDn);
    const s = await LdapSource.connect({ url: f.ldapsUrl, bindDn: f.bindDn, password: f.password, tls: { ca: ca(f), caFile: f.caFile } });
    try {
      assert.equal((await s.rootDse()).dnsHostName, f.fqdn);
    } finally {
      await s.close();
    }
  });

  it('LDAPS: rejects a certificate that does not name the expected host, accepts tls.serverName = a name it lists', async () => {
    await fails(
      LdapSource.connect({ url: f.ldapsUrl, bindDn: f.bindDn, password: f.password, tls: { ca: ca(f), serverName: 'dc.other.example' } }),
      'tlsHostMismatch',
      f.ldapsUrl,
      'dc.other.example',
    );
    const s = await LdapSource.connect({ url: f.ldapsUrl, bindDn: f.bindDn, password: f.password, tls: { ca: ca(f), serverName: f.fqdn } });
    await s.close();
  });

  it('LDAPS with verification off connects (allowed, the config layer warns)', async () => {
    const s = await LdapSource.connect({ url: f.ldapsUrl, bindDn: f.bindDn, password: f.password, tls: { verify: false } });
    await s.close();
  });

  it('StartTLS: upgrades ldap:// and verifies the certificate the same way', async () => {
    await fails(LdapSource.connect({ url: f.ldapUrl, bindDn: f.bindDn, password: f.password, tls: { startTls: true } }), 'tlsUntrusted');
    const s = await LdapSource.connect({ url: f.ldapUrl, bindDn: f.bindDn, password: f.password, tls: { startTls: true, ca: ca(f) } });
    try {
      assert.equal((await s.count({ baseDns: [OU.rooms], filter: '(msExchResourceMetaData=ResourceType:Room)' })) > 0, true);
    } finally {
      await s.close();
    }
  });

  it('wrong password: invalid credentials naming the URL and bind DN, AD data code decoded', async () => {
    const err = await fails(
      LdapSource.connect({ url: f.ldapUrl, bindDn: f.bindDn, password: WRONG_PASSWORD }),
      'invalidCredentials',
      f.ldapUrl,
      f.bindDn,
    );
    assert.match(err.message, /data 52e: the password is wrong/);
    // A password that is a word of the message: only the server's own text is redacted, so dirsync's sentence stays whole.
    const word = await fails(LdapSource.connect({ url: f.ldapUrl, bindDn: f.bindDn, password: 'wrong' }), 'invalidCredentials');
    assert.match(word.message, /data 52e: the password is wrong or the bind DN is unknown/);
    assert.doesNotMatch(word.message, /redacted|\*\*\*/);
  });

  it('unreachable port and plain LDAP spoken to a TLS port fail clearly', async () => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as net.AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    await fails(
      LdapSource.connect({ url: `ldap://127.0.0.1:${port}`, bindDn: f.bindDn, password: WRONG_PASSWORD }),
      'unreachable',
      `ldap://127.0.0.1:${port}`,
      f.bindDn,
    );
    await fails(
      LdapSource.connect({ url: 'ldaps://127.0.0.1:389', bindDn: f.bindDn, password: WRONG_PASSWORD, tls: { ca: ca(f) } }),
      'tlsHandshake',
      'ldaps://127.0.0.1:389',
    );
  });

  it('a connection cut mid-search fails the search; the partial result is not marked complete', async () => {
    // A TCP proxy on an ephemeral port in front of the shared DC, cut after the first pages.
    const sockets = new Set<net.Socket>();
    let fromServer = 0;
    let cut = false;
    const proxy = net.createServer((client) => {
      const upstream = net.connect(389, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        fromServer += chunk.length;
        client.write(chunk);
        if (!cut && fromServer > 60_000) {
          cut = true;
          for (const s of sockets) s.destroy();
        }
      });
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const url = `ldap://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const s = await LdapSource.connect({ url, bindDn: f.bindDn, password: f.password, pageSize: 50 });
    const stream = s.search({ baseDns: [OU.people], filter: '(objectClass=user)', attributes: ['displayName', 'thumbnailPhoto'] });
    let seen = 0;
    try {
      await fails(
        (async () => {
          for await (const _ of stream) seen++;
        })(),
        'connectionLost',
        url,
        'incomplete',
      );
      assert.ok(cut);
      assert.ok(seen > 0 && seen < 1600, `saw ${seen}`);
      assert.equal(stream.summary.complete, false);
      // The source does not silently reconnect (that session would be unauthenticated, the cookie gone).
      await fails(s.count({ baseDns: [OU.rooms], filter: '(objectClass=user)' }), 'connectionLost');
    } finally {
      await s.close();
      proxy.close();
    }
  });

  it('openDirectory: reads the password through the resolver and the CA file relative to the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-open-'));
    writeFileSync(join(dir, 'corp-ca.pem'), ca(f));
    const r = { start: 0, end: 0 };
    const config: DirectoryConfig = {
      type: 'adds',
      url: { value: f.ldapsUrl, range: r },
      source: { kind: 'ldap', secure: true, host: '127.0.0.1', port: 636 },
      bindDn: { value: f.bindDn, range: r },
      password: { value: { kind: 'env', name: 'DIRSYNC_TEST_BIND_PASSWORD', text: '${env:DIRSYNC_TEST_BIND_PASSWORD}' }, range: r },
      tls: { caFile: { value: './corp-ca.pem', range: r }, startTls: false, verify: true },
      baseDns: [{ value: f.baseDn, range: r }],
      pageSize: 1000,
      sizeLimit: 0,
      timeLimitSeconds: 0,
      connectTimeoutSeconds: 10,
    };
    const src = await openDirectory(config, {
      configDir: dir,
      resolveSecret: (ref) => (ref.kind === 'env' && ref.name === 'DIRSYNC_TEST_BIND_PASSWORD' ? f.password : undefined),
    });
    try {
      assert.equal(src.kind, 'ldap');
      assert.ok((await all(src.search({ baseDns: [OU.contacts], filter: '(objectClass=contact)', attributes: ['mail'] }))).length > 10);
    } finally {
      await src.close();
    }
    await fails(
      openDirectory(config, { configDir: dir, resolveSecret: () => undefined }),
      'config',
      '${env:DIRSYNC_TEST_BIND_PASSWORD}',
      f.bindDn,
    );
    await fails(
      openDirectory(
        { ...config, tls: { ...config.tls, caFile: { value: './missing.pem', range: r } } },
        { configDir: dir, resolveSecret: () => f.password },
      ),
      'config',
      'missing.pem',
    );
    await fails(
      openDirectory(
        { ...config, password: { ...config.password!, value: { kind: 'env', name: 'X', text: '${env:X}' } } },
        { configDir: dir, resolveSecret: () => WRONG_PASSWORD },
      ),
      'invalidCredentials',
    );
  });

  it('no error message, stack or cause text contains a password', async () => {
    // Also with the right password in play: a refused StartTLS-less simple bind would carry it.
    await fails(connect(f, { url: 'ldaps://127.0.0.1:636' }), 'tlsUntrusted');
    assert.ok(errors.length >= 10, `collected ${errors.length}`);
    for (const e of errors) {
      const text = [e.message, e.stack ?? '', String((e.cause as Error | undefined)?.message ?? '')].join('\n');
      assert.ok(!text.includes(WRONG_PASSWORD), e.message);
      assert.ok(!text.includes(f.password), e.message);
    }
  });
});
