/**
 * Entry of the report UI bundle (`dist/webview/report.js` + `report.css`), the same bundle in the
 * VS Code webview and in the standalone HTML report.
 *
 * Where the report comes from:
 * - standalone: an inert `<script type="application/json" id="dirsync-report-data">` element
 *   (never executed; `<`, `>`, `&`, U+2028/2029 escaped by `renderStandaloneReport`), parsed here;
 * - VS Code: `report` (or `reportBegin` + `reportItems`) messages after this UI posts `ready`.
 */
import '@vscode/codicons/dist/codicon.css';
import './styles/theme.css';
import './styles/layout.css';
import './styles/grid.css';
import './styles/detail.css';
import { isHostToReportMessage } from '../../../../../common/webviewMessages';
import { ReportApp } from './app';
import { h } from './dom';
import { connectHost } from './host';

const DATA_ELEMENT_ID = 'dirsync-report-data';
const THUMBNAILS_ELEMENT_ID = 'dirsync-report-thumbnails';

function start(): void {
  const host = connectHost();
  const root = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
  root.classList.add('report-app');
  const app = new ReportApp(host, root);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Standalone, nothing but this page itself may drive the UI (no opener or parent frame can).
    if (host.kind === 'standalone' && event.source !== window) return;
    if (isHostToReportMessage(event.data)) app.receive(event.data);
  });

  // Standalone: each distinct thumbnail embedded once, hash → `data:` URL (inert JSON like the report).
  const thumbnails = document.getElementById(THUMBNAILS_ELEMENT_ID);
  if (thumbnails) {
    try {
      const map: unknown = JSON.parse(thumbnails.textContent ?? '');
      if (typeof map === 'object' && map !== null) app.thumbnails.preload(map as Record<string, unknown>);
    } catch {
      /* no thumbnails then: the rows show their icons */
    }
    thumbnails.remove();
  }
  const embedded = document.getElementById(DATA_ELEMENT_ID);
  if (embedded) {
    try {
      const message = { type: 'report', report: JSON.parse(embedded.textContent ?? '') } as unknown;
      // The element is no longer needed: free the (possibly tens of MB of) text.
      embedded.remove();
      if (!isHostToReportMessage(message)) throw new Error('the embedded data is not a dirsync report');
      app.receive(message);
    } catch (err) {
      root.prepend(h('div', { class: 'banner banner-error', role: 'alert' }, `This report file is damaged: ${(err as Error).message}`));
    }
  }
  app.ready();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
