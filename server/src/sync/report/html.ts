/**
 * The standalone HTML report ("Save results to file", seed "Do a Dry Run Synchronization"): one
 * self-contained file that opens in any browser, offline, with the same UI as the VS Code webview.
 *
 * Security model (the report holds untrusted AD and cloud values):
 * - a strict CSP in a `<meta>`: `default-src 'none'`, scripts and styles only with a fresh random
 *   nonce, images and fonts only from `data:`; no network, no inline handlers, no `eval`;
 * - the report is embedded as inert data — a `<script type="application/json">` is never executed —
 *   and `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX` escapes so no value can close the
 *   element or start markup; the UI reads it with `JSON.parse` and renders it as text.
 */
import { randomBytes } from 'node:crypto';
import type { SyncReport } from '../../../../common/report';
import { checkNonce, contentSecurityPolicy } from '../../../../common/csp';

/** The id of the element holding the report JSON; the UI bundle looks for it. */
export const REPORT_DATA_ELEMENT_ID = 'dirsync-report-data';
/** The id of the element holding the thumbnails, each distinct one once: hash → `data:` URL. */
export const REPORT_THUMBNAILS_ELEMENT_ID = 'dirsync-report-thumbnails';

export interface StandaloneReportOptions {
  /** The CSP nonce; a fresh 128-bit random one by default. Tests may pin it. */
  readonly nonce?: string;
  /**
   * The thumbnails the report's items refer to (`avatar.thumbnail.sha256` → `data:` URL), embedded
   * once each: a report file stays one self-contained file although its items hold only hashes.
   */
  readonly thumbnails?: Readonly<Record<string, string>>;
}

/** JSON that is safe inside an HTML raw-text element and still parses to the same value. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Keeps bundled code from ending its raw-text element early: `</script` (or `</style`) and `<!--`
 * cannot appear literally (HTML §13.2.5.4 script data states). The rewrites are no-ops for the
 * language inside (`<\/` and `<\!` mean `</` and `<!` in JS strings, regexes and CSS).
 */
function rawText(code: string, element: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * Renders the standalone HTML report: the report as inert JSON, the UI bundle and its CSS inlined
 * under a nonce. Pure apart from the random nonce. `uiCss` must have its fonts inlined already
 * (see `loadReportUiAssets`): the CSP allows no file or network loads.
 */
export function renderStandaloneReport(
  report: SyncReport,
  uiBundleJs: string,
  uiCss: string,
  options: StandaloneReportOptions = {},
): string {
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  checkNonce(nonce, 'renderStandaloneReport');
  const csp = contentSecurityPolicy(nonce);
  const title = `${report.config.name ?? report.config.file} — dirsync ${report.mode === 'dryRun' ? 'dry run' : report.mode} report`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="dirsync report format ${report.version}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style nonce="${nonce}">${rawText(uiCss, 'style')}</style>`,
    '</head>',
    '<body>',
    '<main id="app"></main>',
    ...(options.thumbnails && Object.keys(options.thumbnails).length
      ? [`<script type="application/json" id="${REPORT_THUMBNAILS_ELEMENT_ID}">${jsonForHtml(options.thumbnails)}</script>`]
      : []),
    `<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${jsonForHtml(report)}</script>`,
    `<script nonce="${nonce}">${rawText(uiBundleJs, 'script')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
