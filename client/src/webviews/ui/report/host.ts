/**
 * Where the report UI runs: inside a VS Code webview (messages to the extension host, state kept
 * by `setState`) or standalone in a browser (the HTML report file: exports become downloads and
 * config links cannot open an editor).
 */
import type { ExportFormat, ReportToHostMessage, ReportViewState } from '../../../../../common/webviewMessages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Injected by VS Code into webviews; callable once per page.
  // eslint-disable-next-line no-var
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export interface ReportHost {
  readonly kind: 'vscode' | 'standalone';
  /** True when `openConfig` and `explain` do something. */
  readonly canNavigate: boolean;
  post(message: ReportToHostMessage): void;
  getState(): Partial<ReportViewState> | undefined;
  setState(state: ReportViewState): void;
  /** Standalone only: saves `content` as a file download. */
  download(format: ExportFormat, fileName: string, content: string): void;
}

/** Picks the VS Code host when `acquireVsCodeApi` exists, else the standalone one. */
export function connectHost(): ReportHost {
  const api = typeof globalThis.acquireVsCodeApi === 'function' ? globalThis.acquireVsCodeApi() : undefined;
  if (api) {
    return {
      kind: 'vscode',
      canNavigate: true,
      post: (m) => api.postMessage(m),
      getState: () => {
        const s = api.getState();
        return typeof s === 'object' && s !== null ? (s as Partial<ReportViewState>) : undefined;
      },
      setState: (s) => api.setState(s),
      download: () => undefined,
    };
  }
  return {
    kind: 'standalone',
    canNavigate: false,
    post: () => undefined,
    getState: () => undefined,
    setState: () => undefined,
    download(format, fileName, content) {
      const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
      // A BOM so spreadsheet programs read the CSV as UTF-8 (names are rarely ASCII).
      const blob = new Blob(format === 'csv' ? ['\ufeff', content] : [content], { type });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      // Revoke after the click has been handled; the download keeps its own reference.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  };
}
