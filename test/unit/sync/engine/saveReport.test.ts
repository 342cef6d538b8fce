import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveReport } from '../../../../server/src/sync/engine/dryRun';
import { items, person, plan, config } from '../../../support/planBuilders';

describe('sync saveReport', () => {
  for (const n of [0, 1, 2500]) {
    it(`${n} items: <time>-dryRun.json and last-dryRun.json parse back to the same report`, async () => {
      const entries = Array.from({ length: n }, (_, i) =>
        person(i + 1, `User ${i} "q" \u2028 </script>`, { mail: `u${i}@corp.example.com` }),
      );
      const p = await plan(config(), items('users', entries), []);
      const dir = mkdtempSync(join(tmpdir(), 'dirsync-save-'));
      const file = await saveReport(dir, p.report);
      assert.equal(file, join(dir, 'reports', '2026-01-01T00-00-00-000Z-dryRun.json'));
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(p.report)));
      assert.equal(readFileSync(join(dir, 'reports', 'last-dryRun.json'), 'utf8'), readFileSync(file, 'utf8'));
      assert.deepEqual(readdirSync(join(dir, 'reports')).sort(), ['2026-01-01T00-00-00-000Z-dryRun.json', 'last-dryRun.json']);
    });
  }
});
