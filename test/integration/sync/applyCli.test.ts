/**
 * `dirsync apply` / `sync` end to end: the built CLI, a real dry run of an LDIF export, the local
 * cloud. Exit codes, threshold refusal, saved plans, incremental and forced full syncs.
 */
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { readSyncState } from '../../../server/src/sync/engine/syncState';
import { cloudUsers, TOKEN, writes } from '../../support/syncApply';
import { e2eConfig, runCli, writeLdif } from '../../support/syncCli';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';

describe('sync apply: the CLI end to end (LDIF source, local cloud)', function () {
  this.timeout(180_000);
  let f: CloudFixture;
  let ldif: string;
  let config: string;
  before(() => {});
  beforeEach(async () => {
    f = await startCloudFixture();
    ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 60);
    config = join(f.dir, 'corp.dirsync');
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif));
  });
  afterEach(async () => {
    await f?.close();
  });

  it('apply exits 2 with changes, then 0: the second plan has nothing to do', async () => {
    const log = join(f.dir, 'events.jsonl');
    const first = await runCli(['apply', config, '--json', '--log', log], f.dir);
    assert.equal(first.code, 2, first.stderr + first.stdout);
    const result = JSON.parse(first.stdout);
    assert.equal(result.format, 'dirsync-apply');
    assert.equal(result.failed, 0);
    assert.ok(result.applied > 40, `applied ${result.applied}`);
    const users = await cloudUsers(f.client());
    assert.equal(users.size, result.summary.added);
    const plan = await dryRun({ configFile: config, secrets: () => TOKEN });
    assert.equal(plan.payload.operations.length, 0, JSON.stringify(plan.payload.operations.slice(0, 2)));
    const replan = await runCli(['plan', config], f.dir);
    assert.equal(replan.code, 0, replan.stderr + replan.stdout);
    const second = await runCli(['apply', config], f.dir);
    assert.equal(second.code, 0, second.stderr + second.stdout);
    assert.match(second.stdout, /^No changes/);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(events.some((e) => e.event === 'user.create' && e.sessionId === result.sessionId));
    assert.ok(!readFileSync(log, 'utf8').includes(TOKEN));
  });

  it('over the deletion threshold: exit 1 with the reason and the objects, nothing written', async () => {
    const admin = f.client();
    for (let i = 0; i < 3; i++)
      await admin.users.create({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `gone${i}@corp.example.com`,
        externalId: `gone-${i}`,
      } as never);
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif, { policy: { deleteThreshold: { count: 2 }, mismatched: 'delete' } }));
    const before = f.cloud.requests().at(-1)!.n;
    const run = await runCli(['apply', config, '--json'], f.dir);
    assert.equal(run.code, 1, run.stderr);
    const body = JSON.parse(run.stdout);
    assert.equal(body.refused, 'threshold');
    assert.match(run.stderr, /refused and writes nothing\. Objects to delete: /);
    assert.match(run.stderr, /gone0@corp\.example\.com/);
    assert.equal(writes(f, before), 0);
  });

  it('a saved plan applies as reviewed, and is refused once the config or the directory changed', async () => {
    const planFile = join(f.dir, 'plan.json');
    const made = await runCli(['plan', config, '-o', planFile], f.dir);
    assert.equal(made.code, 2, made.stderr);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { plan: { operations: unknown[] } };
    // Config changed (even a comment): refused.
    const text = readFileSync(config, 'utf8');
    writeFileSync(config, `// reviewed\n${text}`);
    const before = f.cloud.requests().at(-1)?.n ?? 0;
    const refused = await runCli(['apply', planFile], f.dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /changed since the plan was made/);
    assert.equal(writes(f, before), 0);
    // Directory changed: refused.
    writeFileSync(config, text);
    const ldifText = readFileSync(ldif, 'utf8');
    writeFileSync(ldif, ldifText.replace(/^title: .*$/m, 'title: Chief Changer'));
    const refused2 = await runCli(['apply', planFile], f.dir);
    assert.equal(refused2.code, 1);
    assert.match(refused2.stderr, /the directory changed since the plan was made/);
    assert.equal(writes(f, before), 0);
    // Unchanged: applied exactly.
    writeFileSync(ldif, ldifText);
    const ok = await runCli(['apply', planFile, '--json'], f.dir);
    assert.equal(ok.code, 2, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).applied, plan.plan.operations.length);
  });

  it('a plan whose config moved (another checkout, CI) is applied with --config', async () => {
    mkdirSync(join(f.dir, 'plans'));
    const planFile = join(f.dir, 'plans', 'reviewed.json');
    assert.equal((await runCli(['plan', config, '-o', planFile], f.dir)).code, 2);
    const moved = join(f.dir, 'plans', 'corp.dirsync');
    renameSync(config, moved);
    const lost = await runCli(['apply', planFile], f.dir);
    assert.equal(lost.code, 1);
    assert.match(lost.stderr, /name it with --config <file>/);
    const ok = await runCli(['apply', planFile, '--config', moved], f.dir);
    assert.equal(ok.code, 2, ok.stderr);
  });

  it('sync --incremental picks up a change; a mapping change forces a full sync', async () => {
    assert.equal((await runCli(['sync', config], f.dir)).code, 2);
    const state = await readSyncState(join(f.dir, '.dirsync'), config);
    assert.ok(state?.lastFullSync, 'the state file records the full sync');
    const ldifText = readFileSync(ldif, 'utf8');
    writeFileSync(ldif, ldifText.replace(/^title: .*$/m, 'title: Chief Changer'));
    const inc = await runCli(['sync', config, '--incremental', '--json'], f.dir);
    assert.equal(inc.code, 2, inc.stderr);
    const incResult = JSON.parse(inc.stdout);
    assert.equal(incResult.mode, 'incremental');
    assert.equal(incResult.summary.modified, 1);
    // The mapping changes: incremental is refused in favour of a full sync.
    writeFileSync(
      config,
      e2eConfig(f.cloud.baseUrl, ldif, {
        attributes: {
          uid: 'mail',
          displayName: 'displayName',
          givenName: 'givenName',
          sn: 'sn',
          title: 'department',
          externalId: 'objectGUID',
        },
      }),
    );
    const log = join(f.dir, 'inc.jsonl');
    const forced = await runCli(['sync', config, '--incremental', '--json', '--log', log], f.dir);
    assert.equal(forced.code, 2, forced.stderr);
    assert.equal(JSON.parse(forced.stdout).mode, 'full');
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const mode = events.find((e) => e.event === 'sync.mode' && /mapping/.test(e.message));
    assert.ok(mode);
    // The mode decision belongs to the run's session, like every other event of the run.
    assert.equal(mode.sessionId, JSON.parse(forced.stdout).sessionId);
    assert.ok(events.filter((e) => e.event !== 'sync.mode').every((e) => e.sessionId === mode.sessionId));
    appendFileSync(log, '');
  });

  it('serve runs a full then incremental syncs on the schedule and stops cleanly on SIGTERM', async () => {
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif, { schedule: { enabled: true, incrementalInterval: '1s' } }));
    let child: ChildProcess | undefined;
    let err = '';
    const lines: string[] = [];
    let waiter: { test: () => boolean; resolve: () => void } | undefined;
    const until = (test: () => boolean) => new Promise<void>((resolve) => (test() ? resolve() : (waiter = { test, resolve })));
    const done = runCli(['serve', config], f.dir, (c) => {
      child = c;
      c.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
        lines.splice(0, lines.length, ...err.split('\n'));
        if (waiter?.test()) waiter.resolve();
      });
    });
    await until(() => lines.filter((l) => / sync: /.test(l)).length >= 2);
    child!.kill('SIGTERM');
    const run = await done;
    assert.equal(run.code, 0, err);
    const syncs = lines.filter((l) => / sync: /.test(l));
    assert.match(syncs[0]!, /full sync: applied \d+, failed 0/);
    assert.match(syncs[1]!, /incremental sync: no changes/);
    assert.match(err, /dirsync serve: stopped/);
  });

  it('serve refuses a config whose schedule is disabled', async () => {
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif, { schedule: { enabled: false } }));
    const run = await runCli(['serve', config], f.dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /schedule\.enabled is false/);
  });
});
