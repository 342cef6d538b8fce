/**
 * Avatar work for N users with pictures (issue 7), against the local cloud in its own process:
 *   dirsync — `planAvatars` (read the attribute, check the image, SHA-256, decide against the
 *             state) then `applyAvatarOperation` per upload (re-read + re-hash, PUT the bytes to
 *             `/Users/{id}/avatar` through the SCIM client, record the hash), state file saved;
 *   bare    — a loop that only reads each user's bytes and PUTs them with undici, same concurrency.
 * Prints both times and the ratio dirsync / bare (target ≤ 1.2), best of BENCH_ROUNDS rounds each,
 * plus the unchanged re-run (plan only: nothing is uploaded) and the plan with report thumbnails.
 * Sizes: BENCH_AVATARS (default 10000), BENCH_CONCURRENCY (8), BENCH_ROUNDS (3).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createAttributeSource } from '../../server/src/avatars/sources';
import { avatarEndpointTarget } from '../../server/src/avatars/targets';
import { ThumbnailStore } from '../../server/src/avatars/thumbnailStore';
import { createScimClient } from '../../server/src/cloud/index';
import type { DirectoryEntry } from '../../server/src/domain/entry';
import { applyAvatarOperation } from '../../server/src/sync/avatars/apply';
import { planAvatars, type AvatarPlanUser } from '../../server/src/sync/avatars/plan';
import { AvatarStateStore } from '../../server/src/sync/avatars/stateFile';
import { jpegBytes } from '../support/avatarImages';

const N = Number(process.env['BENCH_AVATARS'] ?? 10_000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
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

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** N distinct 96×96 JPEGs (like thumbnailPhoto), built from 50 encodings with a varying comment segment. */
function pictures(n: number): Buffer[] {
  const bases = Array.from({ length: 50 }, (_, i) => jpegBytes(96, 96, { seed: i + 1 }));
  return Array.from({ length: n }, (_, i) => {
    const b = bases[i % bases.length]!;
    const text = Buffer.from(`dirsync bench ${i}`);
    const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, text.length + 2]), text]);
    return Buffer.concat([b.subarray(0, 2), com, b.subarray(2)]);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-avbench-'));
  const cloud = await startCloud(dir);
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const auth = { authorization: `Bearer ${TOKEN}` };
  const path = new URL(cloud.baseUrl).pathname;
  try {
    let t = process.hrtime.bigint();
    const docs = Array.from({ length: N }, (_, i) => ({ schemas: [SCHEMA], userName: `av${i}@example.com`, externalId: `av-${i}` }));
    const res = await request(`${cloud.origin}/_dirsync/users/import`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(docs),
      dispatcher: agent,
    });
    if (res.statusCode !== 200) throw new Error(`import ${res.statusCode}: ${await res.body.text()}`);
    const ids = ((await res.body.json()) as { ids: string[] }).ids;
    const bytes = pictures(N);
    const users: AvatarPlanUser[] = ids.map((id, i) => {
      const guid = Buffer.alloc(16);
      guid.writeUInt32BE(i, 12);
      const entry: DirectoryEntry = {
        dn: `CN=Avatar ${i},OU=Bench,DC=example,DC=com`,
        attributes: { objectguid: [guid], thumbnailphoto: [bytes[i]!] },
      };
      // No `cloud`: the plan does not know what the cloud shows (an incremental run); the state decides.
      return { entry, itemId: `u${i}`, userName: `av${i}@example.com`, target: { cloudId: id } };
    });
    const byDn = new Map(users.map((u) => [u.entry.dn, u.entry]));
    console.log(
      `${N} users with ${(bytes.reduce((s, b) => s + b.length, 0) / N / 1024).toFixed(1)} KB pictures seeded in ${ms(t).toFixed(0)} ms; concurrency ${CONCURRENCY}`,
    );

    const client = createScimClient({
      baseUrl: cloud.baseUrl,
      token: TOKEN,
      concurrency: CONCURRENCY,
      dispatcher: agent,
      sessionId: 'bench',
    });
    const target = avatarEndpointTarget(client.users);
    const source = createAttributeSource({ attribute: 'thumbnailPhoto', maxBytes: 10 * 1024 * 1024 - 1 });

    const bare = async (): Promise<number> => {
      const s = process.hrtime.bigint();
      await pool(N, CONCURRENCY, async (i) => {
        const data = users[i]!.entry.attributes['thumbnailphoto']![0] as Uint8Array;
        const r = await agent.request({
          origin: cloud.origin,
          path: `${path}/Users/${ids[i]}/avatar`,
          method: 'PUT',
          headers: { ...auth, 'content-type': 'image/jpeg' },
          body: data,
        });
        if (r.statusCode !== 200) throw new Error(`bare PUT ${r.statusCode}`);
        await r.body.dump();
      });
      return ms(s);
    };
    let stateDir = '';
    const viaDirsync = async (): Promise<number> => {
      stateDir = mkdtempSync(join(dir, 'state-'));
      const s = process.hrtime.bigint();
      const state = await AvatarStateStore.load(stateDir);
      // Cloud photos unknown to the plan here (as after an incremental read): the empty state decides "new".
      const plan = await planAvatars(
        { users, source, state: state.snapshot(), removeWhenSourceEmpty: false, cloudRead: false },
        { concurrency: CONCURRENCY, thumbnails: false },
      );
      if (plan.operations.length !== N) throw new Error(`expected ${N} uploads, planned ${plan.operations.length}`);
      let failed = 0;
      await pool(plan.operations.length, CONCURRENCY, async (i) => {
        const op = plan.operations[i]!;
        const r = await applyAvatarOperation(op, {
          target,
          source,
          cloudId: op.target.cloudId!,
          entry: byDn.get(op.dn!)!,
          state,
          sessionId: 'bench',
        });
        if (!r.ok) failed++;
      });
      await state.save();
      if (failed) throw new Error(`${failed} uploads failed`);
      return ms(s);
    };

    // Warm up both paths (JIT, connections) on 200 users.
    await pool(200, CONCURRENCY, async (i) => target.upload(ids[i]!, { bytes: bytes[i]!, contentType: 'image/jpeg' } as never, undefined));
    const times = { bare: [] as number[], dirsync: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      times.bare.push(await bare());
      times.dirsync.push(await viaDirsync());
    }
    const best = { bare: Math.min(...times.bare), dirsync: Math.min(...times.dirsync) };
    console.log(
      `uploads: bare ${best.bare.toFixed(0)} ms, dirsync ${best.dirsync.toFixed(0)} ms (best of ${ROUNDS}; all: bare ${times.bare.map((x) => x.toFixed(0)).join('/')}, dirsync ${times.dirsync.map((x) => x.toFixed(0)).join('/')})`,
    );
    console.log(`ratio dirsync / bare ${(best.dirsync / best.bare).toFixed(3)} (target ≤ 1.2)`);

    // The next run: every picture unchanged, nothing uploaded.
    t = process.hrtime.bigint();
    const state = await AvatarStateStore.load(stateDir);
    const again = await planAvatars(
      { users, source, state: state.snapshot(), removeWhenSourceEmpty: false, cloudRead: false },
      { concurrency: CONCURRENCY, thumbnails: false },
    );
    console.log(
      `unchanged re-run: ${again.counts.unchanged} unchanged, ${again.operations.length} uploads, ${ms(t).toFixed(0)} ms (vs ${best.bare.toFixed(0)} ms to upload them all)`,
    );
    t = process.hrtime.bigint();
    const store = new ThumbnailStore(mkdtempSync(join(tmpdir(), 'dirsync-bench-thumbs-')));
    await planAvatars(
      { users, source, state: state.snapshot(), removeWhenSourceEmpty: false, cloudRead: false },
      { concurrency: CONCURRENCY, thumbnails: store },
    );
    const thumbBytes = readdirSync(store.dir).reduce((s, f) => s + statSync(join(store.dir, f)).size, 0);
    console.log(
      `plan with report thumbnails: ${ms(t).toFixed(0)} ms, ${store.written} thumbnail files (${(thumbBytes / 1048576).toFixed(1)} MB) beside the report`,
    );
    rmSync(store.dir, { recursive: true, force: true });
    await client.close();
  } finally {
    await agent.close();
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
