/**
 * A rotated refresh token survives a restart: `dirsync cloud --retire-starting-refresh-token` (its
 * own process, over HTTP) retires the configured refresh token after its first use, as a strictly
 * rotating OAuth server does. Two `dirsync sync` processes run one after the other with the same
 * config: the second one gets an access token only because the first kept the rotated refresh
 * token in the state folder (mode 0600, written atomically, out of Git), and no token or secret
 * appears in any output, event log or report.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../../../server/src/localCloud/index';
import { TOKEN } from '../../support/cloud';
import { appAuth, BIN, e2eConfig, startTokenCloud, writeLdif } from '../../support/syncCli';
import { spawnWatched, type WatchedProcess } from '../../support/watchedProcess';

const APP = { id: 'C-restart-app', secret: 'app-secret-9c1d4e7f02', refresh: 'first-refresh-5b7e2a90d3' };

/** Every text file under `dir`, recursively (reports, state, event logs). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.db(-wal|-shm)?$/.test(e.name) ? [] : [join(dir, e.name)],
  );
}

describe('cloud.auth: a rotated refresh token survives a restart', function () {
  this.timeout(120_000);
  let dir: string;
  let cloud: WatchedProcess | undefined;
  const runs: WatchedProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-rt-restart-'));
  });
  afterEach(async () => {
    for (const p of [...runs.splice(0), cloud]) {
      if (p && p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGTERM');
        await p.exit;
      }
    }
    cloud = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function startCloud(): Promise<string> {
    const started = startTokenCloud(dir, APP, ['--log', '--retire-starting-refresh-token'], (c) =>
      c.stderr.some((l) => /^token endpoint /.test(l)),
    );
    cloud = started.cloud;
    return started.baseUrl;
  }

  async function sync(
    config: string,
    events: string,
    refreshToken = APP.refresh,
  ): Promise<{ code: number | string | null; stderr: string; stdout: string }> {
    return cli(['sync', config, '--log', events], refreshToken);
  }

  async function cli(
    args: string[],
    refreshToken = APP.refresh,
  ): Promise<{ code: number | string | null; stderr: string; stdout: string }> {
    const run = spawnWatched(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env['PATH'], APP_CLIENT_ID: APP.id, APP_CLIENT_SECRET: APP.secret, APP_REFRESH_TOKEN: refreshToken },
    });
    runs.push(run);
    const code = await run.exit;
    return { code, stderr: run.stderr.join('\n'), stdout: run.stdout.join('\n') };
  }

  it('the second process starts from the kept token; the file is 0600, git-ignored, and never shown', async () => {
    const ldif = join(dir, 'corp.ldif');
    await writeLdif(ldif, 5);
    const baseUrl = await startCloud();
    assert.match(cloud!.stderr.join('\n'), /the starting refresh token is retired after its first use/);
    const grants = (): RequestRecord[] =>
      cloud!.stdout
        .slice(1)
        .map((l) => JSON.parse(l) as RequestRecord)
        .filter((r) => r.path === '/v1/access_token');
    const config = join(dir, 'corp.dirsync');
    const auth = appAuth(baseUrl);
    writeFileSync(config, e2eConfig(baseUrl, ldif, { cloud: { type: 'scim', url: baseUrl, auth, concurrency: 4 } }));

    const first = await sync(config, join(dir, 'events-1.jsonl'));
    assert.equal(first.code, 2, first.stderr + first.stdout); // 2: changes applied
    assert.deepEqual(
      grants().map((g) => g.status),
      [200],
      'the first run used the configured refresh token once',
    );
    const stateDir = join(dir, '.dirsync', 'state');
    const keptFiles = () => readdirSync(stateDir).filter((n) => /^refresh-token-[0-9a-f]{16}\.json$/.test(n));
    const keptToken = (): string | undefined => {
      const [name] = keptFiles();
      return name ? (JSON.parse(readFileSync(join(stateDir, name), 'utf8')) as { refreshToken: string }).refreshToken : undefined;
    };
    const rotated = keptToken();

    // A restarted dirsync: the configured refresh token is retired now, so only the kept one works.
    const second = await sync(config, join(dir, 'events-2.jsonl'));
    assert.equal(second.code, 0, second.stderr + second.stdout); // 0: the cloud already matched
    assert.deepEqual(
      grants().map((g) => g.status),
      [200, 200],
      'the second run was granted at once, with the kept refresh token',
    );

    assert.equal(keptFiles().length, 1, readdirSync(stateDir).join(', '));
    const file = join(stateDir, keptFiles()[0]!);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
    assert.deepEqual(
      readdirSync(stateDir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left: written by rename',
    );
    assert.match(readFileSync(join(stateDir, '.gitignore'), 'utf8'), /^\*$/m, 'the state folder keeps itself out of Git');
    assert.match(rotated ?? '', /^LCRT_/, 'the first run kept the rotated refresh token');
    const events2 = readFileSync(join(dir, 'events-2.jsonl'), 'utf8');
    assert.match(events2, /"event":"auth\.refreshTokenKept"/);
    const rotatedAgain = keptToken()!;
    assert.notEqual(rotatedAgain, rotated, 'the file holds the newest refresh token');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    // No token or secret in any output, event log, report or other state file.
    const leaks = [APP.secret, APP.refresh, rotated!, rotatedAgain, TOKEN, 'LCAT_'];
    const texts: Array<[string, string]> = [
      ['first run output', first.stderr + first.stdout],
      ['second run output', second.stderr + second.stdout],
      ['cloud output', cloud!.stdout.join('\n') + cloud!.stderr.join('\n')],
      ...filesUnder(dir)
        .filter((f) => f !== file && f !== config && f !== ldif)
        .map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
    ];
    for (const leak of leaks) for (const [where, text] of texts) assert.ok(!text.includes(leak), `${where} contains ${leak.slice(0, 8)}…`);
  });

  it('a new refresh token in the config: once it worked, the token kept for the old one is removed; an older file is still read', async () => {
    const ldif = join(dir, 'corp.ldif');
    await writeLdif(ldif, 3);
    const baseUrl = await startCloud();
    const config = join(dir, 'corp.dirsync');
    writeFileSync(config, e2eConfig(baseUrl, ldif, { cloud: { type: 'scim', url: baseUrl, auth: appAuth(baseUrl), concurrency: 4 } }));
    const stateDir = join(dir, '.dirsync', 'state');
    const kept = () => readdirSync(stateDir).filter((n) => /^refresh-token-[0-9a-f]{16}\.json$/.test(n));
    const read = (name: string) => JSON.parse(readFileSync(join(stateDir, name), 'utf8')) as Record<string, string>;

    const first = await sync(config, join(dir, 'events-1.jsonl'));
    assert.equal(first.code, 2, first.stderr + first.stdout); // 2: changes applied
    const [old] = kept();
    assert.ok(old && kept().length === 1, kept().join(', '));
    const app = read(old).app;
    assert.match(app ?? '', /^[0-9a-f]{64}$/, 'the file names its token endpoint and client by digest');
    // As the version before files named their Service App wrote it: it must still be found.
    const { app: _app, ...older } = read(old);
    writeFileSync(join(stateDir, old), JSON.stringify(older, null, 2) + '\n', { mode: 0o600 });

    // The starting token is retired: this run is granted only because it read the older file.
    const second = await sync(config, join(dir, 'events-2.jsonl'));
    assert.equal(second.code, 0, second.stderr + second.stdout); // 0: the cloud already matched
    assert.match(readFileSync(join(dir, 'events-2.jsonl'), 'utf8'), /"event":"auth\.refreshTokenKept"/);
    assert.deepEqual(kept(), [old]);
    assert.equal(read(old).app, app, 'the older file now names its Service App');

    // The admin puts a new refresh token into the config (the local cloud honours the refresh
    // tokens it issued: the one kept now stands for a token fetched again from the developer portal).
    const fresh = read(old).refreshToken!;
    const third = await sync(config, join(dir, 'events-3.jsonl'), fresh);
    assert.equal(third.code, 0, third.stderr + third.stdout);
    const [now] = kept();
    assert.ok(now && kept().length === 1 && now !== old, `the old token's file is gone: ${readdirSync(stateDir).join(', ')}`);
    assert.equal(read(now).app, app);
    assert.equal(statSync(join(stateDir, now)).mode & 0o777, 0o600);
    // The next run starts from the new token's kept successor.
    const fourth = await sync(config, join(dir, 'events-4.jsonl'), fresh);
    assert.equal(fourth.code, 0, fourth.stderr + fourth.stdout);
    assert.match(readFileSync(join(dir, 'events-4.jsonl'), 'utf8'), /"event":"auth\.refreshTokenKept"/);
    assert.deepEqual(kept(), [now]);
    for (const r of [first, second, third, fourth]) {
      for (const leak of [APP.secret, APP.refresh, fresh, 'LCRT_']) assert.ok(!(r.stderr + r.stdout).includes(leak), leak.slice(0, 8));
    }
  });

  it('a rotated token that cannot be kept: plan, sync and apply say so on stderr (no event log needed), never the token', async () => {
    const ldif = join(dir, 'corp.ldif');
    await writeLdif(ldif, 2);
    // The token endpoint rotates, but this test's starting token stays valid: each run starts from it.
    const started = startTokenCloud(dir, APP, ['--log'], (c) => c.stderr.some((l) => /^token endpoint /.test(l)));
    cloud = started.cloud;
    const baseUrl = await started.baseUrl;
    const config = join(dir, 'corp.dirsync');
    writeFileSync(config, e2eConfig(baseUrl, ldif, { cloud: { type: 'scim', url: baseUrl, auth: appAuth(baseUrl) } }));
    // A file where the state folder should be: the rotated refresh token cannot be written.
    mkdirSync(join(dir, '.dirsync'));
    writeFileSync(join(dir, '.dirsync', 'state'), 'not a folder');
    const planFile = join(dir, 'plan.json');
    const runs = {
      plan: await cli(['plan', config, '--out', planFile]),
      apply: await cli(['apply', planFile]),
      sync: await cli(['sync', config]),
    };
    for (const [name, r] of Object.entries(runs)) {
      const warnings = r.stderr.split('\n').filter((l) => l.includes('warning:'));
      assert.equal(warnings.length, 1, `${name}: ${r.stderr}`);
      assert.match(
        warnings[0]!,
        new RegExp(
          `^dirsync ${name}: warning: Could not keep the new refresh token in .*refresh-token-[0-9a-f]{16}\\.json \\((EEXIST|ENOTDIR)\\): the new refresh token is used by this process only`,
        ),
      );
      for (const leak of [APP.secret, APP.refresh, 'LCRT_', 'LCAT_']) assert.ok(!(r.stderr + r.stdout).includes(leak), `${name}: ${leak}`);
    }
    // The plan goes on (2: changes); apply and sync then fail writing their own state into that folder.
    assert.equal(runs.plan.code, 2, runs.plan.stderr);
  });

  it('without the kept token (the state folder gone), the restarted run is refused: invalid_grant naming cloud.auth', async () => {
    const ldif = join(dir, 'corp.ldif');
    await writeLdif(ldif, 2);
    const baseUrl = await startCloud();
    const config = join(dir, 'corp.dirsync');
    const auth = appAuth(baseUrl);
    writeFileSync(config, e2eConfig(baseUrl, ldif, { cloud: { type: 'scim', url: baseUrl, auth } }));
    const first = await sync(config, join(dir, 'events-1.jsonl'));
    assert.equal(first.code, 2, first.stderr + first.stdout); // 2: changes applied
    rmSync(join(dir, '.dirsync', 'state'), { recursive: true });
    const second = await sync(config, join(dir, 'events-2.jsonl'));
    assert.equal(second.code, 1, second.stderr + second.stdout);
    assert.match(second.stderr, /HTTP 400 invalid_grant/);
    assert.match(second.stderr, /Check cloud\.auth \(clientId \$\{env:APP_CLIENT_ID\}/);
    assert.ok(!second.stderr.includes(APP.refresh));
  });
});
