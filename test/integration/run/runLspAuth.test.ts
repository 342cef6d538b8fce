/**
 * `cloud.auth` through the editor's path: the built language server runs dry runs of the demo
 * config whose Service App credentials are `${secret:…}` references, answered (sealed) by the test
 * client as the extension answers from VS Code's SecretStorage. The server gets its access token
 * from the local cloud's token endpoint once and keeps it for the next run; no secret crosses
 * the wire in clear text. The rotated refresh token is kept where the CLI keeps it: the config's
 * state folder, owner-only.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

describe('run requests over LSP with cloud.auth (secrets from the editor)', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let lsp: LspClient;
  let uri: string;
  let folder: string;

  before(async () => {
    cloud = await startCloudFixture({
      orgId: 'demo-org',
      dialect: 'webex',
      oauth: {
        clientId: SECRETS['${secret:webex-client-id}']!,
        clientSecret: SECRETS['${secret:webex-client-secret}']!,
        refreshToken: SECRETS['${secret:webex-refresh-token}']!,
      },
    });
    folder = scratchWorkspace({}, 'run-lsp-auth');
    cpSync(join(ROOT, 'sample-configs/data'), join(folder, 'data'), { recursive: true });
    uri = pathToFileURL(join(folder, 'demo.dirsync')).toString();
    const auth = JSON.stringify({
      clientId: '${secret:webex-client-id}',
      clientSecret: '${secret:webex-client-secret}',
      refreshToken: '${secret:webex-refresh-token}',
      tokenUrl: `${cloud.cloud.url}/v1/access_token`,
    });
    const text = readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8')
      .replaceAll('http://127.0.0.1:8787', cloud.cloud.url)
      .replace('"token": "${env:DIRSYNC_CLOUD_TOKEN}"', `"auth": ${auth}`);
    assert.ok(text.includes('"auth"'), 'the demo config names its token differently now');
    // The demo publishes pictures to the local cloud with its static token (avatar.publish.credentials).
    lsp = await LspClient.start({
      secret: (p) => SECRETS[p.ref.text] ?? (p.ref.text === '${env:DIRSYNC_CLOUD_TOKEN}' ? TOKEN : undefined),
    });
    await lsp.open(uri, text);
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
