/**
 * `cloud.auth` through the editor's path: the built language server runs dry runs of the demo
 * config whose Service App credentials are `${secret:…}` references, answered (sealed) by the test
 * client as the extension answers from VS Code's SecretStorage. The server gets its access token
 * from the local cloud's token endpoint once and keeps it for the next run; no secret crosses
 * the wire in clear text. The rotated refresh token is kept where the CLI keeps it: the config's
 * state folder, owner-only.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DryRunRequest, type PlanResult } from '../../../common/requests';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { LspClient, ROOT } from '../../support/lspClient';
import { scratchWorkspace } from '../../support/scratchWorkspace';

const SECRETS: Record<string, string> = {
  '${secret:webex-client-id}': 'C-editor-app',
  '${secret:webex-client-secret}': 'editor-secret-61c2d9a0',
  '${secret:webex-refresh-token}': 'editor-refresh-4e7f1b38',
};

/** A local cloud with the editor's Service App, the demo config using it in a fresh folder, and a fresh language server. */
async function startDemo(label: string, prepare: (folder: string) => void = () => undefined, edit: (text: string) => string = (t) => t) {
  const cloud = await startCloudFixture({
    orgId: 'demo-org',
    dialect: 'webex',
    oauth: {
      clientId: SECRETS['${secret:webex-client-id}']!,
      clientSecret: SECRETS['${secret:webex-client-secret}']!,
      refreshToken: SECRETS['${secret:webex-refresh-token}']!,
    },
  });
  const folder = scratchWorkspace({}, label);
  cpSync(join(ROOT, 'sample-configs/data'), join(folder, 'data'), { recursive: true });
  prepare(folder);
  const uri = pathToFileURL(join(folder, 'demo.dirsync')).toString();
  const auth = JSON.stringify({
    clientId: '${secret:webex-client-id}',
    clientSecret: '${secret:webex-client-secret}',
    refreshToken: '${secret:webex-refresh-token}',
    tokenUrl: `${cloud.cloud.url}/v1/access_token`,
  });
  let text = readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8')
    .replaceAll('http://127.0.0.1:8787', cloud.cloud.url)
    .replace('"token": "${env:DIRSYNC_CLOUD_TOKEN}"', `"auth": ${auth}`);
  assert.ok(text.includes('"auth"'), 'the demo config names its token differently now');
  text = edit(text);
  // The demo publishes pictures to the local cloud with its static token (avatar.publish.credentials).
  const lsp = await LspClient.start({
    secret: (p) => SECRETS[p.ref.text] ?? (p.ref.text === '${env:DIRSYNC_CLOUD_TOKEN}' ? TOKEN : undefined),
  });
  await lsp.open(uri, text);
  return { cloud, folder, uri, lsp };
}

describe('run requests over LSP with cloud.auth (secrets from the editor)', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let lsp: LspClient;
  let uri: string;
  let folder: string;

  before(async () => {
    ({ cloud, folder, uri, lsp } = await startDemo('run-lsp-auth'));
  });

  after(async () => {
    await lsp?.stop();
    await cloud?.close();
  });

  it('two dry runs plan with one access token, asked for with the stored secrets', async () => {
    for (let i = 0; i < 2; i++) {
      const r = (await lsp.conn.sendRequest(DryRunRequest.method, { uri, mode: 'full' })) as PlanResult;
      assert.equal(r.outcome, 'planned', r.message);
      assert.ok(r.counts && r.counts.added > 0);
    }
    assert.equal(cloud.cloud.tokens().issued, 1, 'the second run reused the token');
    const asked = new Set(lsp.secretRequests.map((p) => p.ref.text));
    for (const ref of Object.keys(SECRETS)) assert.ok(asked.has(ref), `${ref} was not asked for`);
    for (const value of Object.values(SECRETS)) assert.ok(!lsp.wire.includes(value), 'a secret crossed the wire in clear text');
    assert.ok(!lsp.wire.includes('LCAT_'), 'an access token crossed the wire');
    assert.ok(!lsp.wire.includes('LCRT_'), 'a refresh token crossed the wire');
  });

  it("keeps the rotated refresh token in the config's state folder, as the CLI does (0600)", () => {
    const state = join(folder, '.dirsync', 'state');
    const kept = readdirSync(state).filter((n) => /^refresh-token-[0-9a-f]{16}\.json$/.test(n));
    assert.equal(kept.length, 1, readdirSync(state).join(', '));
    assert.equal(statSync(join(state, kept[0]!)).mode & 0o777, 0o600);
    assert.match(readFileSync(join(state, kept[0]!), 'utf8'), /"refreshToken": "LCRT_/);
  });
});

describe('run requests over LSP with cloud.auth: a rotated refresh token that cannot be kept', function () {
  this.timeout(120_000);
  let cloud: CloudFixture | undefined;
  let lsp: LspClient | undefined;
  after(async () => {
    await lsp?.stop();
    await cloud?.close();
  });

  it('the dry run is planned, and a window warning names the file, once, never the token', async () => {
    let uri: string;
    // A file where the state folder should be: the rotated refresh token cannot be written.
    // (Pictures off: the avatar planner keeps its hashes in that folder too.)
    ({ cloud, uri, lsp } = await startDemo(
      'run-lsp-keep',
      (folder) => {
        mkdirSync(join(folder, '.dirsync'));
        writeFileSync(join(folder, '.dirsync', 'state'), 'not a folder');
      },
      (text) => text.replace('"avatar": {\n    "enabled": true', '"avatar": {\n    "enabled": false'),
    ));
    const r = (await lsp.conn.sendRequest(DryRunRequest.method, { uri, mode: 'full' })) as PlanResult;
    assert.equal(r.outcome, 'planned', r.message);
    const shown = await lsp.shown.next();
    assert.equal(shown.type, 2, 'a warning');
    assert.match(
      shown.message,
      /^Dirsync: Could not keep the new refresh token in .*refresh-token-[0-9a-f]{16}\.json \((EEXIST|ENOTDIR)\): the new refresh token is used by this process only/,
    );
    // A second run renews nothing (the access token is still good): no second warning.
    const again = (await lsp.conn.sendRequest(DryRunRequest.method, { uri, mode: 'full' })) as PlanResult;
    assert.equal(again.outcome, 'planned', again.message);
    assert.equal(lsp.wire.split('"method":"window/showMessage"').length - 1, 1, 'one window warning');
    for (const value of Object.values(SECRETS)) assert.ok(!lsp.wire.includes(value), 'a secret crossed the wire in clear text');
    assert.ok(!lsp.wire.includes('LCRT_'), 'a refresh token crossed the wire');
  });
});
