/**
 * A generic host for one webview panel: builds the CSP'd HTML shell around a UI bundle from
 * `dist/webview/`, types and validates the messages in both directions, and disposes everything
 * it registered. `retainContextWhenHidden` stays off (it keeps a whole renderer alive per hidden
 * panel); the UI saves its state with `setState` and asks for its data again with `ready`.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { buildWebviewHtml } from './webviewHtml';

export interface PanelHostOptions<In> {
  readonly viewType: string;
  readonly title: string;
  readonly extensionUri: vscode.Uri;
  /** The bundle under `dist/webview/`: `report` loads `report.js` and `report.css`. */
  readonly bundle: string;
  readonly column?: vscode.ViewColumn;
  /** Validates a message from the webview; others are dropped (the webview shows untrusted data). */
  isMessage(value: unknown): value is In;
  /** Where dropped messages are reported. */
  readonly log?: (message: string) => void;
}

export class WebviewPanelHost<In, Out> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messages = new vscode.EventEmitter<In>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private isDisposed = false;
  /** A message the webview sent and that passed validation. */
  readonly onMessage = this.messages.event;
  /** The user closed the panel (or `dispose` was called). */
  readonly onDidDispose = this.disposed.event;

  constructor(options: PanelHostOptions<In>) {
    const root = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      localResourceRoots: [root],
    });
    const webview = this.panel.webview;
    webview.html = buildWebviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${options.bundle}.js`)).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(root, `${options.bundle}.css`)).toString()],
      title: options.title,
    });
    this.disposables.push(
      this.messages,
      this.disposed,
      webview.onDidReceiveMessage((m: unknown) => {
        if (options.isMessage(m)) this.messages.fire(m);
        else options.log?.(`${options.viewType}: dropped an unexpected message from the webview`);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Posts a typed message; resolves false when the webview is gone or hidden (it will ask again with `ready`). */
  post(message: Out): Thenable<boolean> {
    return this.isDisposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column ?? this.panel.viewColumn, false);
  }

  /** Registers something to dispose with the panel. */
  track(disposable: vscode.Disposable): void {
    if (this.isDisposed) disposable.dispose();
    else this.disposables.push(disposable);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
    this.panel.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
