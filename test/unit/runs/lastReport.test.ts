import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemSourceOf, reportItemCount, reportItems } from '../../../common/reportItems';
import { countsFromReport } from '../../../server/src/live/lastDryRun';
import { newestSavedReport } from '../../../server/src/runs/lastReport';
import { saveReport } from '../../../server/src/sync/engine/dryRun';
import { savedReportFields } from '../../../server/src/sync/engine/itemSpool';
import { PlanSpools } from '../../../server/src/sync/engine/itemSpool';
import { BASE, config, items, person, plan } from '../../support/planBuilders';

const meta = (generatedAt: string, configFile: string) => ({
  sessionId: `s-${generatedAt}`,
  generatedAt,
  configFile,
  directory: { url: 'ldif:./x.ldif', kind: 'ldif' as const },
  cloud: { url: 'http://127.0.0.1:9/identity/scim/o/v2', type: 'scim' as const },
});

describe('runs: the newest saved report, read by its fields', () => {
  it('finds the newest report about the config without parsing the others, and reads its items from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-lastreport-'));
    const reports = join(dir, 'reports');
    const configFile = join(dir, 'corp.dirsync');
    const cfg = config({ attributes: { title: 'title' } });
    const entries = Array.from({ length: 300 }, (_, i) => person(i + 1, `User ${i + 1}`, { title: `“T” ${i}` }));
    const spools = await PlanSpools.open(reports);
    try {
      const newer = await plan(cfg, items('users', entries), [], {
        ...spools.sinks(),
        meta: meta('2026-12-05T10:00:00.000Z', configFile),
      });
      spools.planned();
      const newerFile = await saveReport(dir, newer.report);
      const older = await plan(cfg, items('users', entries.slice(0, 3)), [], {
        meta: meta('2026-12-04T10:00:00.000Z', configFile),
      });
      const olderFile = await saveReport(dir, older.report);
      // A report of an older version, written on one line, newer than both: still read (whole).
      const oneLine = { ...older.report, generatedAt: '2026-12-06T10:00:00.000Z', sessionId: 'one-line' };
      writeFileSync(join(reports, 'one-line-dryRun.json'), JSON.stringify(oneLine));
      // Not reports: skipped.
      writeFileSync(join(reports, 'broken.json'), '{"format":');
      writeFileSync(join(reports, 'other.json'), readFileSync(newerFile, 'utf8').replace('"format":"dirsync-report"', '"format":"other"'));

      assert.equal(savedReportFields(newerFile)?.['generatedAt'], '2026-12-05T10:00:00.000Z');
      assert.equal(savedReportFields(join(reports, 'one-line-dryRun.json')), undefined, 'an older layout is not read by its lines');

      const newest = await newestSavedReport(configFile, [reports]);
      assert.equal(newest?.report.sessionId, 'one-line');
      assert.deepEqual(newest?.report.items, oneLine.items);

      writeFileSync(join(reports, 'one-line-dryRun.json'), JSON.stringify({ ...oneLine, generatedAt: '2026-12-01T00:00:00.000Z' }));
      const found = await newestSavedReport(configFile, [reports], undefined, 'dryRun');
      assert.ok(found && found.file !== olderFile);
      assert.equal(found.report.generatedAt, '2026-12-05T10:00:00.000Z');
      assert.ok(itemSourceOf(found.report), 'its items stay in the file until read');
      assert.equal(reportItemCount(found.report), newer.report.items.length);
      assert.deepEqual([...reportItems(found.report)], JSON.parse(readFileSync(newerFile, 'utf8')).items);
      assert.deepEqual(countsFromReport(found.report), { users: 300 });
      const { items: _items, ...fields } = JSON.parse(readFileSync(newerFile, 'utf8'));
      const { items: _again, ...readFields } = { ...found.report };
      assert.deepEqual(readFields, fields);
      assert.match(found.report.items[0]!.dn!, new RegExp(`,${BASE}$`));
    } finally {
      spools.close();
    }
  });
});
