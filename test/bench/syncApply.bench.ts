/**
 * Apply overhead: a full sync's apply of N user creates (journal fsyncs, phases, progress, events)
 * against the local cloud (its own process, through the built CLI) vs a bare undici POST loop at
 * the same request concurrency, each on a fresh org, in interleaved rounds (best of each). Prints both times, the ratio apply / bare
 * (target ≤ 1.2) and peak RSS. Sizes: BENCH_CREATES (default 10000), BENCH_CONCURRENCY (8).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';
import { REPORT_CATEGORIES, type ReportCategory } from '../../common/report';
import { emptyWork } from '../../common/work';
import { applyPlan } from '../../server/src/sync/engine/sync';
import type { PlanOperation, SyncPlan } from '../../server/src/sync/contract';

const CREATES = Number(process.env['BENCH_CREATES'] ?? 10_000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const TOKEN = 'bench-token';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function startCloud(dir: string, name: string): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['bin/dirsync.js', 'cloud', '--dialect', 'scim', '--port', '0', '--db', join(dir, `${name}.db`), '--org', name],
    {
      env: { ...process.env, DIRSYNC_CLOUD_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`local cloud exited with ${code}`)));
  });
  return {
    baseUrl: /listening on (\S+)/.exec(line)![1]!,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

function user(prefix: string, i: number): Record<string, unknown> {
  return {
    schemas: [SCHEMA],
    userName: `${prefix}${i}@example.com`,
    externalId: `${prefix}-${i}`,
    displayName: `User ${i}`,
    name: { givenName: 'User', familyName: String(i) },
    active: true,
  };
}

function plan(n: number): SyncPlan {
  const operations: PlanOperation[] = Array.from({ length: n }, (_, i) => ({
    opId: `op-${String(i + 1).padStart(6, '0')}`,
    itemId: `u${i}`,
    label: `CN=User ${i},OU=People,DC=corp,DC=example,DC=com`,
    kind: 'createUser',
    body: user('sync', i),
  }));
  const summary = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
  summary.added = n;
  return {
    report: {
      format: 'dirsync-report',
      version: 2,
      sessionId: 'bench',
      generatedAt: new Date().toISOString(),
      mode: 'dryRun',
      config: { file: 'bench.dirsync', sha256: 'x' },
      directory: { url: 'ldif:bench', kind: 'ldif', fingerprint: 'f' },
      cloud: { url: 'http://127.0.0.1', type: 'scim' },
      summary,
      work: emptyWork(),
      threshold: { deletions: 0, owned: 0, disabled: false, exceeded: false },
      items: [],
      messages: [],
    },
    payload: { version: 1, basis: { configSha256: 'x', directoryFingerprint: 'f', cloudFingerprint: 'c' }, operations },
  };
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function bare(baseUrl: string): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const origin = new URL(baseUrl).origin;
  const path = new URL(baseUrl).pathname;
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CREATES) {
        const res = await agent.request({
          origin,
          path: `${path}/Users`,
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify(user('bare', next++)),
        });
        await res.body.text();
        if (res.statusCode !== 201) throw new Error(`bare POST: HTTP ${res.statusCode}`);
      }
    }),
  );
  const elapsed = ms(t);
  await agent.close();
  return elapsed;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-bench-apply-'));
  try {
    // Interleaved rounds, each on a fresh database; the best of each side counts (the machine is shared).
    const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
    const warm = await startCloud(dir, 'warm');
    await bare(warm.baseUrl); // warm-up (JIT, page cache)
    await warm.stop();
    let bareMs = Infinity;
    let applyMs = Infinity;
    let result: Awaited<ReturnType<typeof applyPlan>> | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      const cb = await startCloud(dir, `bare${r}`);
      bareMs = Math.min(bareMs, await bare(cb.baseUrl));
      await cb.stop();
      const ca = await startCloud(dir, `apply${r}`);
      const config = join(dir, `bench${r}.dirsync`);
      writeFileSync(
        config,
        JSON.stringify({
          version: 1,
          directory: { type: 'adds', url: 'ldif:./none.ldif', baseDns: ['DC=corp,DC=example,DC=com'] },
          cloud: { type: 'scim', url: ca.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', concurrency: CONCURRENCY },
          policy: { deleteThreshold: { count: 10 } },
        }),
      );
      const t = process.hrtime.bigint();
      result = await applyPlan(plan(CREATES), { configFile: config, secrets: () => TOKEN, mode: 'full', onProgress: () => undefined });
      applyMs = Math.min(applyMs, ms(t));
      await ca.stop();
      if (result.applied !== CREATES)
        throw new Error(`applied ${result.applied} of ${CREATES}: ${JSON.stringify(result.failures.slice(0, 2))}`);
    }
    console.log(
      `apply of ${CREATES} creates, concurrency ${CONCURRENCY}: ${applyMs.toFixed(0)} ms (${((CREATES / applyMs) * 1000).toFixed(0)}/s, journal fsync'd)`,
    );
    console.log(`bare POST loop, same concurrency:        ${bareMs.toFixed(0)} ms (${((CREATES / bareMs) * 1000).toFixed(0)}/s)`);
    console.log(
      `ratio apply / bare: ${(applyMs / bareMs).toFixed(2)} (target ≤ 1.2; best of ${ROUNDS} interleaved rounds each); peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
    );
  } finally {
    clearInterval(rssTimer);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
