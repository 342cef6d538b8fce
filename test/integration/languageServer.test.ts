/**
 * The BUILT language server (`node dist/server.js --stdio`) over real LSP JSON-RPC: initialize,
 * didOpen → publishDiagnostics, didChange → new diagnostics, completion, hover, documentSymbol,
 * codeAction, the custom dirsync/configModel request, and survival of a broken document.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigModelRequest, type ConfigModelResult } from '../../common/requests';
import { bigConfig } from '../bench/support/bigConfig';
import { mulberry32 as prng } from '../support/random';

const ROOT = join(__dirname, '../..');
const SERVER = join(ROOT, 'dist/server.js');
const URI = 'file:///tmp/dirsync-lsp-test/corp.dirsync';

const VALID = `{
  "directory": { "url": "ldaps://dc1.example.com", "bindDn": "CN=svc,DC=example,DC=com", "password": "\${env:P}", "baseDns": ["DC=example,DC=com"] },
  "cloud": { "type": "webex", "orgId": "org1", "token": "\${env:T}" },
  "attributes": { "uid": "mail", "displayName": "displayName", "ds-pwp-account-disabled": "userAccountControl" },
  "policy": { "deleteThreshold": { "count": 10 } }
}`;

/** Version 4 of the document: an extra space to complete in. */
const V4 = VALID.replace('"attributes": { "uid"', '"attributes": {  "uid"');

describe('language server over LSP JSON-RPC (dist/server.js --stdio)', () => {
  let child: ChildProcess;
  let conn: ProtocolConnection;
  let stderr = '';
  const logs: string[] = [];
  /** Diagnostics notifications in arrival order, and waiters for the next ones. */
  const published: PublishDiagnosticsParams[] = [];
  let waiters: Array<{ pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];

  function nextDiagnostics(pred: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const seen = published.find(pred);
    if (seen) {
      published.splice(published.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => waiters.push({ pred, resolve }));
  }

  before(async () => {
    if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build`');
    child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d) => (stderr += String(d)));
    conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const w = waiters.find((x) => x.pred(p));
      if (w) {
        waiters = waiters.filter((x) => x !== w);
        w.resolve(p);
      } else published.push(p);
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
    conn.onNotification('dirsync/serverProblem', (p: { message: string }) => void logs.push(`problem: ${p.message}`));
    conn.listen();
    const init = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } } },
      initializationOptions: { validationDelayMs: 20 },
    });
    assert.ok((init as { capabilities: { hoverProvider: boolean } }).capabilities.hoverProvider);
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    conn?.dispose();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    }
  });

  it('publishes diagnostics on open: a clean document has none', async () => {
    const diags = nextDiagnostics((p) => p.uri === URI);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'dirsync', version: 1, text: VALID } });
    assert.deepEqual((await diags).diagnostics, []);
  });

  it('re-validates on change and reports codes at exact ranges', async () => {
    const broken = VALID.replace('"${env:P}"', '"hunter2"').replace('"uid": "mail"', '"uid": "sAMAccountName"');
    const diags = nextDiagnostics((p) => p.uri === URI && p.version === 2);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: broken }] });
    const got = (await diags).diagnostics;
    const byCode = Object.fromEntries(got.map((d) => [d.code, d]));
    assert.deepEqual(Object.keys(byCode).sort(), ['DS502', 'DS507']);
    const line1 = broken.split('\n')[1]!;
    assert.deepEqual(byCode['DS507']!.range, {
      start: { line: 1, character: line1.indexOf('"hunter2"') },
      end: { line: 1, character: line1.indexOf('"hunter2"') + 9 },
    });
    assert.equal(byCode['DS507']!.severity, 1);
    assert.equal(byCode['DS502']!.severity, 2);
    assert.equal(byCode['DS507']!.source, 'dirsync');
  });

  it('applies incremental changes', async () => {
    const diags = nextDiagnostics((p) => p.uri === URI && p.version === 3);
    // Replace "hunter2" (line 1) with a reference again, by range.
    const line1 = VALID.replace('"uid": "mail"', '"uid": "sAMAccountName"').split('\n')[1]!.replace('"${env:P}"', '"hunter2"');
    const at = line1.indexOf('"hunter2"');
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: { line: 1, character: at }, end: { line: 1, character: at + 9 } }, text: '"${env:P}"' }],
    });
    assert.deepEqual(
      (await diags).diagnostics.map((d) => d.code),
      ['DS502'],
    );
  });

  it('completes keys and cloud attribute names', async () => {
    const text = V4;
    const diags = nextDiagnostics((p) => p.uri === URI && p.version === 4);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 4 }, contentChanges: [{ text }] });
    await diags;
    const line = text.split('\n')[3]!;
    const result = (await conn.sendRequest('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 3, character: line.indexOf('{  "uid"') + 2 },
    })) as { items: Array<{ label: string; insertTextFormat: number; textEdit: { newText: string } }> };
    const labels = result.items.map((i) => i.label);
    assert.ok(labels.includes('sipAddresses;type=enterprise'), labels.join(','));
    assert.ok(!labels.includes('uid'));
    const title = result.items.find((i) => i.label === 'title')!;
    assert.equal(title.insertTextFormat, 2);
    assert.match(title.textEdit.newText, /^"title": "/);
    const top = (await conn.sendRequest('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 0, character: 1 },
    })) as { items: Array<{ label: string }> };
    assert.ok(top.items.some((i) => i.label === 'schedule'));
  });

  it('hovers keys and cloud attributes with markdown docs', async () => {
    const lines = V4.split('\n');
    const h = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 3, character: lines[3]!.indexOf('ds-pwp') + 3 },
    })) as {
      contents: { kind: string; value: string };
      range: { start: { line: number; character: number } };
    };
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /userAccountControl/);
    assert.match(h.contents.value, /active/);
    assert.equal(h.range.start.character, lines[3]!.indexOf('"ds-pwp'));
    const k = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 4, character: lines[4]!.indexOf('deleteThreshold') },
    })) as { contents: { value: string } };
    assert.match(k.contents.value, /Required/);
  });

  it('lists document symbols', async () => {
    const symbols = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } })) as Array<{
      name: string;
      kind: number;
      children: Array<{ name: string }>;
    }>;
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['directory', 'cloud', 'attributes', 'policy'],
    );
    assert.equal(symbols[0]!.kind, 2);
    assert.deepEqual(
      symbols[2]!.children.map((c) => c.name),
      ['uid', 'displayName', 'ds-pwp-account-disabled'],
    );
  });

  it('offers quick fixes as code actions with workspace edits', async () => {
    const text = VALID.replace('"directory"', '"directroy"');
    const diags = nextDiagnostics((p) => p.uri === URI && p.version === 5);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 5 }, contentChanges: [{ text }] });
    const d = (await diags).diagnostics.find((x) => x.code === 'DS101')!;
    assert.ok(d);
    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: d.range,
      context: { diagnostics: [d] },
    })) as Array<{
      title: string;
      isPreferred: boolean;
      edit: { changes: Record<string, Array<{ newText: string }>> };
    }>;
    assert.equal(actions[0]!.title, 'Change to `directory`');
    assert.equal(actions[0]!.edit.changes[URI]![0]!.newText, '"directory"');
  });

  it('answers dirsync/configModel with the typed model', async () => {
    const r = (await conn.sendRequest(ConfigModelRequest.method, { uri: URI })) as ConfigModelResult;
    assert.equal(r.version, 5);
    assert.equal(r.config.cloud.url.value, 'https://webexapis.com/identity/scim/org1/v2');
    assert.ok(r.errors >= 1);
  });

  it('survives garbage and keeps serving', async () => {
    const garbage =
      '{"directory": {"url": "\\u12", "baseDns": [[[[ , "objects": {"groups": {"filter": "(&(|(!' + '\u0000'.repeat(3) + '"}}';
    const diags = nextDiagnostics((p) => p.uri === URI && p.version === 6);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 6 }, contentChanges: [{ text: garbage }] });
    assert.ok((await diags).diagnostics.some((d) => d.code === 'DS100'));
    for (let ch = 0; ch < garbage.length; ch += 7) {
      await conn.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 0, character: ch } });
      await conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: ch } });
    }
    const sample = readFileSync(join(ROOT, 'sample-configs/rooms.dirsync'), 'utf8');
    const again = nextDiagnostics((p) => p.uri === URI && p.version === 7);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 7 }, contentChanges: [{ text: sample }] });
    assert.deepEqual(
      (await again).diagnostics.filter((d) => d.severity! <= 2),
      [],
    );
    assert.equal(child.exitCode, null, `server exited; stderr: ${stderr}`);
  });

  it('shows deep nesting as a diagnostic where it goes too deep, not nothing', async () => {
    const uri = 'file:///tmp/dirsync-lsp-test/deep.dirsync';
    const deep = VALID.replace(
      '"policy"',
      `"objects": { "users": { "enabled": true, "filter": "${'(&'.repeat(3380)}(cn=a)${')'.repeat(3380)}" } },\n  "x": ${'['.repeat(5142)}${']'.repeat(5142)},\n  "policy"`,
    );
    const diags = nextDiagnostics((p) => p.uri === uri);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dirsync', version: 1, text: deep } });
    const got = (await diags).diagnostics;
    assert.deepEqual(
      got.map((d) => [d.code, d.severity, d.range.start.line]),
      [['DS110', 1, 5]],
    );
    assert.equal(got[0]!.range.start.character, '  "x": '.length + 63);
    // The JSON fixed, the filter's nesting is reported in its own string.
    const filterOnly = deep.replace(/"x": \[+\]+,/, '"x": [],');
    const again = nextDiagnostics((p) => p.uri === uri && p.version === 2);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: filterOnly }] });
    const codes = (await again).diagnostics.map((d) => d.code);
    assert.ok(codes.includes('DS218'), codes.join(' '));
    assert.equal(child.exitCode, null, `server exited; stderr: ${stderr}`);
  });

  it('typing in a long list publishes what a fresh open of the same text does', async () => {
    const uri = 'file:///tmp/dirsync-lsp-test/typing.dirsync';
    const dns = Array.from({ length: 40 }, (_, i) => `        "CN=User ${i},OU=Staff,DC=example,DC=com"`);
    let text = VALID.replace(
      '"policy": { "deleteThreshold": { "count": 10 } }',
      `"policy": {\n    "deleteThreshold": { "count": 10 },\n    "protected": {\n      "dns": [\n${dns.join(',\n')}\n      ]\n    }\n  }`,
    );
    const lines = () => text.split('\n');
    const offsetAt = (p: { line: number; character: number }) =>
      lines()
        .slice(0, p.line)
        .reduce((n, l) => n + l.length + 1, 0) + p.character;
    let version = 1;
    const opened = nextDiagnostics((p) => p.uri === uri && p.version === 1);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dirsync', version, text } });
    await opened;
    // The list's lines: no step adds or removes one.
    const first = lines().findIndex((l) => l.includes('"CN=User 0,'));
    const line = (i: number) => first + i;
    type Change = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };
    const at = (i: number, what: string, length: number, insert: string): Change => {
      const l = line(i);
      const c = lines()[l]!.indexOf(what);
      return { range: { start: { line: l, character: c }, end: { line: l, character: c + length } }, text: insert };
    };
    // Each step: the changes of one didChange, made against the text as it is then.
    const steps: Array<() => Change[]> = [
      () => [at(5, 'User 5,', 0, 'q'), at(6, 'User 6,', 0, 'z')], // a letter typed into two DNs, in one didChange
      () => [at(5, 'qUser 5,', 1, ''), at(6, 'zUser 6,', 1, '')], // and deleted
      () => [at(7, 'User 7,', 7, 'User 8,')], // item 7 becomes a duplicate of item 8
      () => [at(9, 'OU=Staff', 2, 'OU')], // nothing changes
      () => [at(9, 'OU=Staff', 3, 'OU ')], // an invalid DN
      () => [at(9, 'OU Staff', 3, 'OU=')], // fixed again
      () => [at(12, '"CN=User 12,', 0, '  ')], // blanks between tokens
      () => [at(13, 'User 13,', 0, '"')], // a quote: a syntax error
      () => [at(13, '"User 13,', 1, '')], // removed
      () => [at(7, 'User 8,', 7, 'User 7,')], // the duplicate goes
    ];
    for (const [k, step] of steps.entries()) {
      const changes: Change[] = [];
      for (const c of step()) {
        changes.push(c);
        text = text.slice(0, offsetAt(c.range.start)) + c.text + text.slice(offsetAt(c.range.end));
      }
      version++;
      const published = nextDiagnostics((p) => p.uri === uri && p.version === version);
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
      const incremental = (await published).diagnostics;
      const freshUri = `file:///tmp/dirsync-lsp-test/fresh-${k}.dirsync`;
      const fresh = nextDiagnostics((p) => p.uri === freshUri && p.version === 1);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: freshUri, languageId: 'dirsync', version: 1, text } });
      assert.deepEqual(incremental, (await fresh).diagnostics, `after step ${k + 1}`);
      const closed = nextDiagnostics((p) => p.uri === freshUri && p.version === undefined);
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri: freshUri } });
      await closed;
      if (k === 2)
        assert.ok(
          incremental.some((d) => d.code === 'DS527'),
          'the duplicate is reported',
        );
      if (k === 4)
        assert.ok(
          incremental.some((d) => d.code === 'DS522'),
          'the invalid DN is reported',
        );
      if (k === 7)
        assert.ok(
          incremental.some((d) => d.code === 'DS100'),
          'the syntax error is reported',
        );
    }
    const cleared = nextDiagnostics((p) => p.uri === uri && p.version === undefined);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual((await cleared).diagnostics, []);
  });

  /** Replaces the whole document (and its mirror) by the clean long config, as version `version`. */
  async function restoreClean(mirror: TextDocument, version: number): Promise<void> {
    const whole = { range: { start: { line: 0, character: 0 }, end: mirror.positionAt(mirror.getText().length) } };
    const restored = bigConfig(700);
    TextDocument.update(mirror, [{ ...whole, text: restored }], version);
    const back = nextDiagnostics((p) => p.uri === mirror.uri && p.version === version);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: mirror.uri, version },
      contentChanges: [{ ...whole, text: restored }],
    });
    await back;
  }

  it('random edits of a long config answer what a fresh open of the same text does', async () => {
    // Several pieces of the server's text store (8 KB each), edits inside and across them.
    const uri = 'file:///tmp/dirsync-lsp-test/random.dirsync';
    const rnd = prng(4242);
    const pick = prng(99);
    const mirror = TextDocument.create(uri, 'dirsync', 1, bigConfig(700));
    const opened = nextDiagnostics((p) => p.uri === uri && p.version === 1);
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dirsync', version: 1, text: mirror.getText() },
    });
    await opened;
    const INSERTS = ['q', '7', ' ', '\n', '\r\n', ',', '"', '\\', '{', ']', '//', 'é', ''];
    type Change = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };
    /** A change of the mirror's current text: mostly typing inside a string, else anything anywhere. */
    const randomChange = (): Change => {
      const text = mirror.getText();
      const at = Math.floor(rnd() * (text.length + 1));
      const q = text.indexOf('"', at);
      let start: number;
      let end: number;
      let insert: string;
      if (rnd() < 0.75 && q >= 0) {
        start = q + 1 + Math.floor(rnd() * 3);
        end = rnd() < 0.4 ? start + 1 : start;
        insert = end > start ? '' : 'q';
      } else {
        const r = rnd();
        start = at;
        end = Math.min(text.length, at + (r < 0.5 ? 0 : r < 0.8 ? 1 : Math.floor(rnd() * 12_000)));
        insert = INSERTS[Math.floor(rnd() * INSERTS.length)]!;
      }
      return { range: { start: mirror.positionAt(start), end: mirror.positionAt(end) }, text: insert };
    };
    const ask = async (u: string, positions: Array<{ line: number; character: number }>) => ({
      completion: await Promise.all(
        positions.map((position) => conn.sendRequest('textDocument/completion', { textDocument: { uri: u }, position })),
      ),
      folding: await conn.sendRequest('textDocument/foldingRange', { textDocument: { uri: u } }),
      symbols: await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u } }),
    });
    let clean = 0;
    let version = 1;
    for (let step = 0; step < 60; step++) {
      const changes: Change[] = [];
      version++;
      for (let i = 0, n = rnd() < 0.8 ? 1 : 3; i < n; i++) {
        const c = randomChange();
        changes.push(c);
        TextDocument.update(mirror, [c], version);
      }
      const published = nextDiagnostics((p) => p.uri === uri && p.version === version);
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
      const incremental = (await published).diagnostics;
      // Completion where the edit ends and at two other places.
      const positions = [
        mirror.positionAt(mirror.offsetAt(changes[0]!.range.start) + changes[0]!.text.length),
        mirror.positionAt(Math.floor(pick() * mirror.getText().length)),
        mirror.positionAt(Math.floor(pick() * mirror.getText().length)),
      ];
      const answers = await ask(uri, positions);
      const freshUri = `file:///tmp/dirsync-lsp-test/random-fresh-${step}.dirsync`;
      const fresh = nextDiagnostics((p) => p.uri === freshUri && p.version === 1);
      await conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri: freshUri, languageId: 'dirsync', version: 1, text: mirror.getText() },
      });
      const what = `after step ${step} (changes ${JSON.stringify(changes)})`;
      assert.deepEqual(incremental, (await fresh).diagnostics, `diagnostics ${what}`);
      assert.deepEqual(answers, await ask(freshUri, positions), `completion, folding, symbols ${what}`);
      const closed = nextDiagnostics((p) => p.uri === freshUri && p.version === undefined);
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri: freshUri } });
      await closed;
      if (!incremental.some((d) => String(d.code).startsWith('DS10'))) clean++;
      // Back to the clean text now and then, so typing keeps reaching the edited-tree path.
      if (rnd() < 0.15 || incremental.some((d) => String(d.code).startsWith('DS10'))) await restoreClean(mirror, ++version);
    }
    // A quarter of the steps at least: enough to reach the edited-tree path often (seeds give 12–30 on this config).
    assert.ok(clean >= 15, `only ${clean} of 60 steps left the document without syntax errors`);
    const cleared = nextDiagnostics((p) => p.uri === uri && p.version === undefined);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
  });

  it('completion between keystrokes, before their validation, answers what a fresh open does; so do the diagnostics after', async () => {
    // Each keystroke its own didChange with a completion right after it (as typing sends them):
    // the completion reads the tree edited by the keystrokes so far, whose checks run later, for
    // the diagnostics of the last one.
    const uri = 'file:///tmp/dirsync-lsp-test/between.dirsync';
    const rnd = prng(777);
    const mirror = TextDocument.create(uri, 'dirsync', 1, bigConfig(700));
    const opened = nextDiagnostics((p) => p.uri === uri && p.version === 1);
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dirsync', version: 1, text: mirror.getText() },
    });
    await opened;
    type Position = { line: number; character: number };
    /**
     * A keystroke: mostly a letter typed or deleted inside a list value or a blank typed before
     * one (the text stays clean), else a quote, a comma or a line break anywhere.
     */
    const keystroke = () => {
      const text = mirror.getText();
      const at = Math.floor(rnd() * (text.length + 1));
      const value = text.indexOf('"CN=User ', at);
      let start = at;
      let end = at;
      let insert = ['"', ',', '\n'][Math.floor(rnd() * 3)]!;
      const r = rnd();
      if (r < 0.9 && value >= 0) {
        start = r < 0.2 ? value : value + 1 + Math.floor(rnd() * 9);
        end = r >= 0.2 && rnd() < 0.4 ? start + 1 : start;
        insert = r < 0.2 ? ' ' : end > start ? '' : 'q';
      }
      return { range: { start: mirror.positionAt(start), end: mirror.positionAt(end) }, text: insert };
    };
    const fresh = async (text: string, positions: Position[], step: number) => {
      const freshUri = `file:///tmp/dirsync-lsp-test/between-fresh-${step}.dirsync`;
      const published = nextDiagnostics((p) => p.uri === freshUri && p.version === 1);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: freshUri, languageId: 'dirsync', version: 1, text } });
      const diagnostics = (await published).diagnostics;
      const completion = await Promise.all(
        positions.map((position) => conn.sendRequest('textDocument/completion', { textDocument: { uri: freshUri }, position })),
      );
      const closed = nextDiagnostics((p) => p.uri === freshUri && p.version === undefined);
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri: freshUri } });
      await closed;
      return { diagnostics, completion };
    };
    let version = 1;
    let clean = 0;
    let withItems = 0;
    for (let step = 0; step < 30; step++) {
      const asked: Array<{ text: string; positions: Position[]; answer: Promise<unknown[]> }> = [];
      for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) {
        const c = keystroke();
        version++;
        TextDocument.update(mirror, [c], version);
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [c] });
        // Where the keystroke ends, and in values and keys that have items (after the edit's offsets moved).
        const now = mirror.getText();
        const positions = [
          mirror.offsetAt(c.range.start) + c.text.length,
          now.indexOf('"uid": "') + 8,
          now.indexOf('"attributes": {') + 15,
        ].map((o) => mirror.positionAt(o));
        asked.push({
          text: now,
          positions,
          answer: Promise.all(
            positions.map((position) => conn.sendRequest('textDocument/completion', { textDocument: { uri }, position })),
          ),
        });
      }
      const last = version;
      const diagnostics = (await nextDiagnostics((p) => p.uri === uri && p.version === last)).diagnostics;
      for (const [k, a] of asked.entries()) {
        const expected = await fresh(a.text, a.positions, step * 10 + k);
        const answers = (await a.answer) as Array<{ items: unknown[] } | null>;
        assert.deepEqual(answers, expected.completion, `completion after keystroke ${k + 1} of step ${step}`);
        withItems += answers.filter((x) => x?.items.length).length;
        if (k === asked.length - 1) assert.deepEqual(diagnostics, expected.diagnostics, `diagnostics after step ${step}`);
      }
      if (!diagnostics.some((d) => String(d.code).startsWith('DS10'))) clean++;
      // Back to the clean text now and then, so the keystrokes keep reaching the edited-tree path.
      if (rnd() < 0.1 || diagnostics.some((d) => String(d.code).startsWith('DS10'))) await restoreClean(mirror, ++version);
    }
    assert.ok(clean > 10, `only ${clean} of 30 steps left the document without syntax errors`);
    assert.ok(withItems > 30, `only ${withItems} completions had items`);
    const cleared = nextDiagnostics((p) => p.uri === uri && p.version === undefined);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
  });

  it('clears diagnostics on close', async () => {
    const diags = nextDiagnostics((p) => p.uri === URI && p.diagnostics.length === 0 && p.version === undefined);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await diags;
  });
});

describe('dirsync-language-server bin (for other editors)', () => {
  it('answers initialize over --stdio and exits cleanly on shutdown/exit', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dirsync-language-server.js'), '--stdio'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    conn.listen();
    const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
      serverInfo: { name: string };
    };
    assert.equal(init.serverInfo.name, 'dirsync-language-server');
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
    conn.dispose();
  });

  it('refuses to start without a transport, with a usage hint', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dirsync-language-server.js')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 1);
    assert.match(err, /--stdio/);
  });
});
