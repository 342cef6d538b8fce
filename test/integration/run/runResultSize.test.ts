/**
 * The run results over real LSP JSON-RPC carry a summary and the saved report's location, not the
 * report: the built server (`dist/server.js --stdio`) dry-runs an LDIF export of 5 and of 500
 * users (10 and 1,000 report items), each with one of 16 pictures, against the local cloud on 127.0.0.1. The answer must not
 * grow with the number of objects; the report and one thumbnail file per distinct picture are on
 * disk where the answer says.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isThumbnailRef, REPORT_VERSION, thumbnailFileName, THUMBNAILS_FOLDER, type SyncReport } from '../../../common/report';
import { DryRunRequest, LastReportRequest, RUN_RESULT_VERSION, type LastReportResult, type PlanResult } from '../../../common/requests';
import { jpegBytes } from '../../support/avatarImages';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { LspClient } from '../../support/lspClient';
import { scratchWorkspace } from '../../support/scratchWorkspace';

const BASE = 'DC=size,DC=example,DC=com';

/** 16 small JPEGs (encoding one costs the test time; directories share pictures anyway). */
const PICTURES = Array.from({ length: 16 }, (_, i) => jpegBytes(48, 48, { seed: i + 1 }).toString('base64'));

/** An LDIF export of `n` users, each with a 48×48 JPEG in thumbnailPhoto (16 distinct ones). */
function ldif(n: number): string {
  const out = ['version: 1', ''];
  for (let i = 1; i <= n; i++) {
    const guid = Buffer.alloc(16);
    guid.writeUInt32BE(i, 12);
    guid.writeUInt32BE(0x5a5a5a5a, 0);
    out.push(
      `dn: CN=User ${i},OU=Staff,${BASE}`,
      'objectClass: top',
      'objectClass: person',
      'objectClass: organizationalPerson',
      'objectClass: user',
      `objectCategory: CN=Person,CN=Schema,CN=Configuration,${BASE}`,
      `cn: User ${i}`,
      `sAMAccountName: user${i}`,
      `mail: user${i}@size.example.com`,
      `givenName: User`,
      `sn: Number ${i}`,
      'userAccountControl: 512',
      `objectGUID:: ${guid.toString('base64')}`,
      `thumbnailPhoto:: ${PICTURES[i % PICTURES.length]}`,
      '',
    );
  }
  return out.join('\n');
}

function config(cloud: CloudFixture): string {
  return JSON.stringify({
    version: 1,
    name: 'size',
    directory: { type: 'adds', url: 'ldif:./users.ldif', baseDns: [BASE] },
    cloud: { type: 'webex', url: cloud.cloud.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}' },
    objects: { users: { enabled: true }, groups: { enabled: false }, contacts: { enabled: false }, rooms: { enabled: false } },
    attributes: { uid: 'mail', displayName: 'givenName + " " + sn', givenName: 'givenName', sn: 'sn', externalId: 'objectGUID' },
    avatar: {
      enabled: true,
      source: 'attribute',
      attribute: 'thumbnailPhoto',
      publish: { url: `${cloud.cloud.url}/published`, credentials: { type: 'bearer', token: '${env:DIRSYNC_CLOUD_TOKEN}' } },
    },
    policy: { deleteThreshold: { count: 50, percent: 10 } },
  });
}

describe('run results over LSP: a summary and the report file, whatever the size of the directory', function () {
  this.timeout(180_000);
  let cloud: CloudFixture;
  let lsp: LspClient;

  before(async () => {
    cloud = await startCloudFixture({ orgId: 'size-org', dialect: 'webex' });
    lsp = await LspClient.start({ secret: (p) => (p.ref.text === '${env:DIRSYNC_CLOUD_TOKEN}' ? TOKEN : undefined) });
  });

  after(async () => {
    await lsp?.stop();
    await cloud?.close();
  });

  async function dryRun(n: number): Promise<{ result: PlanResult; bytes: number; uri: string }> {
    const folder = scratchWorkspace({ 'users.ldif': ldif(n) }, `run-size-${n}`);
    const file = join(folder, 'size.dirsync');
    writeFileSync(file, config(cloud));
    const uri = pathToFileURL(file).toString();
    await lsp.open(uri, readFileSync(file, 'utf8'));
    const before = lsp.wire.length;
    const result = (await lsp.conn.sendRequest(DryRunRequest.method, { uri, mode: 'full' })) as PlanResult;
    // The response as it crossed the wire (the last message the server wrote for this request).
    const bytes = Buffer.byteLength(JSON.stringify(result));
    assert.ok(lsp.wire.length - before >= bytes);
    return { result, bytes, uri };
  }

  it('10 and 1,000 report items: the same size of answer; the report and one thumbnail per picture on disk', async () => {
    const small = await dryRun(5);
    const large = await dryRun(500);
    for (const [n, { result }] of [
      [5, small],
      [500, large],
    ] as const) {
      assert.equal(result.outcome, 'planned', result.message);
      assert.equal(result.resultVersion, RUN_RESULT_VERSION);
      assert.equal((result as { report?: unknown }).report, undefined, 'the report itself is not in the answer');
      assert.ok(result.reportFile && existsSync(result.reportFile), `report file ${result.reportFile}`);
      assert.equal(result.summary?.items, 2 * n, 'a user item and an avatar item per user');
      assert.equal(result.summary?.work.users.create, n);
      assert.equal(result.summary?.work.pictures.create, n);
      const report = JSON.parse(readFileSync(result.reportFile, 'utf8')) as SyncReport;
      assert.equal(report.version, REPORT_VERSION);
      assert.equal(report.items.length, 2 * n);
      const refs = report.items.flatMap((i) => (isThumbnailRef(i.avatar?.thumbnail) ? [i.avatar.thumbnail] : []));
      assert.equal(refs.length, n, 'every picture has a thumbnail reference');
      const dir = join(dirname(result.reportFile), THUMBNAILS_FOLDER);
      const files = readdirSync(dir);
      for (const ref of refs) assert.ok(files.includes(thumbnailFileName(ref)), `${thumbnailFileName(ref)} in ${dir}`);
      assert.equal(files.length, new Set(refs.map((r) => r.sha256)).size, 'one file per distinct thumbnail');
    }
    // Counts grow by a few digits at most; the items stay on disk.
    assert.ok(large.bytes - small.bytes < 64, `answer of ${small.bytes} bytes for 10 items, ${large.bytes} for 1,000`);
  });

  it('the last report is answered by its location and summary too', async () => {
    const { result, uri } = await dryRun(5);
    const last = (await lsp.conn.sendRequest(LastReportRequest.method, { uri })) as LastReportResult | null;
    assert.ok(last);
    assert.equal(last.resultVersion, RUN_RESULT_VERSION);
    assert.equal(last.file, result.reportFile);
    assert.equal(last.summary.sessionId, result.sessionId);
    assert.equal((last as { report?: unknown }).report, undefined);
  });
});
