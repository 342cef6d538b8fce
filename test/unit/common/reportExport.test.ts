import assert from 'node:assert/strict';
import type { ReportItem } from '../../../common/report';
import { CSV_COLUMNS, csvField, itemsToCsv, viewToJson } from '../../../common/reportExport';
import { makeReport } from '../../support/reports';

/** A small RFC 4180 reader, to check the writer round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('reportExport', () => {
  describe('csvField', () => {
    const cases: Array<[string, string]> = [
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
      ['+1 408 555 0100', "'+1 408 555 0100"],
      ['-2', "'-2"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tcmd', "'\tcmd"],
    ];
    for (const [input, out] of cases) it(JSON.stringify(input), () => assert.equal(csvField(input), out));
  });

  it('writes one row per item that round-trips through an RFC 4180 reader', () => {
    const tricky: ReportItem = {
      id: 't',
      category: 'modified',
      objectType: 'user',
      action: 'update',
      dn: 'CN=Müller\\, Hans,OU=Sales,DC=corp,DC=com',
      userName: 'hans@example.com',
      displayName: 'Hans "Hansi" Müller',
      changes: [
        { attribute: 'title', scimPath: 'title', old: 'A, B', new: 'C' },
        { attribute: 'active', scimPath: 'active', old: true, new: false },
      ],
      members: { added: ['CN=a', 'CN=b'], removed: [] },
      configRef: { file: '/c/corp.dirsync', line: 3, column: 7, path: 'attributes.title' },
    };
    const csv = itemsToCsv([tricky]);
    assert.ok(csv.endsWith('\r\n'));
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    assert.equal(row.displayName, 'Hans "Hansi" Müller');
    assert.equal(row.dn, tricky.dn);
    assert.equal(row.changes, 'title: "A, B" → "C"\nactive: true → false');
    assert.equal(row.membersAdded, 'CN=a\nCN=b');
    assert.equal(row.configRef, '/c/corp.dirsync:3:7');
    assert.equal(rows.length, 2);
  });

  it('the JSON export is a report of the same format with the summary recounted and the view recorded', () => {
    const report = makeReport({ total: 300 });
    const kept = report.items.filter((i) => i.category === 'deleted');
    const doc = JSON.parse(viewToJson(report, kept, { category: 'deleted', filter: { query: '', hideUnchanged: true }, totalItems: 300 }));
    assert.equal(doc.format, report.format);
    assert.equal(doc.version, report.version);
    assert.equal(doc.sessionId, report.sessionId);
    assert.equal(doc.items.length, kept.length);
    assert.equal(doc.summary.deleted, kept.length);
    assert.equal(doc.summary.matched, 0);
    assert.equal(doc.work.users.delete + doc.work.rooms.delete, kept.filter((i) => i.action === 'delete').length, 'work recounted too');
    assert.equal(doc.work.users.unchanged, 0);
    assert.deepEqual(doc.threshold, report.threshold);
    assert.deepEqual(doc.view, { category: 'deleted', filter: { query: '', hideUnchanged: true }, totalItems: 300 });
  });
});
