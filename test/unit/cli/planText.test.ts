import assert from 'node:assert/strict';
import { objectLists, planText, workTable } from '../../../server/src/cli/planText';
import type { ReportItem, SyncReport } from '../../../common/report';
import { countWork, emptyWork } from '../../../common/work';

const item = (id: number, over: Partial<ReportItem>): ReportItem => ({
  id: `i${id}`,
  category: 'added',
  objectType: 'user',
  action: 'create',
  dn: `CN=User ${id},OU=People,DC=corp,DC=example,DC=com`,
  userName: `user${id}@corp.example.com`,
  ...over,
});

function report(items: ReportItem[]): SyncReport {
  return {
    format: 'dirsync-report',
    version: 2,
    sessionId: 's',
    generatedAt: '2026-01-01T00:00:00.000Z',
    mode: 'dryRun',
    config: { file: '/x/corp.dirsync', name: 'corp', sha256: 'x' },
    directory: { url: 'ldif:./corp.ldif', kind: 'ldif', fingerprint: 'f' },
    cloud: { url: 'http://127.0.0.1:1/scim', type: 'scim' },
    summary: {
      added: 0,
      modified: 0,
      matched: 0,
      mismatched: 0,
      deleted: 0,
      deactivated: 0,
      softDeleted: 0,
      rooms: 0,
      groups: 0,
      contacts: 0,
      avatars: 0,
      invalid: 0,
    },
    work: countWork(items),
    threshold: { deletions: 0, owned: 0, disabled: false, exceeded: false },
    items,
    messages: [],
  };
}

describe('cli/planText: dirsync plan as text', () => {
  const items = [
    ...Array.from({ length: 12 }, (_, i) => item(i, {})),
    item(20, {
      category: 'modified',
      action: 'update',
      changes: [
        { attribute: 'title', scimPath: 'title', old: 'Engineer', new: 'Senior Engineer' },
        { attribute: 'mobile', scimPath: 'phoneNumbers[type eq "mobile"].value', old: '+1 5', new: null },
      ],
    }),
    item(21, { category: 'deleted', action: 'delete', dn: undefined, userName: 'gone@corp.example.com', reason: 'no longer in AD scope' }),
    item(22, { category: 'matched', action: 'none' }),
  ];

  it('lists the objects per kind and action, at most `limit` each, updates old → new, deletions with why', () => {
    const lines = objectLists(report(items), { colour: false }, 10);
    assert.equal(lines.filter((l) => l.startsWith('  + ')).length, 10);
    assert.ok(lines.includes('  … and 2 more (--all lists every one; the report has them all)'));
    assert.ok(lines.includes('Users to create (12):'));
    assert.ok(lines.includes('  ~ CN=User 20,OU=People,DC=corp,DC=example,DC=com (user20@corp.example.com)'));
    assert.ok(lines.includes('      title: "Engineer" → "Senior Engineer"'));
    assert.ok(lines.includes('      mobile: "+1 5" → (none)'));
    assert.ok(lines.includes('  - gone@corp.example.com'));
    assert.ok(lines.includes('      why: no longer in AD scope'));
    assert.equal(objectLists(report(items), { colour: false }, undefined).filter((l) => l.startsWith('  + ')).length, 12);
    assert.deepEqual(
      objectLists(report(items), { colour: false }, 0).filter((l) => l.startsWith('  ')),
      [
        '  … and 12 more (--all lists every one; the report has them all)',
        '  … and 1 more (--all lists every one; the report has them all)',
        '  … and 1 more (--all lists every one; the report has them all)',
      ],
    );
  });

  it('colour only when asked (a terminal); the verdict says the work', () => {
    const plain = planText(report(items), { colour: false }, 10);
    assert.ok(!plain.some((l) => l.includes('\x1b[')));
    assert.equal(plain.at(-1), 'Plan: create 12 users; update 1 user; delete 1 user.');
    const coloured = planText(report(items), { colour: true }, 10);
    assert.ok(coloured.some((l) => l.includes('\x1b[32m+ CN=User 0')));
    assert.ok(coloured.some((l) => l.includes('\x1b[31m- gone@corp.example.com')));
  });

  it('no changes: no count above zero in the work columns, no Plan line', () => {
    const quiet = planText(report([item(1, { category: 'matched', action: 'none' })]), { colour: false }, 10);
    assert.equal(quiet.at(-1), 'No changes: the cloud matches the directory.');
    for (const row of quiet.filter((l) => /^ {2}(users|rooms|groups|contacts|pictures) /.test(l)))
      assert.deepEqual(row.trim().split(/\s+/).slice(1, 5), ['0', '0', '0', '0'], row);
    assert.equal(workTable(emptyWork())[0], '            create  update  deactivate  delete  unchanged  skipped');
  });
});

describe('cli/planText: untrusted text on a terminal', () => {
  it('control characters in a DN or a reason are shown escaped, never sent to the terminal', () => {
    const evil = item(1, { dn: 'CN=Eve\x1b[2J\x1b]0;pwned\x07,DC=corp', action: 'delete', category: 'deleted', reason: 'gone\x1b[31m' });
    const lines = objectLists(report([evil]), { colour: false }, 10);
    assert.ok(!lines.some((l) => l.includes('\x1b') || l.includes('\x07')), JSON.stringify(lines));
    assert.ok(lines.some((l) => l.includes('CN=Eve\\u001b[2J\\u001b]0;pwned\\u0007,DC=corp')));
  });
});
