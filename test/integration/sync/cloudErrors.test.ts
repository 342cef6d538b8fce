/**
 * A cloud that refuses the token or is not there: `dirsync plan` says which config key to fix,
 * and an absent server fails at the first refused connection instead of after every retry.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScimClient, MemoryLogger, ScimNetworkError } from '../../../server/src/cloud/index';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { dirsync, ROOT } from '../../support/syncEnv';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('cloud errors name the config key to fix', function () {
  this.timeout(60_000);
  let cloud: CloudFixture;
  let dir: string;

  function demo(cloudUrl: string): string {
    const c = JSON.parse(readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
    delete c.$schema;
    c.cloud.url = cloudUrl;
    c.directory.url = `ldif:${join(ROOT, 'sample-configs/data/corp.example.com.ldif')}`;
    const file = join(dir, 'demo.dirsync');
    writeFileSync(file, JSON.stringify(c, null, 2));
    return file;
  }

  before(async () => {
    cloud = await startCloudFixture();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-cloud-errors-'));
  });
  after(async () => cloud?.close());

  it('a refused token (HTTP 401) names cloud.token and its reference', async () => {
    const r = await dirsync(['plan', demo(cloud.cloud.baseUrl)], { DIRSYNC_CLOUD_TOKEN: 'not-the-token' });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /HTTP 401/);
    assert.match(r.stderr, /check cloud\.token \(\$\{env:DIRSYNC_CLOUD_TOKEN\}\) in .*demo\.dirsync/);
  });

  it('a cloud that keeps answering 429 names cloud.url and cloud.concurrency, after every retry', async () => {
    const file = demo(cloud.cloud.baseUrl);
    const c = JSON.parse(readFileSync(file, 'utf8'));
    c.cloud.maxRetries = 2;
    writeFileSync(file, JSON.stringify(c, null, 2));
    const id = cloud.cloud.faults.add({ kind: 'status', status: 429, retryAfter: 0, rate: 1 });
    try {
      const r = await dirsync(['plan', file], { DIRSYNC_CLOUD_TOKEN: TOKEN });
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /HTTP 429/);
      assert.match(r.stderr, /after 3 attempts/);
      assert.match(
        r.stderr,
        /still asked dirsync to slow down \(HTTP 429\) after 2 retries, so this request was given up: run again later, or lower cloud\.concurrency \(\d+ requests at once\) in .*demo\.dirsync/,
      );
    } finally {
      cloud.cloud.faults.remove(id);
    }
  });

  it('nothing listening at cloud.url: named, after one attempt', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/identity/scim/demo-org/v2`;
    const r = await dirsync(['plan', demo(url)], { DIRSYNC_CLOUD_TOKEN: TOKEN });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`Nothing answered at cloud\\.url \\(${url.replace(/[.]/g, '\\.')}\\)`));
    assert.doesNotMatch(r.stderr, /after \d+ attempts/);
  });

  it('the client: a refused connection before any answer is not retried', async () => {
    const logger = new MemoryLogger();
    const client = createScimClient({ baseUrl: `http://127.0.0.1:${await closedPort()}/v2`, token: TOKEN, logger, maxRetries: 6 });
    try {
      await assert.rejects(client.users.get('x'), (err: unknown) => err instanceof ScimNetworkError && err.attempts === 1);
      assert.equal(logger.events.filter((e) => e.event === 'scim.retry').length, 0);
    } finally {
      await client.close();
    }
  });
});
