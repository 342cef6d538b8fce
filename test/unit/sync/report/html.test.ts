import assert from 'node:assert/strict';
import { escapeHtml, jsonForHtml, renderStandaloneReport, REPORT_DATA_ELEMENT_ID } from '../../../../server/src/sync/report/html';
import { inlineCssFonts } from '../../../../server/src/sync/report/htmlAssets';
import { makeReport, xssItems } from '../../../support/reports';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('htmlReport', () => {
  it('jsonForHtml escapes <, >, &, U+2028 and U+2029 and still parses to the same value', () => {
    const value = { a: '</script><script>alert(1)</script>', b: 'x\u2028y\u2029z', c: 'a & b > c' };
    const json = jsonForHtml(value);
    assert.ok(!/[<>&\u2028\u2029]/.test(json), json);
    assert.deepEqual(JSON.parse(json), value);
  });

  it('escapeHtml escapes markup and quotes', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it("renders one file: strict CSP with the nonce, nonce'd style and script, inert data", () => {
    const report = makeReport({ total: 50, extraItems: xssItems() });
    const nonce = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';
    const html = renderStandaloneReport(report, 'console.log("</script>"); /* <!-- */', 'body{color:red}/* </style> */', { nonce });
    assert.match(html, /^<!DOCTYPE html>/);
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1]!.replace(/&#39;/g, "'");
    assert.equal(
      csp,
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'`,
    );
    assert.ok(html.includes(`<style nonce="${nonce}">body{color:red}/* <\\/style> */</style>`));
    assert.ok(html.includes(`<script nonce="${nonce}">console.log("<\\/script>"); /* <\\!-- */</script>`));
    const data = html.match(new RegExp(`<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">([^<]*)</script>`))![1]!;
    assert.deepEqual(JSON.parse(data), JSON.parse(JSON.stringify(report)));
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'no payload closes a script element');
  });

  it('a fresh random nonce by default; a malformed one is refused', () => {
    const report = makeReport({ total: 5 });
    const n1 = renderStandaloneReport(report, '', '').match(/nonce-([^&]+)&/)![1];
    const n2 = renderStandaloneReport(report, '', '').match(/nonce-([^&]+)&/)![1];
    assert.notEqual(n1, n2);
    assert.ok(n1!.length >= 22);
    assert.throws(() => renderStandaloneReport(report, '', '', { nonce: "x' 'unsafe-inline" }), /nonce/);
  });

  it("inlines the bundle's font files as data: URIs and nothing outside the bundle directory", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    writeFileSync(join(dir, 'codicon-AB12.ttf'), Buffer.from([1, 2, 3]));
    const css = inlineCssFonts('@font-face{src:url("./codicon-AB12.ttf?abc") format("truetype")} x{src:url(../secret.ttf)}', dir);
    assert.ok(css.includes('url("data:font/ttf;base64,AQID")'), css);
    assert.ok(css.includes('url(../secret.ttf)'));
  });
});
