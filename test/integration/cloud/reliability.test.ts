import { strict as assert } from 'node:assert';
import { request } from 'undici';
import {
  ScimNetworkError,
  ScimRateLimitError,
  ScimServerError,
  scimFilter as f,
  type BulkOperation,
} from '../../../server/src/cloud/index';
import { FakeClock, MemoryLogger, startCloudFixture, TOKEN, user, type CloudFixture } from '../../support/cloud';

describe('SCIM client reliability against injected faults', () => {
  let fx: CloudFixture;

  before(async () => {
    fx = await startCloudFixture({ faultSeed: 42 });
  });
  afterEach(() => fx.cloud.faults.clear());
  after(async () => fx.close());

  const GET_USERS = '^/Users$';

  it('switches faults through the admin endpoint', async () => {
    const admin = async (
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      path: string,
      body?: unknown,
    ): Promise<{ status: number; json: unknown }> => {
      const res = await request(`${fx.cloud.url}/_dirsync/${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.body.text();
      return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
    };
    const added = await admin('POST', 'faults', { kind: 'status', status: 503, next: 2, methods: ['GET'], pathPattern: GET_USERS });
    assert.equal(added.status, 200);
    const client = fx.client({ clock: new FakeClock() });
    await client.users.count();
    const listed = (await admin('GET', 'faults')).json as { rules: Array<{ fired: number; remaining: number }> };
    assert.deepEqual(
      listed.rules.map((r) => [r.fired, r.remaining]),
      [[2, 0]],
    );
    const bad = await admin('POST', 'faults', { kind: 'status', status: 200, rate: 1 });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.json), /needs status 429, 423, 500, 502, 503 or 504/);
    assert.equal((await admin('PUT', 'faults', { rules: [{ kind: 'latency', latencyMs: 1, rate: 0.5 }], seed: 7 })).status, 200);
    assert.equal(((await admin('GET', 'faults')).json as { rules: unknown[] }).rules.length, 1);
    assert.equal((await admin('DELETE', 'faults')).status, 204);
    const stats = (await admin('GET', 'stats')).json as { requests: number; users: number };
    assert.ok(stats.requests > 0);
    // The stats request itself is logged once answered: it is the last of the four since n − 3.
    const log = (await admin('GET', `requests?since=${stats.requests - 3}`)).json as { requests: Array<{ path: string }> };
    assert.deepEqual(log.requests.map((r) => r.path).slice(-2), ['/_dirsync/faults', '/_dirsync/stats']);
    assert.equal(log.requests.length, 4);
  });

  it('honours Retry-After (delta-seconds) on 429 — the wait is exactly what the server asked', async () => {
    const clock = new FakeClock();
    const logger = new MemoryLogger();
    const client = fx.client({ clock, logger, random: () => 0.5 });
    fx.cloud.faults.add({ kind: 'status', status: 429, retryAfter: 7, next: 1, pathPattern: GET_USERS });
    const since = fx.cloud.requests().at(-1)?.n ?? 0;
    assert.equal(await client.users.count(), 0);
    assert.deepEqual(
      clock.sleeps.filter((ms) => ms > 0),
      [7000],
    );
    const seen = fx.cloud.requests(since);
    assert.deepEqual(
      seen.map((r) => r.status),
      [429, 200],
    );
    const retry = logger.named('scim.retry')[0]!;
    assert.equal(retry['delayMs'], 7000);
    assert.equal(retry['status'], 429);
  });

  it('honours Retry-After as an HTTP-date, and 423 Locked the same way', async () => {
    const clock = new FakeClock();
    const client = fx.client({ clock, random: () => 0.5 });
    fx.cloud.faults.add({ kind: 'status', status: 429, retryAfter: 30, retryAfterDate: true, next: 1, pathPattern: GET_USERS });
    fx.cloud.faults.add({ kind: 'status', status: 423, retryAfter: 4, next: 1, pathPattern: GET_USERS });
    await client.users.count();
    const waits = clock.sleeps.filter((ms) => ms > 0);
    assert.equal(waits.length, 2, JSON.stringify(waits));
    // An HTTP-date has whole seconds: 30 s from the server's now, read against ours.
    assert.ok(waits[0]! > 28_000 && waits[0]! <= 31_000, String(waits[0]));
    assert.equal(waits[1], 4000);
  });

  it('waits for Retry-After in real time too (the server observes the gap)', async () => {
    const client = fx.client({ random: () => 0.5 });
    fx.cloud.faults.add({ kind: 'status', status: 429, retryAfter: 1, next: 1, pathPattern: GET_USERS });
    const since = fx.cloud.requests().at(-1)?.n ?? 0;
    await client.users.count();
    const [throttled, retried] = fx.cloud.requests(since);
    assert.equal(throttled?.status, 429);
    assert.equal(retried?.status, 200);
    assert.ok(retried!.at - throttled!.at >= 1000, `${retried!.at - throttled!.at} ms`);
  });

  it('fails with a rate-limit error when Retry-After is longer than the client waits', async () => {
    const client = fx.client({ clock: new FakeClock(), maxRetryAfterMs: 60_000 });
    fx.cloud.faults.add({ kind: 'status', status: 429, retryAfter: 3600, next: 1, pathPattern: GET_USERS });
    await assert.rejects(
      client.users.count(),
      (err: unknown) => err instanceof ScimRateLimitError && /Retry-After 3600 s exceeds the 60 s/.test(err.message),
    );
  });

  it('retries 503 with capped exponential backoff and full jitter', async () => {
    const clock = new FakeClock();
    const client = fx.client({ clock, random: () => 0.5, backoff: { baseMs: 1000, capMs: 3000 } });
    fx.cloud.faults.add({ kind: 'status', status: 503, next: 4, pathPattern: GET_USERS });
    await client.users.count();
    // random 0.5 × min(cap, base × 2^(n−1)): 500, 1000, 1500 (capped), 1500
    assert.deepEqual(
      clock.sleeps.filter((ms) => ms > 0),
      [500, 1000, 1500, 1500],
    );
  });

  it('gives up after maxRetries with an error that names the object and counts the attempts', async () => {
    const client = fx.client({ clock: new FakeClock(), maxRetries: 2 });
    const u = await client.users.create(user('flaky@example.com'));
    fx.cloud.faults.add({ kind: 'status', status: 503, rate: 1, pathPattern: '^/Users/' });
    await assert.rejects(
      client.users.replace(u.id!, user('flaky@example.com', { title: 'x' })),
      (err: unknown) =>
        err instanceof ScimServerError &&
        err.attempts === 3 &&
        /^replace user "flaky@example.com" \(id .+\): HTTP 503: fault injected .* after 3 attempts/.test(err.message),
    );
  });

  it('retries a GET whose connection was dropped', async () => {
    const client = fx.client({ clock: new FakeClock() });
    fx.cloud.faults.add({ kind: 'drop', next: 2, pathPattern: GET_USERS });
    const since = fx.cloud.requests().at(-1)?.n ?? 0;
    await client.users.count();
    assert.deepEqual(
      fx.cloud.requests(since).map((r) => r.status),
      [0, 0, 200],
    );
  });

  it('does not duplicate a POST whose reply was lost: it looks the user up before retrying', async () => {
    const logger = new MemoryLogger();
    const client = fx.client({ clock: new FakeClock(), logger });
    fx.cloud.faults.add({ kind: 'drop', phase: 'after', next: 1, methods: ['POST'], pathPattern: '^/Users$' });
    const created = await client.users.create(user('lost-reply@example.com', { externalId: 'guid-lost' }));
    assert.equal(created.userName, 'lost-reply@example.com');
    assert.equal(await client.users.count(f.eq('userName', 'lost-reply@example.com')), 1);
    assert.equal(logger.named('scim.recovered').length, 1);
  });

  it('counts a DELETE done when its retry finds the user already gone', async () => {
    const client = fx.client({ clock: new FakeClock() });
    const u = await client.users.create(user('delete-once@example.com'));
    fx.cloud.faults.add({ kind: 'drop', phase: 'after', next: 1, methods: ['DELETE'] });
    await client.users.delete(u.id!);
    assert.equal(await client.users.find(f.eq('userName', 'delete-once@example.com')), undefined);
  });

  it('recovers a Bulk request whose reply was lost without creating anything twice', async () => {
    const client = fx.client({ clock: new FakeClock() });
    fx.cloud.faults.add({ kind: 'drop', phase: 'after', next: 1, pathPattern: '^/Bulk$' });
    const ops: BulkOperation[] = Array.from({ length: 30 }, (_, i) => ({
      method: 'POST',
      path: '/Users',
      data: user(`lostbulk${i}@example.com`, { externalId: `guid-lostbulk-${i}` }),
    }));
    const results = await client.bulk(ops);
    assert.ok(results.every((r) => r.status === 201 && r.recovered === true));
    assert.equal(await client.users.count(f.sw('userName', 'lostbulk')), 30);
  });

  it('fails a POST without a way to look it up rather than risk a duplicate', async () => {
    const client = fx.client({ clock: new FakeClock() });
    fx.cloud.faults.add({ kind: 'drop', phase: 'after', next: 1, methods: ['POST'], pathPattern: '^/Users$' });
    await assert.rejects(client.users.create(user('no-lookup@example.com'), { lookup: false }), ScimNetworkError);
  });

  it('retries a request that timed out', async () => {
    const logger = new MemoryLogger();
    const client = fx.client({ clock: new FakeClock(), timeoutMs: 100, logger });
    // undici's request timers tick about once a second, so the delay must exceed that, not just 100 ms.
    fx.cloud.faults.add({ kind: 'latency', latencyMs: 1500, next: 1, pathPattern: GET_USERS });
    const viaRetry = await client.users.count();
    assert.equal(logger.named('scim.retry')[0]?.['reason'], 'UND_ERR_HEADERS_TIMEOUT');
    assert.equal(viaRetry, await client.users.count());
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const client = fx.client({ concurrency: 3 });
    fx.cloud.faults.add({ kind: 'latency', latencyMs: 60, rate: 1, pathPattern: '^/Users$' });
    const since = fx.cloud.requests().at(-1)?.n ?? 0;
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.users.count(f.eq('userName', `c${i}@example.com`))));
    const spans = fx.cloud.requests(since).map((r) => ({ start: r.at, end: r.at + r.ms }));
    // How many requests were being handled at the middle of each one.
    const overlap = spans.map((a) => spans.filter((b) => b.start <= a.start + 30 && a.start + 30 < b.end - 1).length);
    assert.equal(Math.max(...overlap), 3, JSON.stringify(overlap));
  });

  it('stops waiting when the caller aborts', async () => {
    const ac = new AbortController();
    // Abort as soon as the client announces its retry: event-driven, no timer in the test.
    const client = fx.client({ logger: { log: (e) => e.event === 'scim.retry' && ac.abort(new Error('cancelled by user')) } });
    fx.cloud.faults.add({ kind: 'status', status: 429, retryAfter: 60, next: 1, pathPattern: GET_USERS });
    const started = Date.now();
    await assert.rejects(client.users.count(undefined, { signal: ac.signal }), /cancelled by user/);
    assert.ok(Date.now() - started < 30_000);
  });

  it('completes every operation when 20 % of requests fail (429, 503, dropped before and after)', async function () {
    this.timeout(120_000);
    const clock = new FakeClock();
    const client = fx.client({ clock, concurrency: 8, maxRetries: 12 });
    const since = fx.cloud.requests().at(-1)?.n ?? 0;
    fx.cloud.faults.set([
      { kind: 'status', status: 429, retryAfter: 1, rate: 0.05 },
      { kind: 'status', status: 503, rate: 0.05 },
      { kind: 'drop', rate: 0.05 },
      { kind: 'drop', phase: 'after', rate: 0.05 },
    ]);
    const n = 300;
    const created = await Promise.all(
      Array.from({ length: n }, (_, i) => client.users.create(user(`chaos${i}@example.com`, { externalId: `guid-chaos-${i}` }))),
    );
    await Promise.all(created.map((u, i) => client.users.patch(u.id!, [{ op: 'replace', path: 'title', value: `t${i}` }])));
    const bulk = await client.bulk(
      Array.from({ length: 150 }, (_, i) => ({
        method: 'POST' as const,
        path: '/Users',
        data: user(`chaosbulk${i}@example.com`, { externalId: `guid-chaosbulk-${i}` }),
      })),
    );
    assert.ok(
      bulk.every((r) => r.status === 201),
      JSON.stringify(bulk.filter((r) => r.error).map((r) => r.error?.message)),
    );
    await Promise.all(created.slice(0, 50).map((u) => client.users.delete(u.id!)));
    const listed: string[] = [];
    for await (const u of client.users.list({ filter: f.sw('userName', 'chaos'), pageSize: 37 })) listed.push(u.userName);
    const fired = fx.cloud.faults.list().reduce((sum, r) => sum + r.fired, 0);
    fx.cloud.faults.clear();

    // Exactly the expected users, none lost, none doubled, every PATCH applied.
    assert.equal(listed.length, n - 50 + 150);
    assert.equal(new Set(listed).size, listed.length);
    const titles = new Map<string, string>();
    for await (const u of client.users.list({ filter: f.sw('userName', 'chaos') })) if (u.title) titles.set(u.userName, u.title);
    for (let i = 50; i < n; i++) assert.equal(titles.get(`chaos${i}@example.com`), `t${i}`);
    const total = fx.cloud.requests(since).length;
    assert.ok(fired / total > 0.12 && fired / total < 0.3, `faults fired: ${fired} of ${total} requests`);
  });
});
