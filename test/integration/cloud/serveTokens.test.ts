/**
 * `dirsync serve` with `cloud.auth`, across several access-token expiries: the local cloud
 * (`dirsync cloud`, its own process, over HTTP) issues tokens that live 2 s; serve syncs every
 * second. Everything waits on output lines — the cloud's request log and serve's sync lines —
 * never on time: runs keep succeeding, tokens are renewed ahead of expiry, a token the cloud
 * ends early is renewed once on the 401, and no token or secret reaches any output or log.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { RequestRecord } from '../../../server/src/localCloud/index';
import { TOKEN } from '../../support/cloud';
import { appAuth, BIN, e2eConfig, startTokenCloud, writeLdif } from '../../support/syncCli';
import { spawnWatched, type WatchedProcess } from '../../support/watchedProcess';

const APP = { id: 'C-serve-app', secret: 'app-secret-3f9b0c21e7', refresh: 'first-refresh-8d2a6e51c4' };
const LEAKS = [APP.secret, APP.refresh, TOKEN, 'LCAT_', 'LCRT_'];

describe('dirsync serve: access tokens renew across expiries (cloud.auth)', function () {
  this.timeout(180_000);
  let dir: string;
  let cloud: WatchedProcess | undefined;
  let serve: WatchedProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-serve-auth-'));
  });
  afterEach(async () => {
    for (const p of [serve, cloud]) {
      if (p && p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGTERM');
        await p.exit;
      }
    }
    serve = cloud = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `dirsync cloud` (scim dialect, the Service App's token endpoint on) with `extra` flags; returns its SCIM base URL. */
  async function startCloud(extra: string[]): Promise<string> {
    const started = startTokenCloud(dir, APP, extra);
    cloud = started.cloud;
    return started.baseUrl;
  }

  it('keeps syncing; renews ahead of expiry and once on a 401; warns of the refresh token; leaks nothing', async () => {
    const ldif = join(dir, 'corp.ldif');
    await writeLdif(ldif, 20);
    const baseUrl = await startCloud(['--log', '--token-lifetime', '2', '--refresh-token-lifetime', String(10 * 86_400)]);
    const origin = new URL(baseUrl).origin;
    const records = (): RequestRecord[] => cloud!.stdout.slice(1).map((l) => JSON.parse(l) as RequestRecord);
    const issued = () => records().filter((r) => r.path === '/v1/access_token' && r.status === 200).length;
    const refused401 = () => records().filter((r) => r.path.startsWith('/identity/') && r.status === 401).length;

    const config = join(dir, 'corp.dirsync');
    const auth = appAuth(baseUrl);
    writeFileSync(
      config,
      e2eConfig(baseUrl, ldif, {
        cloud: { type: 'scim', url: baseUrl, auth, concurrency: 4 },
        schedule: { enabled: true, incrementalInterval: '1s' },
      }),
    );
    const events = join(dir, 'events.jsonl');
    serve = spawnWatched(process.execPath, [BIN, 'serve', config, '--log', events], {
      cwd: dir,
      env: { PATH: process.env['PATH'], APP_CLIENT_ID: APP.id, APP_CLIENT_SECRET: APP.secret, APP_REFRESH_TOKEN: APP.refresh },
    });
    const syncLines = () => serve!.stderr.filter((l) => / sync: | sync failed/.test(l));

    // After each sync, end the cloud's access tokens early until a request has met a 401: the
    // client must renew once and send it again (it may have renewed ahead just before).
    const expire = async () => {
      const res = await request(`${origin}/_dirsync/tokens/expire`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      await res.body.dump();
    };
    serve.onLine((line) => {
      if (/ sync: /.test(line) && refused401() === 0) void expire();
    });
    await serve.until(() => syncLines().length >= 1);
    await Promise.all([cloud!.until(() => refused401() >= 1), serve.until(() => syncLines().length >= 2)]);
    const afterRefusal = syncLines().length;
    // Several more expiries: the 2-s tokens are renewed ahead while serve keeps syncing.
    await cloud!.until(() => issued() >= 6);
    await serve.until(() => syncLines().length >= afterRefusal + 2);

    serve.child.kill('SIGTERM');
    assert.equal(await serve.exit, 0, serve.stderr.join('\n'));
    // A sync that SIGTERM interrupted says so; every other one succeeded.
    const lines = syncLines().filter((l) => !/interrupted by SIGTERM/.test(l));
    assert.match(lines[0]!, /full sync: applied \d+, failed 0/);
    for (const l of lines.slice(1)) assert.match(l, /incremental sync: no changes/);
    assert.ok(lines.length >= 4, lines.join('\n'));

    const logged = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const reasons = logged.filter((e) => e['event'] === 'auth.renewed').map((e) => e['reason']);
    assert.ok(reasons.includes('ahead'), reasons.join());
    assert.equal(reasons.filter((r) => r === 'start').length, 1, 'one provider for the whole service');
    assert.ok(refused401() >= 1);
    assert.ok(
      logged.some((e) => e['event'] === 'scim.retry' && /HTTP 401/.test(String(e['reason']))),
      'a refused request was sent again after renewing',
    );
    // The cloud's tokens never failed a request for good: every 401 was renewed and resent.
    assert.ok(!logged.some((e) => e['event'] === 'scim.error'), 'no SCIM errors');
    assert.equal(
      records().filter((r) => r.path === '/v1/access_token' && r.status !== 200).length,
      0,
      'every token request was granted (the rotated refresh token was kept)',
    );

    const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const warnings = serve.stderr.filter((l) => / warning: The refresh token in cloud\.auth expires on /.test(l));
    assert.equal(warnings.length, 1, 'warned once');
    assert.match(warnings[0]!, new RegExp(`expires on (${date}|\\d{4}-\\d\\d-\\d\\d) \\(in (9|10) days\\)`));

    const outputs = [
      serve.stderr.join('\n'),
      serve.stdout.join('\n'),
      readFileSync(events, 'utf8'),
      cloud!.stdout.join('\n'),
      cloud!.stderr.join('\n'),
    ];
    for (const leak of LEAKS) for (const text of outputs) assert.ok(!text.includes(leak), `output contains ${leak.slice(0, 6)}…`);
  });

  it('refused credentials: the sync fails naming cloud.auth, without the secret', async () => {
    const ldif = join(dir, 'corp.ldif');
    await writeLdif(ldif, 3);
    const baseUrl = await startCloud([]);
    const config = join(dir, 'corp.dirsync');
    const auth = appAuth(baseUrl);
    writeFileSync(config, e2eConfig(baseUrl, ldif, { cloud: { type: 'scim', url: baseUrl, auth }, schedule: { enabled: true } }));
    serve = spawnWatched(process.execPath, [BIN, 'serve', '--once', config], {
      cwd: dir,
      env: { PATH: process.env['PATH'], APP_CLIENT_ID: APP.id, APP_CLIENT_SECRET: 'wrong-secret-c0ffee', APP_REFRESH_TOKEN: APP.refresh },
    });
    assert.equal(await serve.exit, 1);
    const err = serve.stderr.join('\n');
    assert.match(
      err,
      /sync failed: Could not get an access token from http:\/\/127\.0\.0\.1:\d+\/v1\/access_token: HTTP 401 invalid_client/,
    );
    assert.match(err, /Check cloud\.auth \(clientId \$\{env:APP_CLIENT_ID\}, clientSecret \$\{env:APP_CLIENT_SECRET\}/);
    assert.ok(!err.includes('wrong-secret-c0ffee'));
  });
});
