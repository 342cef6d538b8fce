import assert from 'node:assert/strict';
import { isHostToReportMessage, isReportToHostMessage } from '../../../common/webviewMessages';
import { buildWebviewHtml, webviewCsp } from '../../../client/src/webviews/webviewHtml';

describe('webview protocol guards', () => {
  const filter = { query: 'x', hideUnchanged: false };
  const valid: unknown[] = [
    { type: 'ready', protocol: 1 },
    { type: 'openConfig', file: '/a.dirsync', line: 3, column: 1 },
    { type: 'export', format: 'csv' },
    { type: 'export', format: 'json', category: 'modified', filter },
    { type: 'explain', id: 'x' },
    { type: 'stateChanged', state: { tab: 'all', filter, detailOpen: false, scrollTop: {} } },
    { type: 'thumbnails', sha256: ['a'.repeat(64), '0123456789abcdef'.repeat(4)] },
  ];
  const invalid: unknown[] = [
    null,
    'ready',
    { type: 'ready' },
    { type: 'openConfig', file: '/a', line: 0, column: 1 },
    { type: 'openConfig', file: '/a', line: 1.5, column: 1 },
    { type: 'export', format: 'xlsx' },
    { type: 'export', format: 'csv', category: 'everything' },
    { type: 'export', format: 'csv', filter: { query: 1 } },
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
    { type: 'stateChanged', state: { tab: 'nope', filter } },
    // A thumbnail is asked for by its hash only: no paths, no upper case, no more than a screenful.
    { type: 'thumbnails', sha256: ['../../etc/passwd'] },
    { type: 'thumbnails', sha256: ['A'.repeat(64)] },
    { type: 'thumbnails', sha256: [`${'a'.repeat(64)}.jpg`] },
    { type: 'thumbnails', sha256: 'a'.repeat(64) },
  ];
  for (const m of valid) it(`accepts ${JSON.stringify(m)}`, () => assert.equal(isReportToHostMessage(m), true));
  for (const m of invalid) it(`rejects ${JSON.stringify(m)}`, () => assert.equal(isReportToHostMessage(m), false));

  it('takes at most 256 thumbnail hashes a request', () => {
    const hashes = (n: number) => Array.from({ length: n }, () => 'f'.repeat(64));
    assert.equal(isReportToHostMessage({ type: 'thumbnails', sha256: hashes(256) }), true);
    assert.equal(isReportToHostMessage({ type: 'thumbnails', sha256: hashes(257) }), false);
  });

  it('checks host messages by tag', () => {
    assert.equal(isHostToReportMessage({ type: 'report', report: { items: [] } }), true);
    assert.equal(isHostToReportMessage({ type: 'reportItems', offset: 0, items: [], done: true }), true);
    assert.equal(isHostToReportMessage({ type: 'theme', kind: 'dark' }), true);
    assert.equal(isHostToReportMessage({ type: 'theme', kind: 'neon' }), false);
    assert.equal(isHostToReportMessage({ type: 'report', report: {} }), false);
    assert.equal(isHostToReportMessage({ type: 'eval', code: '1' }), false);
    assert.equal(isHostToReportMessage({ type: 'focusItem', id: 'a' }), true);
    assert.equal(isHostToReportMessage({ type: 'focusItem', id: 'a', tab: 'deleted' }), true);
    assert.equal(isHostToReportMessage({ type: 'focusItem', id: 'a', tab: 'nope' }), false);
    assert.equal(
      isHostToReportMessage({ type: 'thumbnailData', thumbnails: [{ sha256: 'a'.repeat(64), dataUri: 'data:image/png;base64,AA==' }] }),
      true,
    );
    assert.equal(isHostToReportMessage({ type: 'thumbnailData', thumbnails: [{ dataUri: 'x' }] }), false);
  });
});

describe('webview HTML shell', () => {
  it('has the CSP of the house style, the nonce on script and style, and escapes URIs', () => {
    const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
    const html = buildWebviewHtml({
      cspSource: 'https://x.vscode-cdn.net',
      nonce,
      scriptUri: 'https://x/r.js?a=1&b="2"',
      styleUris: ['https://x/r.css'],
      title: '<T>',
    });
    assert.equal(
      webviewCsp('https://x.vscode-cdn.net', nonce),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://x.vscode-cdn.net 'nonce-${nonce}'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net; base-uri 'none'; form-action 'none'`,
    );
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/r.js?a=1&#38;b=&#34;2&#34;"></script>`));
    assert.ok(html.includes('<title>&#60;T&#62;</title>'));
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no inline script: data comes by postMessage');
    assert.throws(() => buildWebviewHtml({ cspSource: 'x', nonce: 'short', scriptUri: '', styleUris: [], title: '' }), /nonce/);
  });
});
