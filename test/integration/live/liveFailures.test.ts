/**
 * The live previews when the directory misbehaves, over real LSP JSON-RPC: a directory that stalls
 * never delays the static diagnostics (ordering shown by events: the static publish arrives while
 * the proxy still holds the directory's answer), a directory that goes away leaves the static
 * checks working and says why the live parts are off, a wrong password is reported once and not
 * retried on its own. A TCP proxy on an ephemeral port stands between the server and Samba.
 */
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { BindDirectoryRequest, type LiveStatus } from '../../../common/requests';
import type { SambaFixture } from '../../fixtures/samba';
import { testDc } from '../../support/directory';
import { configText } from '../../support/liveConfig';
import { LspClient, positionOf } from '../../support/lspClient';
import { TcpProxy } from '../../support/tcpProxy';

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => String(d.code)).sort();

describe('live previews when the directory stalls, goes away or refuses the bind', () => {
  let f: SambaFixture;
  let dir: string;
  const clients: LspClient[] = [];
  const proxies: TcpProxy[] = [];

  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-live-fail-'));
  });
  after(async () => {
    for (const c of clients) await c.stop();
    for (const p of proxies) await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(name: string, password: string) {
    const proxy = await TcpProxy.start();
    proxies.push(proxy);
    const c = await LspClient.start({ secret: (p) => (p.ref.kind === 'secret' ? password : undefined) });
    clients.push(c);
    const uri = pathToFileURL(join(dir, `${name}.dirsync`)).href;
    return { proxy, c, uri };
  }

  it('a stalled directory never delays the static diagnostics; live ones follow when it answers', async () => {
    const { proxy, c, uri } = await setUp('slow', f.password);
    let text = configText(f, proxy.url);
    await c.open(uri, text, 1);
    await c.diagnostics.next((p) => p.uri === uri && p.version === 1);
    assert.equal((await c.request<LiveStatus>(BindDirectoryRequest.method, { uri })).state, 'bound');

    proxy.stall();
    const held = once(proxy, 'held');
    // A filter the server has never counted: the live check must ask the (stalled) directory.
    text = text.replace(
      '"users": { "enabled": true,',
      '"users": { "enabled": true, "filter": "(&(objectClass=user)(sn=Nobody-Is-Called-This))",',
    );
    await c.change(uri, text, 2);
    const static2 = await c.diagnostics.next((p) => p.uri === uri && p.version === 2);
    assert.deepEqual(codes(static2.diagnostics), ['DS528'], 'static diagnostics, no live ones yet');
    await held; // the live count reached the directory and its answer is being held
    // Typing goes on while the directory is stalled: the next version's static diagnostics come too.
    text = text.replace('"title": "title"', '"title": "title | department"');
    await c.change(uri, text, 3);
    const static3 = await c.diagnostics.next((p) => p.uri === uri && p.version === 3);
    assert.deepEqual(codes(static3.diagnostics), ['DS528']);
    assert.ok(!c.diagnostics.all.some((p) => p.diagnostics.some((d) => d.code === 'DS604')), 'no live result while the directory holds it');

    proxy.release();
    const live = await c.diagnostics.next((p) => p.uri === uri && p.version === 3 && p.diagnostics.some((d) => d.code === 'DS604'));
    assert.deepEqual(codes(live.diagnostics), ['DS528', 'DS604']);
  });

  it('a directory that goes away: static diagnostics still arrive, the live part says why it is off', async () => {
    const { proxy, c, uri } = await setUp('down', f.password);
    let text = configText(f, proxy.url);
    await c.open(uri, text, 1);
    await c.diagnostics.next((p) => p.uri === uri && p.version === 1);
    assert.equal((await c.request<LiveStatus>(BindDirectoryRequest.method, { uri })).state, 'bound');
    await c.diagnostics.next((p) => p.uri === uri && p.version === 1 && p.diagnostics.length === 1);

    await proxy.cut();
    const down = c.statuses.next((s) => s.uri === uri && s.state === 'down');
    text = text.replace('"users": { "enabled": true,', '"users": { "enabled": true, "filter": "(&(objectClass=user)(sn=After-The-Cut))",');
    await c.change(uri, text, 2);
    const first = await c.diagnostics.next((p) => p.uri === uri && p.version === 2);
    assert.deepEqual(codes(first.diagnostics), ['DS528'], 'the static checks keep working');
    const s = await down;
    assert.ok(s.reason!.includes(proxy.url), s.reason);
    assert.match(s.code!, /^(unreachable|connectionLost)$/);
    const withWhy = await c.diagnostics.next((p) => p.uri === uri && p.version === 2 && p.diagnostics.some((d) => d.code === 'DS601'));
    assert.deepEqual(codes(withWhy.diagnostics), ['DS528', 'DS601']);
    const ds601 = withWhy.diagnostics.find((d) => d.code === 'DS601')!;
    assert.equal(ds601.severity, 3, 'information');
    assert.deepEqual(ds601.range.start, positionOf(text, `"${proxy.url}"`));
    assert.ok(String(ds601.message).includes(proxy.url));
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.match(lenses[0]!.command!.title, /^\$\(warning\) Live count off: /);
    assert.equal(lenses[0]!.command!.command, 'dirsync.bindDirectory');
    // More edits: static diagnostics as usual, and the status is not sent again (no flood).
    const before = c.statuses.all.length;
    text = text.replace('"title": "title"', '"title": "department"');
    await c.change(uri, text, 3);
    const d3 = await c.diagnostics.next((p) => p.uri === uri && p.version === 3);
    assert.ok(codes(d3.diagnostics).includes('DS528'));
    assert.equal(c.statuses.all.length, before);
  });

  it('a wrong password: failed with the clear error, the password never shown, no automatic retry', async () => {
    const wrong = 'Not-The-Password-§9';
    const { proxy, c, uri } = await setUp('wrong', wrong);
    let text = configText(f, proxy.url);
    await c.open(uri, text, 1);
    await c.diagnostics.next((p) => p.uri === uri && p.version === 1);
    const s = await c.request<LiveStatus>(BindDirectoryRequest.method, { uri });
    assert.equal(s.state, 'failed');
    assert.equal(s.code, 'invalidCredentials');
    assert.ok(s.reason!.includes(proxy.url) && s.reason!.includes(f.adminDn), s.reason);
    const d = await c.diagnostics.next((p) => p.uri === uri && p.diagnostics.some((x) => x.code === 'DS601'));
    assert.match(String(d.diagnostics.find((x) => x.code === 'DS601')!.message), /invalid credentials/);
    const connections = proxy.connections;
    const asked = c.secretRequests.length;
    text = text.replace('"title": "title"', '"title": "department"');
    await c.change(uri, text, 2);
    await c.diagnostics.next((p) => p.uri === uri && p.version === 2);
    const after = await c.request<LiveStatus>('dirsync/liveStatus', { uri });
    assert.equal(after.state, 'failed');
    assert.equal(proxy.connections, connections, 'no new bind attempt after an edit');
    assert.equal(c.secretRequests.length, asked);
    for (const t of [c.wire, c.stderr, c.logs.join('\n')]) assert.ok(!t.includes(wrong));
  });
});
