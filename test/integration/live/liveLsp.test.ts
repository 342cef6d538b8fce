/**
 * The live previews over real LSP JSON-RPC: the built server (`dist/server.js --stdio`) bound to
 * the Samba AD fixture, the password answered by the test client (sealed, as the extension does).
 * Counts are compared with an independent `ldapsearch`, values with the seed's own records.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, CompletionList, Diagnostic, Hover, InlayHint } from 'vscode-languageserver-protocol';
import { AD_ATTRIBUTES } from '../../../server/src/domain/adSchema';
import { DEFAULT_FILTERS } from '../../../server/src/language/config/defaults';
import {
  BindDirectoryRequest,
  SelectionSampleRequest,
  SetPreviewEntryRequest,
  UnbindDirectoryRequest,
  type LiveStatus,
  type SelectionSample,
  type SetPreviewEntryResult,
} from '../../../common/requests';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, baseline, first, kindOf, ldapsearch, testDc } from '../../support/directory';
import { configText, SECRET_KEY } from '../../support/liveConfig';
import { LspClient, positionOf } from '../../support/lspClient';

/** Number of DNs `ldapsearch` finds for a filter under a base, independent of dirsync's code. */
async function ldapCount(f: SambaFixture, base: string, filter: string): Promise<number> {
  const out = await ldapsearch(f, ['-b', base, filter, '1.1']);
  return out.split('\n').filter((l) => l.startsWith('dn:')).length;
}

/** First values of attributes of one entry, as `ldapsearch` returns them (base64 values decoded). */
async function ldapValues(f: SambaFixture, dn: string, attrs: string[]): Promise<Record<string, string>> {
  const out = await ldapsearch(f, ['-b', dn, '-s', 'base', '(objectClass=*)', ...attrs]);
  const values: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z0-9-]+)(::?) ?(.*)$/.exec(line);
    if (!m || values[m[1]!] !== undefined) continue;
    values[m[1]!] = m[2] === '::' ? Buffer.from(m[3]!, 'base64').toString('utf8') : m[3]!;
  }
  return values;
}

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => String(d.code)).sort();

describe('live previews over LSP, bound to the Samba fixture', () => {
  let f: SambaFixture;
  let c: LspClient;
  let dir: string;
  let uri: string;
  let text: string;
  let version = 1;

  /** CodeLenses, asked again after each refresh the server requests, until `done` holds. */
  async function lensesUntil(done: (ls: CodeLens[]) => boolean): Promise<CodeLens[]> {
    for (;;) {
      const refreshed = c.lensRefreshes.next();
      const ls = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      if (done(ls)) return ls;
      await refreshed;
    }
  }

  async function hintsUntil(done: (hs: InlayHint[]) => boolean): Promise<InlayHint[]> {
    for (;;) {
      const refreshed = c.hintRefreshes.next();
      const hs = await c.request<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } },
      });
      if (done(hs)) return hs;
      await refreshed;
    }
  }

  /** Publishes diagnostics for `version` until `done` holds for one of them. */
  async function diagnosticsUntil(v: number, done: (ds: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const p = await c.diagnostics.next((p) => p.uri === uri && p.version === v && done(p.diagnostics));
    return p.diagnostics;
  }

  async function edit(next: string): Promise<number> {
    text = next;
    version++;
    await c.change(uri, text, version);
    return version;
  }

  before(async function () {
    this.timeout(180_000);
    f = await testDc();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-live-'));
    uri = pathToFileURL(join(dir, 'corp.dirsync')).href;
    c = await LspClient.start({ secret: (p) => (p.ref.kind === 'secret' && p.ref.key === SECRET_KEY ? f.password : undefined) });
  });

  after(async () => {
    await c?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('unbound: static diagnostics only, and the status says why live parts are off', async () => {
    text = configText(f, f.ldapUrl);
    const status = c.statuses.next((s) => s.uri === uri);
    await c.open(uri, text, version);
    const diags = await diagnosticsUntil(version, () => true);
    assert.deepEqual(codes(diags), ['DS528'], 'plain ldap:// without StartTLS is the only static finding');
    const s = await status;
    assert.equal(s.state, 'unbound');
    assert.match(s.reason!, /Bind Directory/);
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses, []);
  });

  it('binds with the password from the client, sealed: it never crosses the wire in clear text', async () => {
    const s = await c.request<LiveStatus>(BindDirectoryRequest.method, { uri });
    assert.equal(s.state, 'bound', s.reason);
    assert.equal(s.url, f.ldapUrl);
    assert.equal(s.bindDn, f.adminDn);
    const asked = c.secretRequests.find((r) => r.ref.kind === 'secret' && r.ref.key === SECRET_KEY);
    assert.ok(asked, 'the server asked the client for ${secret:corp-bind}');
    assert.equal(asked.purpose, 'directory.password');
    assert.ok(!c.wire.includes(f.password), 'the password appears on the JSON-RPC wire');
    assert.ok(!c.logs.join('\n').includes(f.password));
  });

  it('CodeLens counts equal an independent ldapsearch count; a click lists a sample', async () => {
    const users = await ldapCount(f, OU.people, DEFAULT_FILTERS.users);
    const groups = await ldapCount(f, OU.groups, DEFAULT_FILTERS.groups);
    assert.ok(users > 1000 && groups > 5, `${users} users, ${groups} groups`);
    const lenses = await lensesUntil((ls) => ls.length >= 2 && ls.every((l) => /\d/.test(l.command!.title)));
    const titles = lenses.map((l) => l.command!.title);
    assert.deepEqual(titles, [`${users.toLocaleString('en-US')} users match`, `${groups.toLocaleString('en-US')} groups match`]);
    const usersLens = lenses[0]!;
    assert.equal(usersLens.range.start.line, positionOf(text, '"users"').line);
    assert.equal(usersLens.command!.command, 'dirsync.showSelectionSample');
    assert.deepEqual(usersLens.command!.arguments, [uri, 'users']);
    const sample = await c.request<SelectionSample>(SelectionSampleRequest.method, { uri, kind: 'users', limit: 5 });
    assert.equal(sample.count, users);
    assert.equal(sample.entries.length, 5);
    for (const e of sample.entries) {
      assert.match(e.dn, /OU=People,OU=Corp,DC=corp,DC=example,DC=com$/);
      assert.ok(
        e.values.some((v) => v.cloud === 'uid'),
        JSON.stringify(e),
      );
    }
    const status = await c.statuses.next((s) => s.uri === uri && s.entries !== undefined);
    assert.equal(status.entries, users + groups);
  });

  it('inlay hints and hover evaluate the mappings on a picked seeded user', async () => {
    const person = baseline().find(
      (r) =>
        kindOf(r) === 'user' && first(r, 'title') && first(r, 'mail') && /,/.test(String(first(r, 'cn'))) && r.dn.includes('OU=Americas'),
    )!;
    assert.ok(person, 'a seeded user named "Last, First"');
    // What AD holds for that user right now, read by ldapsearch.
    const ad = await ldapValues(f, person.dn, ['mail', 'displayName', 'title', 'userAccountControl']);
    assert.equal(ad['mail'], first(person, 'mail'));
    const set = await c.request<SetPreviewEntryResult>(SetPreviewEntryRequest.method, { uri, dn: person.dn });
    assert.equal(set.error, undefined);
    assert.equal(set.status.previewEntry?.toLowerCase(), person.dn.toLowerCase());
    const label = (cloud: string) => {
      const line = positionOf(text, `"${cloud}":`).line;
      return (hs: InlayHint[]) => hs.find((h) => h.position.line === line)?.label;
    };
    const hints = await hintsUntil((hs) => label('uid')(hs) === `→ ${JSON.stringify(ad['mail'])}`);
    assert.equal(label('displayName')(hints), `→ ${JSON.stringify(ad['displayName'])}`);
    assert.equal(label('title')(hints), `→ ${JSON.stringify(ad['title'])}`);
    const uac = Number(ad['userAccountControl']);
    assert.equal(label('ds-pwp-account-disabled')(hints), `→ "${uac}" (${uac & 2 ? 'inactive' : 'active'})`);
    // The hint sits right after the value's closing quote.
    const uidLine = text.split('\n')[positionOf(text, '"uid":').line]!;
    assert.equal(hints.find((h) => h.label === label('uid')(hints))!.position.character, uidLine.indexOf('"mail"') + 6);

    const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'displayName | given', 2) });
    const md = (h.contents as { value: string }).value;
    assert.ok(md.includes(person.dn) || md.includes(person.dn.replace(/\\/g, '')), md);
    assert.match(md, /displayName = /);
    assert.ok(md.includes(JSON.stringify(ad['displayName'])), md);
    assert.match(md, /live from ldap:\/\/127\.0\.0\.1:389/);
  });

  it('completion lists a seeded OU from the live tree, a schema-only attribute and a group DN in memberOf', async () => {
    // A schema attribute dirsync's built-in list does not know, read independently from the subschema.
    const schema = await ldapsearch(f, [
      '-b',
      'CN=Aggregate,CN=Schema,CN=Configuration,' + f.baseDn,
      '-s',
      'base',
      '(objectClass=*)',
      'attributeTypes',
    ]);
    const builtIn = new Set(AD_ATTRIBUTES.map((a) => a.name.toLowerCase()));
    const schemaOnly = [...schema.matchAll(/NAME '([^']+)'/g)]
      .map((m) => m[1]!)
      .find((n) => /^msDS-/.test(n) && !builtIn.has(n.toLowerCase()))!;
    assert.ok(schemaOnly, 'the schema has msDS-* attributes the built-in list lacks');

    const withContacts = text
      .replace(`"baseDns": ["${OU.contacts}"]`, `"baseDns": ["OU=Corp,${f.baseDn}"]`)
      .replace('"title": "title"', '"title": "title + msDS"');
    const v = await edit(withContacts);
    await diagnosticsUntil(v, () => true);
    const dnList = (
      await c.request<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: positionOf(text, `"OU=Corp,${f.baseDn}"`, 1 + `OU=Corp,${f.baseDn}`.length),
      })
    ).items;
    const dns = dnList.map((i) => i.label);
    assert.ok(dns.includes(OU.people), dns.join('\n'));
    assert.ok(dns.includes(OU.contacts), dns.join('\n'));
    assert.ok(dns.includes(f.baseDn), 'naming context listed');
    const expr = await c.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, 'title + msDS', 'title + msDS'.length),
    });
    const attr = expr.items.find((i) => i.label === schemaOnly);
    assert.ok(attr, `${schemaOnly} missing from ${expr.items.length} items`);
    assert.equal(attr.detail, 'from the directory schema');
    assert.ok(
      expr.items.some((i) => i.label === 'mail'),
      'built-in names stay',
    );

    const withFilter = text.replace('"users": { "enabled": true,', '"users": { "enabled": true, "filter": "(memberOf=CN=Webex)",');
    const v2 = await edit(withFilter);
    await diagnosticsUntil(v2, () => true);
    const groupList = await c.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, '(memberOf=CN=Webex', '(memberOf=CN=Webex'.length),
    });
    const webex = baseline().find((r) => kindOf(r) === 'group' && first(r, 'cn') === 'Webex Licensed')!;
    const item = groupList.items.find((i) => i.label.toLowerCase() === webex.dn.toLowerCase());
    assert.ok(item, groupList.items.map((i) => i.label).join('\n'));
    assert.equal(groupList.isIncomplete, true);
  });

  it('DS6xx: a base DN that does not exist, an attribute not in the schema, a filter that matches nothing', async () => {
    const broken = text
      .replace(`"baseDns": ["OU=Corp,${f.baseDn}"]`, `"baseDns": ["OU=Nowhere,${f.baseDn}"]`)
      .replace('"contacts": { "enabled": false', '"contacts": { "enabled": true')
      .replace('"title": "title + msDS"', '"title": "titel"')
      .replace('"filter": "(memberOf=CN=Webex)"', '"filter": "(&(objectClass=user)(sn=NoSuchSurname-4711))"');
    const v = await edit(broken);
    const first6 = await c.diagnostics.next((p) => p.uri === uri && p.version === v);
    assert.ok(
      first6.diagnostics.some((d) => d.code === 'DS519'),
      'static DS519 arrives first',
    );
    const ds = await diagnosticsUntil(v, (d) => ['DS602', 'DS603', 'DS604'].every((code) => d.some((x) => x.code === code)));
    const at = (code: string) => ds.find((d) => d.code === code)!;
    assert.deepEqual(at('DS603').range.start, positionOf(text, `"OU=Nowhere,${f.baseDn}"`));
    assert.equal(at('DS603').severity, 1);
    assert.deepEqual(at('DS602').range, { start: positionOf(text, 'titel'), end: positionOf(text, 'titel', 5) });
    assert.equal(at('DS602').severity, 2);
    assert.deepEqual(at('DS604').range.start, positionOf(text, '"(&(objectClass=user)(sn=NoSuch'));
    assert.equal(at('DS604').severity, 2);
    // The lens says the same.
    const lenses = await lensesUntil((ls) => ls.some((l) => l.command!.title === '0 users match'));
    assert.ok(
      lenses.some((l) => /contacts: .*does not exist|no such/i.test(l.command!.title) || /error/.test(l.command!.title)),
      lenses.map((l) => l.command!.title).join(' | '),
    );
    assert.ok(!lenses.some((l) => /\.c:\d+|Code: 0x/.test(l.command!.title)), 'no server internals in the lens');
    // The status bar does not stay on "counting…": the failed search is an answer.
    const status = await c.statuses.next(
      (s) => s.uri === uri && s.state === 'bound' && s.entries !== undefined && s.failed?.contacts !== undefined,
    );
    assert.match(status.failed!.contacts!, /OU=Nowhere.*does not exist/);
  });

  it('flags a count far from the last dry run (report in the state folder)', async () => {
    const users = await ldapCount(f, OU.people, DEFAULT_FILTERS.users);
    const reports = join(dir, '.dirsync', 'reports');
    mkdirSync(reports, { recursive: true });
    const items = Array.from({ length: users * 2 }, (_, i) => ({
      id: String(i),
      category: 'matched',
      objectType: 'user',
      action: 'none',
      dn: `CN=u${i},${OU.people}`,
    }));
    writeFileSync(
      join(reports, 'dry-run.json'),
      JSON.stringify({
        format: 'dirsync-report',
        version: 1,
        sessionId: 's',
        generatedAt: '2026-11-01T00:00:00Z',
        mode: 'dryRun',
        config: { file: 'corp.dirsync', sha256: '' },
        items,
        summary: {},
        messages: [],
      }),
    );
    await c.close(uri);
    version = 1;
    text = configText(f, f.ldapUrl);
    await c.open(uri, text, version);
    await c.request<LiveStatus>(BindDirectoryRequest.method, { uri });
    const lenses = await lensesUntil((ls) => ls.some((l) => l.command!.title.startsWith('⚠')));
    assert.equal(
      lenses[0]!.command!.title,
      `⚠ ${users.toLocaleString('en-US')} users match — last dry run had ${(users * 2).toLocaleString('en-US')}`,
    );
  });

  it('unbind: live diagnostics, lenses and hints go; static ones stay', async () => {
    const s = await c.request<LiveStatus>(UnbindDirectoryRequest.method, { uri });
    assert.equal(s.state, 'unbound');
    const d = await c.diagnostics.next(
      (p) => p.uri === uri && p.version === version && p.diagnostics.every((x) => !String(x.code).startsWith('DS6')),
    );
    assert.deepEqual(codes(d.diagnostics), ['DS528']);
    assert.deepEqual(await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
  });
});
