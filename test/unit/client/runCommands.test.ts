/** The run commands: contributed and placed as the issue says; the words of their dialogs; Explain's Markdown escapes AD values. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explanationMarkdown, mdText } from '../../../client/src/runs/explainMarkdown';
import { confirmation, driftCounts, driftText, refusalText } from '../../../client/src/runs/format';
import { WORK_KINDS, emptyWork } from '../../../common/work';
import { runReportSummary } from '../../../common/requests';
import { eventLine } from '../../../client/src/runs/eventLog';
import { progressReport } from '../../../server/src/handlers/run';
import { makeReport, xssItems } from '../../support/reports';

const ROOT = join(__dirname, '../../..');
type Menu = Array<{ command: string; when: string; group?: string }>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string; category: string }>; menus: Record<string, Menu> };
};
const RUN: ReadonlyArray<[string, string]> = [
  ['dirsync.dryRun', 'Dry Run'],
  ['dirsync.fullSync', 'Full Sync'],
  ['dirsync.incrementalSync', 'Incremental Sync'],
  ['dirsync.purgeAvatars', 'Purge Avatars'],
  ['dirsync.showLastReport', 'Show Last Report'],
  ['dirsync.explainObject', 'Explain Object'],
];

describe('client: run commands', () => {
  it('registers each command in client/src/runs/index.ts and contributes it under "Dirsync" with the issue\'s title', () => {
    const source = readFileSync(join(ROOT, 'client/src/runs/index.ts'), 'utf8');
    const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]);
    const byId = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
    for (const [id, title] of RUN) {
      assert.ok(registered.includes(id), `${id} is not registered`);
      assert.equal(byId.get(id)?.title, title);
      assert.equal(byId.get(id)?.category, 'Dirsync');
    }
  });

  it('shows them in the palette for .dirsync editors, in the editor title and context menus and the explorer', () => {
    const menus = pkg.contributes.menus;
    const when = (menu: string, id: string) => menus[menu]!.find((m) => m.command === id)?.when;
    for (const [id] of RUN) {
      assert.equal(when('commandPalette', id), 'editorLangId == dirsync', id);
      assert.equal(when('editor/title', id), 'resourceLangId == dirsync', id);
      assert.equal(when('editor/context', id), 'resourceLangId == dirsync', id);
      assert.equal(when('explorer/context', id), 'resourceExtname == .dirsync', id);
    }
    assert.equal(when('editor/context', 'dirsync.bindDirectory'), 'resourceLangId == dirsync');
    assert.equal(menus['editor/title']!.find((m) => m.command === 'dirsync.dryRun')?.group, 'navigation@1');
  });

  it('drift: +create ~update −delete over every kind, pictures included (deactivations count as deletions)', () => {
    const report = makeReport({ total: 1000, seed: 4 });
    const w = report.work;
    const sum = (a: 'create' | 'update' | 'delete' | 'deactivate') => WORK_KINDS.reduce((n, k) => n + w[k][a], 0);
    const d = driftCounts(w);
    assert.deepEqual(d, { create: sum('create'), update: sum('update'), remove: sum('delete') + sum('deactivate') });
    assert.equal(
      driftText(d),
      `+${d.create.toLocaleString('en-US')} ~${d.update.toLocaleString('en-US')} −${d.remove.toLocaleString('en-US')}`,
    );
    assert.equal(driftText({ create: 12345, update: 0, remove: 1 }), '+12,345 ~0 −1');
  });

  it('confirmation says the work per kind, the target and the session; the refusal lists the objects that would go', () => {
    const report = makeReport({ total: 2000, seed: 5, thresholdExceeded: true });
    const counts = { added: 3, modified: 4, deleted: 5, deactivated: 6, avatars: 7, operations: 25, invalid: 1 };
    // What the run result carries (the report itself stays in its file).
    const summary = runReportSummary(report);
    const c = confirmation('full', counts, summary);
    const w = report.work;
    assert.ok(c.message.startsWith(`Apply this plan to the cloud? Create ${w.users.create} users`), c.message);
    for (const line of [
      `Users: ${[`${w.users.create} to create`, `${w.users.update} to update`, `${w.users.deactivate} to deactivate`, `${w.users.delete} to delete`].join(', ')}`,
      `Pictures: ${w.pictures.create} to upload`,
      `${w.users.unchanged.toLocaleString('en-US')} users`,
      'Invalid (not sent): 1',
      report.sessionId,
      report.cloud.url,
    ])
      assert.ok(c.detail.includes(line), line);
    const quiet = confirmation('full', { ...counts, operations: 0 }, { ...summary, work: emptyWork() });
    assert.doesNotMatch(quiet.message, /[1-9]/, 'no work: no non-zero count');
    assert.match(confirmation('purgeAvatars', { ...counts, avatars: 1 }, summary).message, /^Remove 1 avatar from the cloud\?$/);
    const r = refusalText(report, 'Over the limit.', 3);
    const deleted = report.items.filter((i) => i.category === 'deleted' || i.action === 'delete');
    assert.ok(deleted.length > 3);
    assert.match(r.message, /refused/);
    assert.ok(r.detail.startsWith('Over the limit.'));
    assert.ok(r.detail.includes(`• ${deleted[0]!.dn ?? deleted[0]!.userName}`));
    assert.ok(r.detail.includes(`and ${deleted.length - 3} more`));
  });

  it('explain: AD values are escaped so the preview shows them as text', () => {
    for (const item of xssItems()) {
      const value = item.displayName ?? '';
      const md = mdText(value);
      assert.ok(!/<[a-z!/]/i.test(md), md);
      assert.ok(!/\]\(/.test(md), md);
    }
    const md = explanationMarkdown({
      query: 'CN=<img src=x onerror=alert(1)>,DC=x',
      found: true,
      objectType: 'user',
      dn: 'CN=<img src=x onerror=alert(1)>,DC=x',
      selections: [{ kind: 'users', enabled: true, underBaseDn: true, filterMatches: false, filter: '(objectClass=user)' }],
      attributes: [
        {
          attribute: 'displayName',
          scimPath: 'displayName',
          expression: 'displayName',
          value: '[x](javascript:alert(1)) | a',
          cloudValue: 'old',
          changes: true,
        },
      ],
      decision: { category: 'modified', action: 'update', reason: 'Display name differs' },
      messages: ['one note'],
    });
    assert.ok(!md.includes('<img'), md);
    assert.ok(!md.includes('](javascript'), md);
    assert.match(md, /\| users \| yes \| yes \| no \|/);
    assert.match(md, /\| old \| \\\[x\\\]\\\(javascript:alert\\\(1\\\)\\\) \\\| a \| \*\*yes\*\* \|/);
    assert.match(md, /## Decision/);
  });

  it('explain view: the account state reads as the source value and the state, not `false`', () => {
    const md = explanationMarkdown({
      query: 'a@x',
      found: true,
      selections: [],
      attributes: [
        {
          attribute: 'ds-pwp-account-disabled',
          scimPath: 'active',
          expression: 'userAccountControl',
          value: '514',
          active: false,
          cloudActive: true,
          changes: true,
        },
      ],
      messages: [],
    });
    assert.match(md, /\| active \| 514 \(inactive\) \| \*\*yes\*\* \|/);
  });

  it('progress: phase, message and counts; a percentage only with a total', () => {
    assert.deepEqual(progressReport({ phase: 'directory', message: 'Reading users', done: 120, total: 400 }), {
      message: 'directory: Reading users (120/400)',
      percentage: 30,
    });
    assert.deepEqual(progressReport({ phase: 'cloud', message: 'Listing users', done: 50 }), { message: 'cloud: Listing users (50)' });
    assert.deepEqual(progressReport({ phase: 'plan', message: 'Comparing' }), { message: 'plan: Comparing' });
  });

  it('event log lines carry the session id and the object', () => {
    const line = eventLine({
      uri: 'file:///c.dirsync',
      event: { time: 't', sessionId: 'S-1', level: 'info', event: 'user.create', message: 'created', dn: 'CN=A,DC=x' },
    });
    assert.equal(line, '[S-1] user.create: created (CN=A,DC=x)');
  });
});
