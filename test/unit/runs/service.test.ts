/**
 * The run service's own rules, with the engine injected as plain functions (STYLE principle 6):
 * a reviewed plan is applied by its token and only that plan, only for the config text it was
 * made from, never over the deletion threshold; a cancelled apply keeps its token for a resume.
 * The same requests against the real engine and the local cloud: test/integration/runLsp.test.ts.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_RESULT_VERSION } from '../../../common/requests';
import { PlanTokens, textSha256 } from '../../../server/src/runs/planTokens';
import { planCounts, RunService, type RunEngine } from '../../../server/src/runs/service';
import type { SyncReport } from '../../../common/report';
import type { EngineOptions } from '../../../server/src/sync/contract';
import type { ApplyResult, SyncPlan } from '../../../server/src/sync/contract';
import { makeReport } from '../../support/reports';

function planOf(report: SyncReport, ops = 3): SyncPlan {
  return {
    report,
    payload: {
      version: 1,
      basis: { configSha256: 'c', directoryFingerprint: 'd', cloudFingerprint: 'e' },
      operations: Array.from({ length: ops }, (_, i) => ({
        opId: `op-${i}`,
        itemId: `i${i}`,
        label: `CN=u${i}`,
        kind: 'deleteUser' as const,
        target: { cloudId: `c${i}` },
      })),
    },
  };
}

/** An engine whose plans are made from synthetic reports, and which records what it applied. */
function recordingEngine(opts: { exceeded?: boolean; abortApply?: boolean } = {}) {
  let n = 0;
  const applied: Array<{ plan: SyncPlan; options: EngineOptions }> = [];
  const base = makeReport({ total: 50, seed: 3, thresholdExceeded: !!opts.exceeded });
  const engine: RunEngine = {
    async dryRun() {
      n++;
      return planOf({ ...base, sessionId: `s${n}` });
    },
    async applyPlan(plan, options) {
      applied.push({ plan, options });
      if (opts.abortApply) throw new Error('aborted');
      const result: ApplyResult = {
        sessionId: options.sessionId ?? 'x',
        applied: plan.payload.operations.length,
        resumed: 0,
        failed: 0,
        skipped: 0,
        failures: [],
        report: { ...plan.report, mode: options.mode },
      };
      return result;
    },
    async purgeAvatars() {
      n++;
      return { plan: planOf({ ...base, sessionId: `p${n}` }, 2) };
    },
    async explainObject(o) {
      return { query: o.target, found: false, selections: [], attributes: [], messages: [] };
    },
  };
  return { engine, applied };
}

/** The config's folder: the service saves the runs' reports under its `.dirsync/reports/`. */
function service(engine: RunEngine, text: { value: string }) {
  const folder = mkdtempSync(join(tmpdir(), 'dirsync-run-service-'));
  return new RunService({
    engine,
    config: async () => ({ configFile: join(folder, 'corp.dirsync'), configText: text.value }),
    secrets: () => () => undefined,
  });
}

describe('live/runService: plan tokens and confirmation', () => {
  it("applies exactly the plan the dry run returned, once, with the plan's session", async () => {
    const { engine, applied } = recordingEngine();
    const text = { value: '{ "version": 1 }' };
    const s = service(engine, text);
    const planned = await s.sync('file:///tmp/x/corp.dirsync', 'full', undefined, false, {});
    assert.equal(planned.outcome, 'planned');
    assert.equal(planned.resultVersion, RUN_RESULT_VERSION);
    assert.ok(planned.planToken && planned.reportFile && planned.summary);
    assert.equal((planned as { report?: unknown }).report, undefined, 'the result carries the location, not the report');
    assert.equal((JSON.parse(readFileSync(planned.reportFile, 'utf8')) as SyncReport).sessionId, planned.sessionId);
    assert.equal(planned.summary.sessionId, planned.sessionId);
    // A second dry run in between makes a different plan; the token still names the first.
    await s.dryRun('file:///tmp/x/corp.dirsync', 'full', {});
    const done = await s.sync('file:///tmp/x/corp.dirsync', 'full', planned.planToken, false, {});
    assert.equal(done.outcome, 'applied');
    assert.equal(applied.length, 1);
    assert.equal(applied[0]!.plan.report.sessionId, planned.sessionId, 'the applied plan is the reviewed one');
    assert.ok(done.reportFile && existsSync(done.reportFile), 'the apply report is saved too');
    assert.equal(applied[0]!.options.sessionId, planned.sessionId);
    assert.equal(done.applied, 3);
    const again = await s.sync('file:///tmp/x/corp.dirsync', 'full', planned.planToken, false, {});
    assert.equal(again.outcome, 'stale', 'a token applies once');
    assert.equal(applied.length, 1);
  });

  it('refuses a plan over the deletion threshold without a token and without writing', async () => {
    const { engine, applied } = recordingEngine({ exceeded: true });
    const s = service(engine, { value: '{}' });
    const r = await s.sync('file:///tmp/x/corp.dirsync', 'full', undefined, false, {});
    assert.equal(r.outcome, 'refused');
    assert.equal(r.planToken, undefined);
    assert.ok(r.summary?.threshold.exceeded);
    assert.ok(r.reportFile && existsSync(r.reportFile), 'the refused plan can be reviewed');
    assert.ok(r.message);
    const incremental = await s.sync('file:///tmp/x/corp.dirsync', 'incremental', undefined, true, {});
    assert.equal(incremental.outcome, 'refused');
    // A dry run's token for the same plan cannot sneak past the threshold either.
    const dry = await s.dryRun('file:///tmp/x/corp.dirsync', 'full', {});
    assert.equal((await s.sync('file:///tmp/x/corp.dirsync', 'full', dry.planToken, false, {})).outcome, 'refused');
    assert.equal(applied.length, 0);
  });

  it('refuses a token after the config text changed, for another document, or for another command', async () => {
    const { engine, applied } = recordingEngine();
    const text = { value: '{ "a": 1 }' };
    const s = service(engine, text);
    const p1 = await s.sync('file:///tmp/x/corp.dirsync', 'full', undefined, false, {});
    assert.equal((await s.sync('file:///tmp/x/other.dirsync', 'full', p1.planToken, false, {})).outcome, 'stale');
    assert.equal((await s.purgeAvatars('file:///tmp/x/corp.dirsync', p1.planToken, {})).outcome, 'stale');
    text.value = '{ "a": 2 }';
    const r = await s.sync('file:///tmp/x/corp.dirsync', 'full', p1.planToken, false, {});
    assert.equal(r.outcome, 'stale');
    assert.match(r.message!, /config changed/);
    assert.equal(applied.length, 0);
  });

  it('a cancelled apply keeps its token: sending it again resumes the same plan and session', async () => {
    const controller = new AbortController();
    const { engine, applied } = recordingEngine({ abortApply: true });
    const s = service(engine, { value: '{}' });
    const p = await s.sync('file:///tmp/x/corp.dirsync', 'full', undefined, false, {});
    controller.abort();
    const cancelled = await s.sync('file:///tmp/x/corp.dirsync', 'full', p.planToken, false, { signal: controller.signal });
    assert.equal(cancelled.outcome, 'cancelled');
    assert.equal(cancelled.planToken, p.planToken);
    const failedAgain = await s.sync('file:///tmp/x/corp.dirsync', 'full', p.planToken, false, {});
    assert.equal(failedAgain.outcome, 'failed', 'an engine error without a cancel is a failure');
    assert.equal(applied.length, 2);
    assert.equal(applied[1]!.plan, applied[0]!.plan);
    assert.equal(applied[1]!.options.sessionId, p.sessionId);
  });

  it('refuses a second apply of the same config while one is under way', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { engine } = recordingEngine();
    const slow: RunEngine = { ...engine, applyPlan: async (plan, options) => (await gate, engine.applyPlan(plan, options)) };
    const s = service(slow, { value: '{}' });
    const a = await s.sync('file:///tmp/x/corp.dirsync', 'full', undefined, false, {});
    const b = await s.sync('file:///tmp/x/corp.dirsync', 'full', undefined, false, {});
    const first = s.sync('file:///tmp/x/corp.dirsync', 'full', a.planToken, false, {});
    const second = await s.sync('file:///tmp/x/corp.dirsync', 'full', b.planToken, false, {});
    assert.equal(second.outcome, 'failed');
    assert.match(second.message!, /already running/);
    assert.equal(second.planToken, b.planToken, 'the refused plan can still be applied later');
    release();
    assert.equal((await first).outcome, 'applied');
    assert.equal((await s.sync('file:///tmp/x/corp.dirsync', 'full', b.planToken, false, {})).outcome, 'applied');
  });

  it('purge: the purge plan by token, its report marked purgeAvatars', async () => {
    const { engine, applied } = recordingEngine();
    const s = service(engine, { value: '{}' });
    const p = await s.purgeAvatars('file:///tmp/x/corp.dirsync', undefined, {});
    assert.equal(p.outcome, 'planned');
    assert.equal(p.counts?.operations, 2);
    const r = await s.purgeAvatars('file:///tmp/x/corp.dirsync', p.planToken, {});
    assert.equal(r.outcome, 'applied');
    assert.equal(r.summary?.mode, 'purgeAvatars');
    assert.equal((JSON.parse(readFileSync(r.reportFile!, 'utf8')) as SyncReport).mode, 'purgeAvatars');
    assert.equal(applied[0]!.plan.report.sessionId, p.sessionId);
    assert.ok(p.reportFile && existsSync(p.reportFile), 'the purge plan is saved before it is applied');
  });

  it('last report: the newest of this session', async () => {
    const { engine } = recordingEngine();
    const s = service(engine, { value: '{}' });
    assert.equal(await s.lastReport('file:///tmp/x/corp.dirsync'), null);
    const p = await s.dryRun('file:///tmp/x/corp.dirsync', 'full', {});
    const last = await s.lastReport('file:///tmp/x/corp.dirsync');
    assert.equal(last?.file, p.reportFile);
    assert.equal(last?.summary.sessionId, p.sessionId);
  });
});

describe('live/planTokens', () => {
  it('expires tokens after the time to live', () => {
    let now = 0;
    const tokens = new PlanTokens(1000, () => now);
    const plan = {
      report: makeReport({ total: 1 }),
      payload: { version: 1 as const, basis: { configSha256: '', directoryFingerprint: '', cloudFingerprint: '' }, operations: [] },
    };
    const t = tokens.issue({ uri: 'u', purpose: 'sync', mode: 'full', plan, configSha256: textSha256('a') });
    assert.match(t, /^[\w-]{22}$/);
    assert.ok('pending' in tokens.check(t, 'u', 'sync', textSha256('a')));
    now = 1001;
    assert.ok('stale' in tokens.check(t, 'u', 'sync', textSha256('a')));
    assert.equal(tokens.size, 0);
  });

  it('counts a plan for the confirmation', () => {
    const report = makeReport({ total: 200, seed: 2 });
    const counts = planCounts({
      report,
      payload: { version: 1, basis: { configSha256: '', directoryFingerprint: '', cloudFingerprint: '' }, operations: [] },
    });
    assert.deepEqual(
      { added: counts.added, modified: counts.modified, deleted: counts.deleted, deactivated: counts.deactivated, invalid: counts.invalid },
      {
        added: report.summary.added,
        modified: report.summary.modified,
        deleted: report.summary.deleted,
        deactivated: report.summary.deactivated,
        invalid: report.summary.invalid,
      },
    );
    assert.equal(counts.operations, 0);
  });
});
