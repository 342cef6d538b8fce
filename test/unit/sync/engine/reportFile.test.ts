import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncReport } from '../../../../common/report';
import { PlanSpools } from '../../../../server/src/sync/engine/itemSpool';
import { printReportJson, writeReportJson } from '../../../../server/src/sync/engine/reportFile';
import { saveReport } from '../../../../server/src/sync/engine/dryRun';
import { BASE, cloudUser, config, guid, items, person, plan } from '../../../support/planBuilders';

const tmp = () => mkdtempSync(join(tmpdir(), 'dirsync-reportfile-'));

async function printed(report: SyncReport): Promise<string> {
  const parts: string[] = [];
  await printReportJson((t) => parts.push(t), report);
  return parts.join('');
}

describe('sync engine: reports written without holding them', () => {
  const cfg = config({ attributes: { title: 'title', manager: 'manager' } });
  const entries = Array.from({ length: 1200 }, (_, i) =>
    person(i + 1, `User ${i + 1}`, { title: `Tïtle “${i % 4}” 🙂\nline`, manager: `CN=User ${i + 2},OU=People,${BASE}` }),
  );
  const cloud = entries.flatMap((_, i) =>
    i % 3 ? [cloudUser(`c${i}`, `user.${i + 1}@corp.example.com`, { externalId: guid(i + 1) })] : [],
  );

  it('--json prints what JSON.stringify(report, null, 2) prints, from a spooled report and from one in memory', async () => {
    const inMemory = await plan(cfg, items('users', entries), cloud);
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    try {
      const spooled = await plan(cfg, items('users', entries), cloud, spools.sinks());
      spools.planned();
      const expected = JSON.stringify(inMemory.report, null, 2);
      assert.equal(await printed(inMemory.report), expected);
      assert.equal(await printed(spooled.report), expected, 'from the spool');
      await saveReport(dir, spooled.report);
      assert.equal(await printed(spooled.report), expected, 'from the saved report');
      const empty = { ...inMemory.report, items: [] };
      assert.equal(await printed(empty), JSON.stringify(empty, null, 2));
    } finally {
      spools.close();
    }
  });

  it('-o writes the report and its operations (the saved plan) that parse back to { ...report, plan }', async () => {
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    try {
      const spooled = await plan(cfg, items('users', entries), cloud, spools.sinks());
      spools.planned();
      const inMemory = await plan(cfg, items('users', entries), cloud);
      assert.ok(spooled.payload.operations.length > 1000, 'a plan with operations');
      const out = join(dir, 'plan.json');
      await writeReportJson(out, spooled.report, { plan: spooled.payload });
      const expected = JSON.parse(JSON.stringify({ ...inMemory.report, plan: inMemory.payload }));
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), expected);
      await saveReport(dir, spooled.report);
      await writeReportJson(out, spooled.report, { plan: spooled.payload });
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), expected, 'after the report was saved');
    } finally {
      spools.close();
    }
  });
});
