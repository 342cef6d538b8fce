import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { AvatarConfigError } from '../../../server/src/avatars/credentials';
import { createAvatarDispatcher } from '../../../server/src/avatars/http';
import { createResourceServerSource, type ResourceServerSource } from '../../../server/src/avatars/resourceServer';
import type { AvatarFetchResult } from '../../../server/src/avatars/sources';
import { MemoryLogger } from '../../../server/src/cloud/logger';
import type { AvatarCredentials, SecretRef } from '../../../common/config';
import type { DirectoryEntry } from '../../../server/src/domain/entry';
import { gifBytes, jpegBytes, pngBytes } from '../../support/avatarImages';
import {
  BASIC_PASSWORD,
  BASIC_USER,
  BEARER_TOKEN,
  makeTls,
  startPhotoServer,
  startProxy,
  type PhotoServer,
  type Tls,
} from '../../support/avatarServers';

const MAX = 10 * 1024 * 1024 - 1;
const user = (mail: string): DirectoryEntry => ({ dn: `CN=${mail},OU=People,DC=corp,DC=example,DC=com`, attributes: { mail: [mail] } });
const envRef = (name: string): { value: SecretRef; range: { start: number; end: number } } => ({
  value: { kind: 'env', name, text: `\${env:${name}}` },
  range: { start: 0, end: 0 },
});
const secrets = (env: Record<string, string>) => (ref: SecretRef) => (ref.kind === 'env' ? env[ref.name] : undefined);

function expectKind<K extends AvatarFetchResult['kind']>(r: AvatarFetchResult, kind: K): Extract<AvatarFetchResult, { kind: K }> {
  assert.equal(r.kind, kind, JSON.stringify(r.kind === 'failed' ? r.error : r.kind === 'empty' ? r : { kind: r.kind }));
  return r as Extract<AvatarFetchResult, { kind: K }>;
}

describe('avatars: resource-server source against a local HTTP server', () => {
  let server: PhotoServer;
  let dispatcher: Agent;
  const sources: ResourceServerSource[] = [];
  const jpg = jpegBytes(96, 96, { seed: 3 });

  async function source(
    route: string,
    extra: Partial<Parameters<typeof createResourceServerSource>[0]> = {},
  ): Promise<ResourceServerSource> {
    const s = await createResourceServerSource({
      pattern: `${server.origin}/${route}/{mail: .*?(?=@.*)}.jpg`,
      maxBytes: MAX,
      timeoutMs: 5000,
      dispatcher,
      ...extra,
    });
    sources.push(s);
    return s;
  }

  before(async () => {
    server = await startPhotoServer();
    dispatcher = new Agent();
    server.files.set('abcd.jpg', { bytes: jpg, type: 'image/jpeg' });
    server.files.set('png.jpg', { bytes: pngBytes(64, 48), type: 'image/jpeg' });
  });
  after(async () => {
    await Promise.all(sources.map((s) => s.close()));
    await dispatcher.close();
    await server.close();
  });

  it("fetches the seed's example: {mail: .*?(?=@.*)} → /abcd.jpg", async () => {
    const s = await source('photos');
    assert.deepEqual(s.attributes, ['mail']);
    const r = expectKind(await s.fetch(user('abcd@example.com')), 'image');
    assert.equal(r.url, `${server.origin}/photos/abcd.jpg`);
    assert.deepEqual(Buffer.from(r.bytes), jpg);
    assert.deepEqual([r.contentType, r.width, r.height, r.sha256.length], ['image/jpeg', 96, 96, 64]);
    assert.equal(server.requests.at(-1)!.path, '/photos/abcd.jpg');
  });

  it('believes the bytes, not the Content-Type', async () => {
    const r = expectKind(await (await source('photos')).fetch(user('png@example.com')), 'image');
    assert.equal(r.contentType, 'image/png');
    assert.match(r.warnings.join(), /said image\/jpeg but the content is image\/png/);
  });

  it('404 and 410 are an empty source ("No image data"), not a failure', async () => {
    const missing = expectKind(await (await source('photos')).fetch(user('nobody@example.com')), 'empty');
    assert.equal(missing.reason, 'No image data');
    assert.match(missing.detail, /404 Not Found/);
    const gone = expectKind(await (await source('gone')).fetch(user('abcd@example.com')), 'empty');
    assert.match(gone.detail, /410 Gone/);
  });

  it('an entry without the attribute has no avatar URI: empty; a regex that does not match: failed', async () => {
    const s = await source('photos');
    const noMail = expectKind(await s.fetch({ dn: 'CN=x', attributes: {} }), 'empty');
    assert.equal(noMail.reason, 'No avatar URI');
    assert.match(noMail.detail, /mail is not set/);
    const noMatch = expectKind(await s.fetch(user('no-at-sign')), 'failed');
    assert.equal(noMatch.error.code, 'uri');
  });

  describe('credentials', () => {
    const basic: AvatarCredentials = { type: 'basic', username: BASIC_USER, password: envRef('AVATAR_PW') };
    const bearer: AvatarCredentials = { type: 'bearer', token: envRef('AVATAR_TOKEN') };

    it('401 without credentials fails for that user and says why', async () => {
      const r = expectKind(await (await source('basic')).fetch(user('abcd@example.com')), 'failed');
      assert.deepEqual([r.error.code, r.error.status], ['unauthorized', 401]);
      assert.match(r.error.message, /avatar\.credentials/);
      assert.equal(server.requests.at(-1)!.authorization, undefined);
    });

    it('succeeds with Basic credentials from a secret reference', async () => {
      const s = await source('basic', { credentials: basic, secrets: secrets({ AVATAR_PW: BASIC_PASSWORD }) });
      expectKind(await s.fetch(user('abcd@example.com')), 'image');
    });

    it('succeeds with a bearer token from a secret reference', async () => {
      const s = await source('bearer', { credentials: bearer, secrets: secrets({ AVATAR_TOKEN: BEARER_TOKEN }) });
      expectKind(await s.fetch(user('abcd@example.com')), 'image');
    });

    it('wrong credentials: 401 per user; the secret appears in no result or log event', async () => {
      const logger = new MemoryLogger();
      const s = await source('bearer', { credentials: bearer, secrets: secrets({ AVATAR_TOKEN: 'wrong-secret-value' }), logger });
      const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'unauthorized');
      const everything = JSON.stringify([r, logger.events]);
      assert.ok(!everything.includes('wrong-secret-value'));
      assert.equal(logger.named('avatar.fetch').length, 1);
    });

    it('an unset secret is a config error before any request, naming the reference', async () => {
      const before = server.requests.length;
      await assert.rejects(source('basic', { credentials: basic, secrets: secrets({}) }), (err: unknown) => {
        assert.ok(err instanceof AvatarConfigError);
        assert.match(err.message, /avatar\.credentials\.password: \$\{env:AVATAR_PW\} is not set \(environment variable AVATAR_PW\)/);
        return true;
      });
      assert.equal(server.requests.length, before);
    });

    it('403 fails with its own reason', async () => {
      const r = expectKind(await (await source('forbidden')).fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'forbidden');
    });
  });

  describe('failures reported per user', () => {
    it('5xx', async () => {
      const s = await createResourceServerSource({
        pattern: `${server.origin}/status/{employeeNumber}`,
        maxBytes: MAX,
        timeoutMs: 5000,
        dispatcher,
      });
      sources.push(s);
      const r = expectKind(await s.fetch({ dn: 'CN=x', attributes: { employeenumber: ['503'] } }), 'failed');
      assert.deepEqual([r.error.code, r.error.status], ['httpStatus', 503]);
    });

    it('slow: the deadline aborts the request and the server sees the client give up', async () => {
      const s = await source('slow', { timeoutMs: 300 });
      const abandonedBefore = server.abandoned;
      const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'timeout');
      assert.match(r.error.message, /no complete answer within 300 ms/);
      await server.waitFor(() => server.abandoned === abandonedBefore + 1);
      assert.equal(server.held.size, 0);
    });

    it('cancellation rejects instead of reporting a failure', async () => {
      const s = await source('slow');
      const ac = new AbortController();
      const abandonedBefore = server.abandoned;
      const pending = s.fetch(user('abcd@example.com'), ac.signal);
      await server.waitFor(() => server.held.size === 1);
      ac.abort(new Error('sync cancelled'));
      await assert.rejects(pending, /sync cancelled/);
      await server.waitFor(() => server.abandoned === abandonedBefore + 1);
    });

    it('oversized without Content-Length: stops reading past maxBytes and closes the connection', async () => {
      const s = await source('stream', { maxBytes: 1024 * 1024 });
      const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'tooLarge');
      assert.match(r.error.message, /larger than 1048576 bytes .*stopped reading/);
      await server.waitFor(() => server.streamed.closed);
      assert.equal(server.streamed.finished, false);
      assert.ok(server.streamed.bytes < 32 * 1024 * 1024, `server wrote ${server.streamed.bytes} of 64 MiB`);
    });

    it('oversized by Content-Length: refused before reading the body', async () => {
      const s = await source('declared', { maxBytes: 1024 * 1024 });
      const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'tooLarge');
      assert.match(r.error.message, /announced 1073741824 bytes/);
    });

    it('not an image: an HTML page served with 200', async () => {
      const r = expectKind(await (await source('html')).fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'notImage');
      assert.match(r.error.message, /"<!DOCTYPE html>.*the server sent text\/html/);
    });

    it('a truncated image', async () => {
      server.files.set('cut.jpg', { bytes: jpg.subarray(0, jpg.length - 100), type: 'image/jpeg' });
      const r = expectKind(await (await source('photos')).fetch(user('cut@example.com')), 'failed');
      assert.equal(r.error.code, 'truncated');
    });
  });

  describe('redirects', () => {
    it('follows up to 3', async () => {
      const s = await createResourceServerSource({
        pattern: `${server.origin}/redirect/3/{mail: .*?(?=@.*)}.jpg`,
        maxBytes: MAX,
        timeoutMs: 5000,
        dispatcher,
      });
      sources.push(s);
      expectKind(await s.fetch(user('abcd@example.com')), 'image');
    });

    it('fails past the limit', async () => {
      const s = await createResourceServerSource({
        pattern: `${server.origin}/redirect/4/{mail: .*?(?=@.*)}.jpg`,
        maxBytes: MAX,
        timeoutMs: 5000,
        dispatcher,
      });
      sources.push(s);
      const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
      assert.equal(r.error.code, 'redirect');
      assert.match(r.error.message, /more than 3 redirects/);
    });

    describe('from https', () => {
      let tls: Tls;
      let secure: PhotoServer;
      let tlsAgent: Agent;
      before(async () => {
        tls = await makeTls();
        secure = await startPhotoServer(tls);
        secure.files.set('abcd.jpg', { bytes: jpg, type: 'image/jpeg' });
        tlsAgent = new Agent({ connect: { ca: tls.cert } });
      });
      after(async () => {
        await tlsAgent.close();
        await secure.close();
      });

      it('fetches over https with the CA trusted', async () => {
        const s = await createResourceServerSource({
          pattern: `${secure.origin}/photos/{mail: .*?(?=@.*)}.jpg`,
          maxBytes: MAX,
          timeoutMs: 5000,
          dispatcher: tlsAgent,
        });
        sources.push(s);
        expectKind(await s.fetch(user('abcd@example.com')), 'image');
      });

      it('refuses a redirect from https to http, and sends nothing to the http server', async () => {
        secure.redirectTarget = server.origin;
        const s = await createResourceServerSource({
          pattern: `${secure.origin}/to-other/{mail: .*?(?=@.*)}.jpg`,
          maxBytes: MAX,
          timeoutMs: 5000,
          dispatcher: tlsAgent,
        });
        sources.push(s);
        const before = server.requests.length;
        const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
        assert.equal(r.error.code, 'redirect');
        assert.match(r.error.message, /refused a redirect from https to http/);
        assert.equal(server.requests.length, before);
      });

      it('an untrusted certificate is a network failure, not a silent success', async () => {
        const s = await createResourceServerSource({
          pattern: `${secure.origin}/photos/{mail: .*?(?=@.*)}.jpg`,
          maxBytes: MAX,
          timeoutMs: 5000,
          dispatcher,
        });
        sources.push(s);
        const r = expectKind(await s.fetch(user('abcd@example.com')), 'failed');
        assert.equal(r.error.code, 'network');
        assert.match(r.error.message, /self.signed|certificate/i);
      });
    });

    it('drops the Authorization header when a redirect leaves the origin', async () => {
      const other = await startPhotoServer();
      try {
        other.files.set('abcd.jpg', { bytes: jpg, type: 'image/jpeg' });
        server.redirectTarget = other.origin;
        const s = await source('to-other', { credentials: { type: 'bearer', token: envRef('T') }, secrets: secrets({ T: BEARER_TOKEN }) });
        expectKind(await s.fetch(user('abcd@example.com')), 'image');
        assert.equal(server.requests.at(-1)!.authorization, `Bearer ${BEARER_TOKEN}`);
        assert.equal(other.requests.at(-1)!.authorization, undefined);
      } finally {
        await other.close();
      }
    });
  });

  it('bounds concurrency: at most `concurrency` requests reach the server, the rest wait in the source', async () => {
    server.files.set('g.gif', { bytes: gifBytes(40, 40), type: 'image/gif' });
    const s = await createResourceServerSource({
      pattern: `${server.origin}/gated/{cn}.gif`,
      maxBytes: MAX,
      timeoutMs: 10_000,
      dispatcher,
      concurrency: 3,
    });
    sources.push(s);
    const before = server.requests.length;
    server.maxInFlight = server.inFlight;
    const all = Promise.all(Array.from({ length: 10 }, () => s.fetch({ dn: 'CN=g', attributes: { cn: ['g'] } })));
    const arrived = () => server.requests.length - before;
    await server.waitFor(() => server.held.size === 3);
    assert.deepEqual(s.stats(), { queued: 7, active: 3 }, 'the other 7 wait in the source, not on the wire');
    let served = 0;
    while (served < 10) {
      const wave = Math.min(3, 10 - served);
      await server.waitFor(() => server.held.size === wave);
      assert.ok(server.held.size <= 3);
      served += wave;
      server.releaseGated();
    }
    const results = await all;
    assert.equal(arrived(), 10);
    assert.ok(results.every((r) => r.kind === 'image'));
    assert.equal(server.maxInFlight, 3);
    assert.deepEqual(s.stats(), { queued: 0, active: 0 });
  });

  describe('proxies from the environment (EnvHttpProxyAgent)', () => {
    it('goes through HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
      const proxy = await startProxy();
      const proxied = createAvatarDispatcher({ HTTP_PROXY: proxy.url });
      const direct = createAvatarDispatcher({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
      try {
        const via = await source('photos', { dispatcher: proxied });
        expectKind(await via.fetch(user('abcd@example.com')), 'image');
        assert.equal(proxy.seen.length, 1);
        assert.match(proxy.seen[0]!, new RegExp(`127\\.0\\.0\\.1:${new URL(server.origin).port}`));
        const around = await source('photos', { dispatcher: direct });
        expectKind(await around.fetch(user('abcd@example.com')), 'image');
        assert.equal(proxy.seen.length, 1, 'NO_PROXY bypasses the proxy');
      } finally {
        await proxied.close();
        await direct.close();
        await proxy.close();
      }
    });
  });
});
