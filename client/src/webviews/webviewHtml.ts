/**
 * The HTML shell of a webview: a strict CSP with a per-load nonce, the UI's stylesheet and its
 * nonce'd script, nothing else — the data arrives by `postMessage`. No `vscode` import, so the
 * Chromium tests load exactly this page.
 */
import { checkNonce, contentSecurityPolicy } from '../../../common/csp';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin VS Code serves `asWebviewUri` resources from. */
  readonly cspSource: string;
  /** A fresh random nonce per load (base64, ≥128 bits). */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUris: readonly string[];
  readonly title: string;
}

function attr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The webview's Content-Security-Policy (STYLE.md, VS Code's webview guide). */
export function webviewCsp(cspSource: string, nonce: string): string {
  return contentSecurityPolicy(nonce, cspSource);
}

/** The page a webview loads. */
export function buildWebviewHtml(o: WebviewHtmlOptions): string {
  checkNonce(o.nonce, 'buildWebviewHtml');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${attr(webviewCsp(o.cspSource, o.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...o.styleUris.map((href) => `<link rel="stylesheet" href="${attr(href)}" nonce="${o.nonce}">`),
    `<title>${attr(o.title)}</title>`,
    '</head>',
    '<body>',
    '<main id="app"></main>',
    `<script nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
