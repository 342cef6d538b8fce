/**
 * The avatar URL check ("Test avatar URL", and the hover over `avatar.uriPattern`) over LSP: the
 * pattern resolved on the picked Samba user and fetched from a local HTTP server on 127.0.0.1 with
 * the configured Basic credentials (the password from the client, sealed), as a sync fetches it.
 */
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Hover, InlayHint } from 'vscode-languageserver-protocol';
import {
  BindDirectoryRequest,
  SetPreviewEntryRequest,
  TestAvatarRequest,
  type AvatarCheckResult,
  type LiveStatus,
  type SetPreviewEntryResult,
} from '../../../common/requests';
import { jpegBytes } from '../../support/avatarImages';
import type { SambaFixture } from '../../fixtures/samba';
import { baseline, first, kindOf, testDc } from '../../support/directory';
import { configText, SECRET_KEY } from '../../support/liveConfig';
import { LspClient, positionOf } from '../../support/lspClient';

const PHOTO_PASSWORD = 'Ph0to-Server-Secret';

describe('live previews: the avatar URL check against a local HTTP server', () => {
  let f: SambaFixture;
  let c: LspClient;
  let server: http.Server;
  let dir: string;
  const requests: Array<{ url: string; auth?: string }> = [];
  const photo = jpegBytes(96, 72);

  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-live-avatar-'));
    server = http.createServer((req, res) => {
      requests.push({ url: req.url!, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      if (req.headers.authorization !== `Basic ${Buffer.from(`photos:${PHOTO_PASSWORD}`).toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="photos"' }).end();
        return;
      }
      if (!req.url!.startsWith('/zoom/')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length }).end(photo);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    c = await LspClient.start({
      secret: (p) =>
        p.ref.kind === 'secret' && p.ref.key === SECRET_KEY
          ? f.password
          : p.ref.kind === 'secret' && p.ref.key === 'photos'
            ? PHOTO_PASSWORD
            : undefined,
    });
  });
  after(async () => {
    await c?.stop();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resolves the pattern on the preview user, fetches it with the credentials: status, type, size, dimensions', async () => {
    const port = (server.address() as AddressInfo).port;
    const uri = pathToFileURL(join(dir, 'avatars.dirsync')).href;
    const text = configText(f, f.ldapUrl, (t) =>
      t.replace(
        '"policy":',
        `"avatar": { "enabled": true, "source": "resourceServer", "uriPattern": "http://127.0.0.1:${port}/zoom/{mail: .*?(?=@.*)}.jpg",\n    "credentials": { "type": "basic", "username": "photos", "password": "\${secret:photos}" } },\n  "policy":`,
      ),
    );
    await c.open(uri, text, 1);
    await c.diagnostics.next((p) => p.uri === uri && p.version === 1);
    assert.equal((await c.request<LiveStatus>(BindDirectoryRequest.method, { uri })).state, 'bound');
    const person = baseline().find(
      (r) => kindOf(r) === 'user' && String(first(r, 'mail') ?? '').includes('.') && r.dn.includes('OU=Europe'),
    )!;
    const set = await c.request<SetPreviewEntryResult>(SetPreviewEntryRequest.method, { uri, dn: person.dn });
    assert.equal(set.error, undefined);
    const mail = String(first(person, 'mail'));
    const expected = `http://127.0.0.1:${port}/zoom/${encodeURIComponent(mail.split('@')[0]!)}.jpg`;

    // The lens over the pattern, and what its click asks.
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const lens = lenses.find((l) => l.command?.title === 'Test avatar URL')!;
    assert.ok(lens, lenses.map((l) => l.command?.title).join(' | '));
    assert.equal(lens.range.start.line, positionOf(text, '"uriPattern"').line);
    assert.deepEqual(lens.command!.arguments, [uri]);
    const r = await c.request<AvatarCheckResult>(TestAvatarRequest.method, { uri });
    assert.equal(r.ok, true, r.summary);
    assert.equal(r.url, expected);
    assert.equal(r.status, 200);
    assert.equal(r.contentType, 'image/jpeg');
    assert.equal(r.bytes, photo.length);
    assert.deepEqual([r.width, r.height, r.format], [96, 72, 'jpeg']);
    assert.match(r.summary, /^200 · image\/jpeg · [\d,]+ bytes .* · 96×72/);
    const last = requests[requests.length - 1]!;
    assert.equal(last.url, new URL(expected).pathname);

    // The inlay hint shows the resolved URL; the hover the check.
    const hints = await c.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } },
    });
    assert.ok(
      hints.some((h) => h.label === `→ ${expected}`),
      hints.map((h) => String(h.label)).join(' | '),
    );
    const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '/zoom/', 2) });
    const md = (h.contents as { value: string }).value;
    assert.ok(md.includes(`Avatar URL check: \`${expected}\` → 200 · image/jpeg`), md);
    assert.ok(!c.wire.includes(PHOTO_PASSWORD), 'the photo server password crossed the wire in clear text');
  });

  it('a wrong password is a 401 the check reports', async () => {
    const c2 = await LspClient.start({
      secret: (p) => (p.ref.kind === 'secret' && p.ref.key === SECRET_KEY ? f.password : p.ref.kind === 'secret' ? 'wrong' : undefined),
    });
    try {
      const port = (server.address() as AddressInfo).port;
      const uri = pathToFileURL(join(dir, 'wrong.dirsync')).href;
      const text = configText(f, f.ldapUrl, (t) =>
        t.replace(
          '"policy":',
          `"avatar": { "enabled": true, "source": "resourceServer", "uriPattern": "http://127.0.0.1:${port}/zoom/{sAMAccountName}.jpg", "credentials": { "type": "basic", "username": "photos", "password": "\${secret:photos}" } },\n  "policy":`,
        ),
      );
      await c2.open(uri, text, 1);
      await c2.diagnostics.next((p) => p.uri === uri);
      await c2.request<LiveStatus>(BindDirectoryRequest.method, { uri });
      const r = await c2.request<AvatarCheckResult>(TestAvatarRequest.method, { uri });
      assert.equal(r.ok, false);
      assert.equal(r.status, 401);
      assert.match(r.summary, /^401 Unauthorized: /);
    } finally {
      await c2.stop();
    }
  });
});
