/**
 * SCIM client overhead against the local cloud (run in its own process through the built CLI, so
 * client and server do not share a thread):
 *   1. N creates through `client.users.create` vs a bare undici POST loop, same concurrency;
 *   2. listing M users through `client.users.list` vs a bare startIndex/count GET loop.
 * Prints times and the ratio client / bare (lower is better; 1.0 = no overhead), and peak RSS.
 * Sizes: BENCH_CREATES (default 10000), BENCH_USERS (default 100000), BENCH_CONCURRENCY (8).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createScimClient } from '../../server/src/cloud/index';

const CREATES = Number(process.env['BENCH_CREATES'] ?? 10_000);
const USERS = Number(process.env['BENCH_USERS'] ?? 100_000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const PAGE = 100;
const TOKEN = 'bench-token';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function startCloud(dir: string): Promise<{ baseUrl: string; origin: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['bin/dirsync.js', 'cloud', '--dialect', 'scim', '--port', '0', '--db', join(dir, 'bench.db'), '--org', 'bench'],
    {
      env: { ...process.env, DIRSYNC_CLOUD_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`local cloud exited with ${code}`)));
  });
  const baseUrl = /listening on (\S+)/.exec(line)![1]!;
  return {
    baseUrl,
    origin: new URL(baseUrl).origin,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-bench-'));
  const cloud = await startCloud(dir);
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
  const path = new URL(cloud.baseUrl).pathname;
  try {
    // Warm up both paths (JIT, connections).
    const client = createScimClient({ baseUrl: cloud.baseUrl, token: TOKEN, concurrency: CONCURRENCY, dispatcher: agent });
    await pool(200, CONCURRENCY, (i) => client.users.create({ schemas: [SCHEMA], userName: `warm${i}@example.com` }));

    let t = process.hrtime.bigint();
    await pool(CREATES, CONCURRENCY, async (i) => {
      const res = await agent.request({
        origin: cloud.origin,
        path: `${path}/Users`,
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ schemas: [SCHEMA], userName: `bare${i}@example.com`, externalId: `bare-${i}` }),
      });
      if (res.statusCode !== 201) throw new Error(`bare POST ${res.statusCode}`);
      await res.body.dump();
    });
    const bare = ms(t);

    t = process.hrtime.bigint();
    await pool(CREATES, CONCURRENCY, (i) =>
      client.users.create({ schemas: [SCHEMA], userName: `client${i}@example.com`, externalId: `client-${i}` }),
    );
    const viaClient = ms(t);
    console.log(
      `creates: ${CREATES} at concurrency ${CONCURRENCY}: bare ${bare.toFixed(0)} ms, client ${viaClient.toFixed(0)} ms, ratio ${(viaClient / bare).toFixed(3)}`,
    );

    // Seed up to USERS users through the admin import (one transaction per 10k).
    const have = 200 + 2 * CREATES;
    t = process.hrtime.bigint();
    for (let done = have; done < USERS; ) {
      const n = Math.min(10_000, USERS - done);
      const docs = Array.from({ length: n }, (_, k) => ({
        schemas: [SCHEMA],
        userName: `seed${done + k}@example.com`,
        externalId: `seed-${done + k}`,
        displayName: `Seed ${done + k}`,
        emails: [{ type: 'work', value: `seed${done + k}@example.com`, primary: true }],
      }));
      const res = await request(`${cloud.origin}/_dirsync/users/import`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(docs),
        dispatcher: agent,
      });
      if (res.statusCode !== 200) throw new Error(`import ${res.statusCode}: ${await res.body.text()}`);
      await res.body.dump();
      done += n;
    }
    console.log(`seeded to ${Math.max(USERS, have)} users in ${ms(t).toFixed(0)} ms`);

    const bareListing = async (): Promise<number> => {
      let n = 0;
      for (let start = 1; ; start += PAGE) {
        const res = await agent.request({
          origin: cloud.origin,
          path: `${path}/Users?startIndex=${start}&count=${PAGE}`,
          method: 'GET',
          headers: auth,
        });
        const body = (await res.body.json()) as { totalResults: number; Resources: unknown[] };
        n += body.Resources.length;
        if (body.Resources.length === 0 || start + PAGE > body.totalResults) break;
      }
      return n;
    };
    const clientListing = async (prefetch: number): Promise<number> => {
      let n = 0;
      for await (const u of client.users.list({ pageSize: PAGE, prefetch })) if (u.id) n++;
      return n;
    };
    // Alternate runs and keep each one's best, so warm-up and server caches favour neither side.
    const best = { bare: Infinity, p0: Infinity, p1: Infinity };
    let listed = 0;
    for (let round = 0; round < 3; round++) {
      t = process.hrtime.bigint();
      listed = await bareListing();
      best.bare = Math.min(best.bare, ms(t));
      for (const p of [0, 1] as const) {
        t = process.hrtime.bigint();
        const n = await clientListing(p);
        best[p === 0 ? 'p0' : 'p1'] = Math.min(best[p === 0 ? 'p0' : 'p1'], ms(t));
        if (n !== listed) throw new Error(`client listed ${n}, bare ${listed}`);
      }
    }
    console.log(
      `list ${listed} users, ${PAGE} a page (best of 3): bare sequential ${best.bare.toFixed(0)} ms; ` +
        `client ${best.p0.toFixed(0)} ms (ratio ${(best.p0 / best.bare).toFixed(3)}), ` +
        `client one page ahead ${best.p1.toFixed(0)} ms (ratio ${(best.p1 / best.bare).toFixed(3)})`,
    );
    console.log(`client process peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);
    await client.close();
  } finally {
    clearInterval(rssTimer);
    await agent.close();
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
