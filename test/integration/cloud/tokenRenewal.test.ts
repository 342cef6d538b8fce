/**
 * Tokens that renew, against the local cloud's token endpoint over HTTP: the first token on the
 * first request, one refresh for many concurrent requests, renewal ahead of expiry (a fake clock
 * on the client's side, so nothing sleeps), one renewal and resend on a 401, a second 401 as an
 * error, refused credentials as errors that carry no secret.
 */
import { strict as assert } from 'node:assert';
import { request } from 'undici';
import {
  createScimClient,
  MemoryLogger,
  OAuthTokenProvider,
  ScimAuthError,
  TokenRenewalError,
  type RefreshTokenStore,
  type ScimClient,
  type TokenProvider,
} from '../../../server/src/cloud/index';
import { FakeClock, startCloudFixture, TOKEN, user, type CloudFixture } from '../../support/cloud';

const CREDS = { clientId: 'C-app-1', clientSecret: 'secret-5d1e9a7c', refreshToken: 'refresh-0b8e2f44' };

describe('cloud: tokens that renew (Service App refresh-token grant)', function () {
  this.timeout(30_000);
  let f: CloudFixture;
  const clients: ScimClient[] = [];
  const providers: OAuthTokenProvider[] = [];

  beforeEach(async () => {
    f = await startCloudFixture({ oauth: { ...CREDS, tokenLifetimeSeconds: 60, refreshTokenLifetimeSeconds: 10 * 86_400 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(providers.splice(0).map((p) => p.close()));
    await f.close();
  });

  const setup = (creds = CREDS, clock = new FakeClock()) => {
    const logger = new MemoryLogger();
    const provider = new OAuthTokenProvider({
      tokenUrl: `${f.cloud.url}/v1/access_token`,
      credentials: creds,
      clock,
      hint: 'Check cloud.auth',
    });
    provider.attach(logger);
    providers.push(provider);
    const client = createScimClient({
      baseUrl: f.cloud.baseUrl,
      token: provider,
      sessionId: 't',
      logger,
      hints: { auth: 'check cloud.auth' },
    });
    clients.push(client);
    return { provider, client, logger, clock };
  };

  it('gets one token for many concurrent requests, and renews ahead of expiry with the rotated refresh token', async () => {
    const { client, logger, clock } = setup();
    await client.users.create(user('ann@example.com'));
    const counts = await Promise.all(Array.from({ length: 12 }, () => client.users.count()));
    assert.deepEqual(new Set(counts), new Set([1]));
    assert.equal(f.cloud.tokens().issued, 1, 'one token for the first 13 requests');
    clock.t += 52_000; // 52 of 60 s: past 85%, not expired
    await Promise.all(Array.from({ length: 6 }, () => client.users.count()));
    assert.equal(f.cloud.tokens().issued, 2, 'one renewal for six concurrent requests');
    clock.t += 52_000;
    await client.users.count();
    assert.equal(f.cloud.tokens().issued, 3);
    assert.equal(f.cloud.tokens().rotatedUsed, 2, 'the renewals used the refresh tokens the cloud rotated to');
    assert.deepEqual(
      logger.named('auth.renewed').map((e) => e['reason']),
      ['start', 'ahead', 'ahead'],
    );
    assert.equal(f.cloud.tokens().expiredRefused, 0);
  });

  it('a refused (expired) token is renewed once and the requests are sent again', async () => {
    const { client, logger } = setup();
    await client.users.count();
    assert.equal(f.cloud.expireTokens(), 1);
    const counts = await Promise.all(Array.from({ length: 5 }, () => client.users.count()));
    assert.deepEqual(counts, [0, 0, 0, 0, 0]);
    assert.equal(f.cloud.tokens().issued, 2, 'five refused requests, one renewal');
    assert.ok(f.cloud.tokens().expiredRefused >= 1);
    assert.ok(logger.named('scim.retry').some((e) => /HTTP 401/.test(String(e['reason']))));
    assert.deepEqual(
      logger.named('auth.renewed').map((e) => e['reason']),
      ['start', 'refused'],
    );
  });

  it("the expired token gets 401 with Webex's error body", async () => {
    setup();
    const res = await request(`${f.cloud.url}/v1/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: CREDS.clientId,
        client_secret: CREDS.clientSecret,
        refresh_token: CREDS.refreshToken,
      }).toString(),
    });
    const answer = (await res.body.json()) as { access_token: string; expires_in: number };
    assert.equal(answer.expires_in, 60);
    f.cloud.expireTokens();
    const scim = await request(`${f.cloud.baseUrl}/Users`, { headers: { authorization: `Bearer ${answer.access_token}` } });
    assert.equal(scim.statusCode, 401);
    const body = (await scim.body.json()) as { message: string; errors: Array<{ description: string }>; trackingId: string };
    assert.match(body.message, /expired/);
    assert.equal(typeof body.errors[0]?.description, 'string');
    assert.equal(typeof body.trackingId, 'string');
  });

  it('a second 401 after renewing is an error naming the credentials, sent twice in all', async () => {
    let renewals = 0;
    const bogus: TokenProvider = {
      current: async () => 'not-a-token',
      renew: async () => {
        renewals++;
        return 'still-not-a-token';
      },
    };
    const client = createScimClient({
      baseUrl: f.cloud.baseUrl,
      token: bogus,
      sessionId: 't',
      hints: { auth: 'check cloud.auth in x.dirsync' },
    });
    clients.push(client);
    await assert.rejects(client.users.count(), (err: unknown) => {
      assert.ok(err instanceof ScimAuthError);
      assert.equal(err.status, 401);
      assert.match(err.message, /check cloud\.auth in x\.dirsync/);
      return true;
    });
    assert.equal(renewals, 1);
  });

  it('a wrong client secret (401 invalid_client) or refresh token (400 invalid_grant) fails without the secret in the message', async () => {
    const wrongSecret = setup({ ...CREDS, clientSecret: 'wrong-secret-77aa' });
    await assert.rejects(wrongSecret.client.users.count(), (err: unknown) => {
      assert.ok(err instanceof TokenRenewalError);
      assert.equal(err.status, 401);
      assert.match(err.message, /HTTP 401 invalid_client/);
      assert.match(err.message, /Check cloud\.auth/);
      assert.ok(!err.message.includes('wrong-secret-77aa'));
      return true;
    });
    const wrongRefresh = setup({ ...CREDS, refreshToken: 'refresh-expired-99' });
    await assert.rejects(wrongRefresh.client.users.count(), (err: unknown) => {
      assert.ok(err instanceof TokenRenewalError);
      assert.equal(err.status, 400);
      assert.match(err.message, /invalid_grant/);
      assert.ok(!err.message.includes('refresh-expired-99'));
      return true;
    });
    assert.equal(f.cloud.tokens().refused, 2);
    assert.equal(f.cloud.tokens().issued, 0);
  });

  it('warns with the date when the refresh token expires within 14 days', async () => {
    const { client, logger, clock } = setup();
    await client.users.count();
    const [warning] = logger.named('auth.refreshTokenExpiring');
    const date = new Date(clock.t + 10 * 86_400_000).toISOString().slice(0, 10);
    assert.match(String(warning?.['message']), new RegExp(`expires on ${date} \\(in (9|10) days\\)`));
  });

  it('the static token keeps working beside the token endpoint; no event carries a token or secret', async () => {
    const { client, logger } = setup();
    await client.users.count();
    assert.equal(await f.client().users.count(), 0);
    assert.equal(f.cloud.tokens().issued, 1);
    const text = JSON.stringify(logger.events);
    for (const secret of [CREDS.clientSecret, CREDS.refreshToken, TOKEN, 'LCAT_', 'LCRT_']) assert.ok(!text.includes(secret), secret);
  });
});

/** A store in memory, as the engine's file store behaves (refreshTokenFile.ts): what a restarted provider starts from. */
class MemoryStore implements RefreshTokenStore {
  token: string | undefined;
  saves = 0;
  fail = false;
  /** When forgetReplaced was called, in saves (a grant's save comes first). */
  forgets: number[] = [];
  forgetFails = false;
  async load(): Promise<string | undefined> {
    return this.token;
  }
  async save(token: string): Promise<void> {
    if (this.fail) throw new Error('Could not keep the new refresh token in /state/refresh-token-x.json (EACCES)');
    this.token = token;
    this.saves++;
  }
  async forgetReplaced(): Promise<void> {
    this.forgets.push(this.saves);
    if (this.forgetFails) {
      throw new Error(
        `Could not remove /state/refresh-token-y.json, the refresh token kept for an earlier cloud.auth.refreshToken (EACCES): delete it by hand (${CREDS.refreshToken})`,
      );
    }
  }
}

describe('cloud: a rotated refresh token kept for the next process (strictly rotating token endpoint)', function () {
  this.timeout(30_000);
  let f: CloudFixture;
  const providers: OAuthTokenProvider[] = [];

  beforeEach(async () => {
    f = await startCloudFixture({ oauth: { ...CREDS, tokenLifetimeSeconds: 60, retireStartingRefreshToken: true } });
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
    await f.close();
  });

  const provider = (store?: RefreshTokenStore, clock = new FakeClock()) => {
    const logger = new MemoryLogger();
    const p = new OAuthTokenProvider({
      tokenUrl: `${f.cloud.url}/v1/access_token`,
      credentials: CREDS,
      clock,
      hint: 'Check cloud.auth',
      ...(store ? { store } : {}),
    });
    p.attach(logger);
    providers.push(p);
    return { p, logger, clock };
  };

  it('the cloud retires the starting refresh token after its first use', async () => {
    await provider().p.current();
    await assert.rejects(provider().p.current(), (e: Error) => e instanceof TokenRenewalError && /HTTP 400 invalid_grant/.test(e.message));
    assert.equal(f.cloud.tokens().refused, 1);
  });

  it('a restarted provider starts from the kept token; each rotation is kept before it is used', async () => {
    const store = new MemoryStore();
    const first = provider(store);
    await first.p.current();
    assert.equal(store.saves, 1);
    assert.match(String(first.logger.named('auth.renewed')[0]?.['message']), /kept for the next run/);
    const restarted = provider(store);
    await restarted.p.current();
    assert.equal(f.cloud.tokens().rotatedUsed, 1, 'the restart used the rotated refresh token');
    assert.equal(store.saves, 2);
    assert.equal(restarted.logger.named('auth.refreshTokenKept').length, 1);
    assert.equal(f.cloud.tokens().refused, 0);
  });

  it('another process rotated the shared token: the refused grant is tried once more with the store’s newer one', async () => {
    const store = new MemoryStore();
    const a = provider(store);
    await a.p.current();
    const b = provider(store); // starts from the kept token, like a second process
    await b.p.current();
    // a's turn to renew: the token it holds was rotated away by b, which kept the newer one.
    a.clock.t += 55_000;
    await a.p.current();
    assert.equal(f.cloud.tokens().refused, 1, 'one refused grant, then granted with the store’s token');
    assert.equal(f.cloud.tokens().issued, 3);
    assert.equal(a.logger.named('auth.error').length, 0, 'a refusal that was recovered is not an error');
  });

  it('after each granted renewal the store forgets tokens kept for another configured token (once the new one is kept)', async () => {
    const store = new MemoryStore();
    const { p, logger, clock } = provider(store);
    await p.current();
    assert.deepEqual(store.forgets, [1], 'after the rotated token was kept');
    clock.t += 55_000;
    await p.current();
    assert.deepEqual(store.forgets, [1, 2]);
    assert.equal(logger.named('auth.forgetFailed').length, 0);
    // A refused grant forgets nothing: the starting refresh token was retired by the first use above.
    const empty = new MemoryStore();
    await assert.rejects(provider(empty).p.current(), /invalid_grant/);
    assert.deepEqual(empty.forgets, []);
  });

  it('a kept token that cannot be removed: a warning naming the file (no secret); the grant stands', async () => {
    const store = new MemoryStore();
    store.forgetFails = true;
    const { p, logger } = provider(store);
    assert.ok(await p.current());
    const [warning] = logger.named('auth.forgetFailed');
    assert.equal(warning?.['level'], 'warn');
    assert.match(
      String(warning?.['message']),
      /refresh-token-y\.json, the refresh token kept for an earlier cloud\.auth\.refreshToken \(EACCES\): delete it by hand/,
    );
    assert.ok(!String(warning?.['message']).includes(CREDS.refreshToken));
  });

  it('a store that cannot be written: a warning naming the file; this process keeps working', async () => {
    const store = new MemoryStore();
    store.fail = true;
    const { p, logger, clock } = provider(store);
    await p.current();
    const [warning] = logger.named('auth.keepFailed');
    assert.match(String(warning?.['message']), /refresh-token-x\.json \(EACCES\): the new refresh token is used by this process only/);
    clock.t += 55_000;
    await p.current();
    assert.equal(f.cloud.tokens().rotatedUsed, 1);
    const text = JSON.stringify(logger.events);
    for (const secret of [CREDS.clientSecret, CREDS.refreshToken, 'LCRT_', 'LCAT_']) assert.ok(!text.includes(secret), secret);
  });
});
