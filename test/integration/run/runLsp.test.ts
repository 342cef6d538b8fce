/**
 * The run requests over real LSP JSON-RPC: the built server (`dist/server.js --stdio`) runs the
 * sync engine on sample-configs/demo.dirsync (its LDIF export) against the local cloud started
 * in-process on 127.0.0.1. The cloud token is answered by the test client, sealed as the extension
 * does. Checks what the extension relies on: `$/progress` on the work-done token, cancellation,
 * the plan token applying exactly the reviewed plan, the refusal over the deletion threshold,
 * the event log, the last report.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import {
  DryRunRequest,
  ExplainRequest,
  LastReportRequest,
  PurgeAvatarsRequest,
  RunEventNotification,
  SyncRequest,
  type ApplyOutcome,
  type ExplainResult,
  type LastReportResult,
  type PlanResult,
  type RunEventParams,
} from '../../../common/requests';
import type { SyncReport } from '../../../common/report';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { EventQueue, LspClient, ROOT } from '../../support/lspClient';
import { scratchWorkspace } from '../../support/scratchWorkspace';

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** The saved report a run result points at (the result carries its location, not the report). */
function savedReport(file: string | undefined): SyncReport {
  assert.ok(file, 'the result names the saved report');
  return JSON.parse(readFileSync(file, 'utf8')) as SyncReport;
}
const DEMO = join(ROOT, 'sample-configs/demo.dirsync');

/** The demo config pointed at this run's local cloud (its SCIM URL and its store for published pictures). */
function demoText(cloud: CloudFixture, edit: (text: string) => string = (t) => t): string {
  const text = readFileSync(DEMO, 'utf8').replaceAll('http://127.0.0.1:8787', cloud.cloud.url);
  assert.ok(text.includes(cloud.cloud.baseUrl), 'the demo config names its cloud URL differently now');
  return edit(text);
}

/** Users in the cloud, straight from its SCIM endpoint. */
async function cloudUsers(cloud: CloudFixture): Promise<number> {
  const res = await fetch(`${cloud.cloud.baseUrl}/Users?count=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { totalResults: number }).totalResults;
}

describe('run requests over LSP (demo.dirsync → local cloud)', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let lsp: LspClient;
  let uri: string;
  let version = 1;
  const events = new EventQueue<RunEventParams>();
  let tokens = 0;

  /** Sends a run request with a fresh work-done token; collects its `$/progress`. */
  function run<R>(method: string, params: Record<string, unknown>, cancel?: CancellationTokenSource, onProgress?: (p: Progress) => void) {
    const workDoneToken = `t${++tokens}`;
    const progress: Progress[] = [];
    const sub = lsp.conn.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
      progress.push(p);
      onProgress?.(p);
    });
    const result = (lsp.conn.sendRequest(method, { uri, ...params, workDoneToken }, cancel?.token) as Promise<R>).finally(() =>
      sub.dispose(),
    );
    return { result, progress };
  }

  before(async () => {
    cloud = await startCloudFixture({ orgId: 'demo-org', dialect: 'webex' });
    const folder = scratchWorkspace({}, 'run-lsp');
    cpSync(join(ROOT, 'sample-configs/data'), join(folder, 'data'), { recursive: true });
    uri = pathToFileURL(join(folder, 'demo.dirsync')).toString();
    lsp = await LspClient.start({ secret: (p) => (p.ref.text === '${env:DIRSYNC_CLOUD_TOKEN}' ? TOKEN : undefined) });
    lsp.conn.onNotification(RunEventNotification.method, (p: RunEventParams) => events.push(p));
    await lsp.open(uri, demoText(cloud));
  });

  after(async () => {
    await lsp?.stop();
    await cloud?.close();
  });

  it('dry run: $/progress begin → reports → end on the work-done token, events with the session id, nothing written', async () => {
    const { result, progress } = run<PlanResult>(DryRunRequest.method, { mode: 'full' });
    const r = await result;
    assert.equal(r.outcome, 'planned', r.message);
    assert.ok(r.reportFile && r.summary && r.planToken && r.counts);
    const report = savedReport(r.reportFile);
    assert.equal(report.mode, 'dryRun');
    assert.equal(report.sessionId, r.sessionId);
    assert.ok(r.counts.added > 0, 'a fresh cloud: every user is added');
    assert.equal(r.counts.added, report.summary.added);
    assert.deepEqual(r.summary.summary, report.summary);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    const reports = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report');
    assert.ok(reports.length >= 2, `progress reports: ${JSON.stringify(progress)}`);
    assert.ok(
      reports.some((p) => /^directory: /.test(p.message ?? '')) && reports.some((p) => /^cloud: /.test(p.message ?? '')),
      JSON.stringify(reports),
    );
    const ev = await events.next((e) => e.event.sessionId === r.sessionId);
    assert.equal(ev.uri, uri);
    assert.equal(await cloudUsers(cloud), 0, 'a dry run writes nothing');
    assert.ok(!lsp.wire.includes(TOKEN), 'the cloud token crossed the wire in clear text');
  });

  it('cancellation: a cancelled dry run stops and answers `cancelled`', async () => {
    // Hold every cloud read, so the cancel surely arrives while the engine is working.
    const hold = cloud.cloud.faults.add({ kind: 'latency', latencyMs: 20_000, rate: 1, methods: ['GET'] });
    try {
      const cancel = new CancellationTokenSource();
      const { result, progress } = run<PlanResult>(
        DryRunRequest.method,
        { mode: 'full' },
        cancel,
        (p) => p.kind === 'report' && cancel.cancel(),
      );
      const r = await result;
      assert.equal(r.outcome, 'cancelled', JSON.stringify(r));
      assert.equal(r.planToken, undefined);
      assert.equal(progress.at(-1)?.kind, 'end');
    } finally {
      cloud.cloud.faults.remove(hold);
    }
  });

  it('full sync: the token applies exactly the reviewed plan; a cancelled apply stops and resumes the same plan', async () => {
    const planned = await run<ApplyOutcome>(SyncRequest.method, { mode: 'full' }).result;
    assert.equal(planned.outcome, 'planned', planned.message);
    // Users and rooms are SCIM Users.
    const creates = savedReport(planned.reportFile).items.filter(
      (i) => (i.objectType === 'user' || i.objectType === 'room') && i.action === 'create',
    ).length;
    assert.ok(creates > 2);
    // Another plan in between must not be what gets applied.
    const other = await run<PlanResult>(DryRunRequest.method, { mode: 'full' }).result;
    assert.notEqual(other.sessionId, planned.sessionId);

    // Slow writes, and a cancel at the first operation done: the apply stops part-way.
    const slow = cloud.cloud.faults.add({ kind: 'latency', latencyMs: 500, rate: 1, methods: ['POST'] });
    const cancel = new CancellationTokenSource();
    const first = run<ApplyOutcome>(
      SyncRequest.method,
      { mode: 'full', planToken: planned.planToken },
      cancel,
      (p) => p.kind === 'report' && /^apply: /.test(p.message ?? '') && cancel.cancel(),
    );
    const cancelled = await first.result;
    cloud.cloud.faults.remove(slow);
    assert.equal(cancelled.outcome, 'cancelled', JSON.stringify({ outcome: cancelled.outcome, message: cancelled.message }));
    assert.equal(cancelled.planToken, planned.planToken, 'a cancelled apply keeps its plan for a resume');
    const part = await cloudUsers(cloud);
    assert.ok(part < creates, `cancelled after ${part} of ${creates} users`);

    const { result, progress } = run<ApplyOutcome>(SyncRequest.method, { mode: 'full', planToken: planned.planToken });
    const applied = await result;
    assert.equal(applied.outcome, 'applied', applied.message);
    assert.equal(applied.sessionId, planned.sessionId, 'the apply belongs to the reviewed plan');
    assert.equal(applied.failed, 0, JSON.stringify(applied.failures));
    // Every operation of the reviewed plan was done exactly once across the two applies.
    assert.ok(
      (applied.resumed ?? 0) > 0,
      `the journal of the cancelled apply was not resumed (${part} users were written before the cancel)`,
    );
    assert.equal(
      (applied.applied ?? 0) + (applied.resumed ?? 0) + (applied.failed ?? 0),
      planned.counts!.operations,
      'every operation of the plan, none twice',
    );
    assert.ok(
      progress.some((p) => p.kind === 'report' && /^apply: /.test(p.message ?? '')),
      JSON.stringify(progress),
    );
    assert.equal(await cloudUsers(cloud), creates);
    assert.equal(
      (await run<ApplyOutcome>(SyncRequest.method, { mode: 'full', planToken: planned.planToken }).result).outcome,
      'stale',
      'a token applies once',
    );

    const again = await run<ApplyOutcome>(SyncRequest.method, { mode: 'full' }).result;
    assert.equal(again.outcome, 'planned');
    await lsp.change(uri, `${demoText(cloud)}\n// edited\n`, ++version);
    const stale = await run<ApplyOutcome>(SyncRequest.method, { mode: 'full', planToken: again.planToken }).result;
    assert.equal(stale.outcome, 'stale');
    assert.match(stale.message ?? '', /config changed/);
  });

  it('incremental sync: applied at once without a token when the threshold allows it', async () => {
    await lsp.change(uri, demoText(cloud), ++version);
    const before = await cloudUsers(cloud);
    const { result, progress } = run<ApplyOutcome>(SyncRequest.method, { mode: 'incremental', applyWithoutReview: true });
    const r = await result;
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.summary?.mode, 'incremental');
    assert.equal(savedReport(r.reportFile).mode, 'incremental');
    assert.equal(r.planToken, undefined);
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.equal(await cloudUsers(cloud), before, 'nothing changed in the directory since the full sync');
  });

  it('over the deletion threshold the sync is refused, the report names what would go, nothing is deleted', async () => {
    if ((await cloudUsers(cloud)) === 0) {
      // Run alone (mocha --grep): sync first, so there is something to delete.
      const p = await run<ApplyOutcome>(SyncRequest.method, { mode: 'full' }).result;
      assert.equal((await run<ApplyOutcome>(SyncRequest.method, { mode: 'full', planToken: p.planToken }).result).outcome, 'applied');
    }
    const before = await cloudUsers(cloud);
    assert.ok(before > 0);
    // A users filter nobody matches: every synchronized user would be deleted.
    await lsp.change(
      uri,
      demoText(cloud, (t) => t.replace('"users": { "enabled": true }', '"users": { "enabled": true, "filter": "(cn=nobody-at-all)" }')),
      ++version,
    );
    const r = await run<ApplyOutcome>(SyncRequest.method, { mode: 'full' }).result;
    assert.equal(r.outcome, 'refused', JSON.stringify({ outcome: r.outcome, message: r.message }));
    assert.equal(r.planToken, undefined);
    assert.ok(r.summary?.threshold.exceeded);
    assert.ok(
      savedReport(r.reportFile).items.some((i) => i.category === 'deleted'),
      'the report lists the objects that would go',
    );
    assert.ok(r.message);
    assert.equal(await cloudUsers(cloud), before);
    await lsp.change(uri, demoText(cloud), ++version);
  });

  it('purge avatars: plan, then apply that plan by its token', async () => {
    const plan = await run<ApplyOutcome>(PurgeAvatarsRequest.method, {}).result;
    assert.equal(plan.outcome, 'planned', plan.message);
    assert.ok(plan.planToken && plan.counts);
    const done = await run<ApplyOutcome>(PurgeAvatarsRequest.method, { planToken: plan.planToken }).result;
    assert.equal(done.outcome, 'applied', done.message);
    assert.equal(done.summary?.mode, 'purgeAvatars');
    assert.equal(savedReport(done.reportFile).mode, 'purgeAvatars');
    assert.equal(done.sessionId, plan.sessionId);
  });

  it('last report: the newest run of this config', async () => {
    const dry = await run<PlanResult>(DryRunRequest.method, { mode: 'full' }).result;
    const last = (await lsp.request<LastReportResult | null>(LastReportRequest.method, { uri }))!;
    assert.equal(last.summary.sessionId, dry.sessionId);
    assert.equal(last.file, dry.reportFile);
    assert.equal(savedReport(last.file).generatedAt, dry.summary!.generatedAt);
  });

  it('explain: a user of the report, by DN', async () => {
    const dry = await run<PlanResult>(DryRunRequest.method, { mode: 'full' }).result;
    const user = savedReport(dry.reportFile).items.find((i) => i.objectType === 'user' && i.dn)!;
    const r = await run<ExplainResult>(ExplainRequest.method, { target: user.dn }).result;
    assert.ok(r.explanation, r.message);
    assert.equal(r.explanation.found, true);
    assert.equal(r.explanation.dn?.toLowerCase(), user.dn!.toLowerCase());
    assert.ok(r.explanation.selections.some((s) => s.kind === 'users' && s.filterMatches));
  });
});
