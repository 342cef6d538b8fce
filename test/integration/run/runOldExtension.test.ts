/**
 * An extension from before run result version 2 talking to this language server over real LSP
 * JSON-RPC (`dist/server.js --stdio`, the demo config against the local cloud on 127.0.0.1). That
 * extension (client/src at the parent of the commit that brought RUN_RESULT_VERSION) sent
 * `initializationOptions: { validationDelayMs }` and nothing about the results it reads; it read the
 * report inline (`r.report`), so a version-2 dry run showed "Dirsync: dry run failed: unknown error",
 * and an incremental sync was applied while the extension could not show what it did. The server now
 * runs nothing for such a client and answers in the one shape it shows with a message. The
 * `oldExtensionShows…` helpers below are that extension's code for the answer, as it was.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { DryRunRequest, ExplainRequest, LastReportRequest, SyncRequest, type ExplainResult } from '../../../common/requests';
import { installMismatch } from '../../../server/src/handlers/run';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { LspClient, ROOT } from '../../support/lspClient';
import { scratchWorkspace } from '../../support/scratchWorkspace';

/** A run result as the old extension read it (common/requests.ts before version 2). */
interface OldRunResult {
  readonly outcome: string;
  readonly sessionId?: string;
  readonly planToken?: string;
  readonly report?: unknown;
  readonly message?: string;
}

/** The old runs/outcome.ts `showPlanProblem`: the notification it raised for a run that was not planned. */
function oldShowPlanProblem(what: string, r: OldRunResult): string {
  if (r.outcome === 'cancelled') return `Dirsync: ${what} cancelled. ${r.message ?? ''}`.trim();
  return `Dirsync: ${what} failed: ${r.message ?? 'unknown error'}`;
}

/** The old commands/dryRun.ts: the report opened, or `showPlanProblem`. */
function oldExtensionShowsDryRun(r: OldRunResult): string {
  if (r.outcome !== 'planned' || !r.report) return oldShowPlanProblem('dry run', r);
  return 'the report';
}

/** The old commands/incrementalSync.ts → runs/outcome.ts `showApplied` (outcomes other than applied/refused/cancelled/stale). */
function oldExtensionShowsIncrementalSync(r: OldRunResult): string {
  switch (r.outcome) {
    case 'applied':
      return 'Dirsync: incremental sync done — …';
    case 'refused':
      return 'the refusal';
    case 'stale':
      return `Dirsync: ${r.message ?? 'the reviewed plan is no longer valid.'}`;
    case 'cancelled':
      return r.planToken ? `Dirsync: incremental sync cancelled. ${r.message ?? ''}`.trim() : oldShowPlanProblem('incremental sync', r);
    default:
      return oldShowPlanProblem('incremental sync', r);
  }
}

async function cloudUsers(cloud: CloudFixture): Promise<number> {
  const res = await fetch(`${cloud.cloud.baseUrl}/Users?count=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { totalResults: number }).totalResults;
}

describe('an extension from before run result version 2 (demo.dirsync → local cloud, over LSP)', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let old: LspClient;
  let uri: string;

  before(async () => {
    cloud = await startCloudFixture({ orgId: 'demo-org', dialect: 'webex' });
    const folder = scratchWorkspace({}, 'run-old-extension');
    cpSync(join(ROOT, 'sample-configs/data'), join(folder, 'data'), { recursive: true });
    uri = pathToFileURL(join(folder, 'demo.dirsync')).toString();
    // Exactly what the old extension's languageClient.ts sent (the default of dirsync.validation.delayMs).
    old = await LspClient.start({
      rawInitializationOptions: { validationDelayMs: 150 },
      secret: (p) => (p.ref.text === '${env:DIRSYNC_CLOUD_TOKEN}' ? TOKEN : undefined),
    });
    const text = readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8').replaceAll('http://127.0.0.1:8787', cloud.cloud.url);
    await old.open(uri, text);
  });

  after(async () => {
    await old?.stop();
    await cloud?.close();
  });

  it('a dry run answers `failed` with a message the old extension shows, not "unknown error"', async () => {
    const r = await old.request<OldRunResult & { resultVersion?: number }>(DryRunRequest.method, {
      uri,
      mode: 'full',
      workDoneToken: 'old-1',
    });
    assert.equal(
      oldExtensionShowsDryRun(r),
      'Dirsync: dry run failed: the Dirsync extension and its language server come from different installs (the language server ' +
        'answers in a format this extension does not read), so nothing was run. Reload the window (Developer: Reload Window); ' +
        'if this stays, reinstall the Dirsync extension.',
    );
    assert.equal(r.resultVersion, undefined, 'a later extension that lists no version sees none, and says it cannot read the answer');
    assert.ok(
      old.logs.some((l) => l.includes('runResultVersions')),
      'the server log says why the client was refused',
    );
  });

  it('an incremental sync (applied without review) writes nothing and says why', async () => {
    const r = await old.request<OldRunResult>(SyncRequest.method, {
      uri,
      mode: 'incremental',
      applyWithoutReview: true,
      workDoneToken: 'old-2',
    });
    assert.equal(oldExtensionShowsIncrementalSync(r), `Dirsync: incremental sync failed: ${installMismatch('run')}`);
    assert.equal(await cloudUsers(cloud), 0, 'nothing was applied');
  });

  it('the last report is an error with the message (the old extension read `report` from it)', async () => {
    await assert.rejects(old.request(LastReportRequest.method, { uri }), (err: unknown) => {
      assert.ok(err instanceof ResponseError);
      assert.equal(err.code, LSPErrorCodes.RequestFailed);
      assert.equal(err.message, installMismatch('lastReport'));
      assert.match(err.message, /^The Dirsync extension and its language server come from different installs/);
      return true;
    });
  });

  it('explain, whose answer kept its shape, still answers', async () => {
    const dn = 'CN=Mette Lindqvist,OU=Europe,OU=People,OU=Corp,DC=corp,DC=example,DC=com';
    const r = await old.request<ExplainResult>(ExplainRequest.method, { uri, target: dn, workDoneToken: 'old-3' });
    assert.ok(r.explanation, r.message);
    assert.equal(r.explanation.found, true);
  });
});
