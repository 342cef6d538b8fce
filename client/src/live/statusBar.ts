/**
 * The bound directory in the status bar, for the active `.dirsync` editor: its URL and how many
 * entries the enabled selections match, or why the live previews are off. When they are off for a
 * document, one information message says why — once per document and reason, never a flood.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LiveStatusNotification, LiveStatusRequest, type LiveStatus } from '../../../common/requests';

const DONT_SHOW_UNBOUND = 'dirsync.live.dontShowUnbound';

function fileName(uri: string): string {
  return decodeURIComponent(uri.split('/').pop() ?? uri);
}

export class LiveStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly statuses = new Map<string, LiveStatus>();
  /** `uri state` already told to the user (cleared when the document is bound again: a later outage is news). */
  private readonly told = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Documents whose `unbound` status is about to be followed by a remembered binding. */
  readonly quiet = new Set<string>();
  private readonly listeners: Array<(s: LiveStatus) => void> = [];

  constructor(
    private readonly client: LanguageClient,
    private readonly memento: vscode.Memento,
  ) {
    this.item = vscode.window.createStatusBarItem('dirsync.live', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Dirsync Directory';
    this.disposables.push(
      this.item,
      client.onNotification(LiveStatusNotification.method, (s: LiveStatus) => this.update(s)),
      vscode.window.onDidChangeActiveTextEditor(() => void this.render()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.statuses.delete(d.uri.toString());
      }),
    );
    void this.render();
  }

  /** Calls `f` with every status the server sends. */
  onStatus(f: (s: LiveStatus) => void): void {
    this.listeners.push(f);
  }

  /** The last status of a document. */
  get(uri: string): LiveStatus | undefined {
    return this.statuses.get(uri);
  }

  /** A status from the server (notification or request result). */
  update(s: LiveStatus): void {
    this.statuses.set(s.uri, s);
    void this.render();
    for (const f of this.listeners) f(s);
    this.tell(s);
  }

  /** Marks a status as already shown to the user (the bind command reported it itself). */
  markTold(s: LiveStatus): void {
    this.told.add(`${s.uri} ${s.state}`);
  }

  private tell(s: LiveStatus): void {
    if (s.state === 'bound') for (const k of [...this.told]) if (k.startsWith(`${s.uri} `)) this.told.delete(k);
    if (s.state === 'bound' || s.state === 'connecting') return;
    if (s.state === 'unbound' && (this.quiet.has(s.uri) || this.memento.get<boolean>(DONT_SHOW_UNBOUND))) return;
    const key = `${s.uri} ${s.state}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    const name = fileName(s.uri);
    if (s.state === 'unbound') {
      void vscode.window
        .showInformationMessage(
          `Live previews for ${name} are off: no directory is bound. The static checks still run.`,
          'Bind Directory…',
          "Don't Show Again",
        )
        .then((c) => {
          if (c === 'Bind Directory…') void vscode.commands.executeCommand('dirsync.bindDirectory', s.uri);
          else if (c) void this.memento.update(DONT_SHOW_UNBOUND, true);
        });
      return;
    }
    void vscode.window
      .showInformationMessage(
        `Live previews for ${name} are off: ${s.reason ?? 'the directory is not available.'} The static checks still run.`,
        'Bind Again…',
      )
      .then((c) => {
        if (c) void vscode.commands.executeCommand('dirsync.bindDirectory', s.uri);
      });
  }

  private async render(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== 'dirsync') {
      this.item.hide();
      return;
    }
    const uri = doc.uri.toString();
    let s = this.statuses.get(uri);
    if (!s) {
      try {
        const answer = (await this.client.sendRequest(LiveStatusRequest.method, { uri })) as LiveStatus | null;
        s = answer ?? undefined;
      } catch {
        s = undefined;
      }
      if (s) this.statuses.set(uri, s);
    }
    if (!s) {
      this.item.hide();
      return;
    }
    this.show(s);
  }

  private show(s: LiveStatus): void {
    const item = this.item;
    const tip = new vscode.MarkdownString(undefined, true);
    item.backgroundColor = undefined;
    switch (s.state) {
      case 'bound': {
        const failed = Object.entries(s.failed ?? {});
        const entries =
          s.entries !== undefined
            ? `${s.entries.toLocaleString('en-US')} entries${failed.length ? ` · ${failed.length} search${failed.length === 1 ? '' : 'es'} failed` : ''}`
            : 'counting…';
        item.text = `$(${failed.length ? 'warning' : 'database'}) ${s.url ?? ''} · ${entries}`;
        tip.appendMarkdown(`**Live previews on** for ${fileName(s.uri)}\n\n`);
        tip.appendText(`${s.url ?? ''}${s.bindDn ? ` as ${s.bindDn}` : ''}\n\n`);
        for (const [kind, n] of Object.entries(s.counts ?? {})) tip.appendText(`${kind}: ${n.toLocaleString('en-US')}\n\n`);
        for (const [kind, why] of failed) tip.appendText(`${kind}: not counted: ${why}\n\n`);
        if (s.previewEntry)
          tip.appendText(`Previewing ${s.previewEntryPicked ? 'the picked entry' : 'the first user'}: ${s.previewEntry}\n\n`);
        tip.appendMarkdown('Click for: pick the preview entry, bind again, unbind.');
        item.command = { title: 'Directory', command: 'dirsync.liveMenu', arguments: [s.uri] };
        break;
      }
      case 'connecting':
        item.text = `$(sync~spin) Binding ${s.url ?? 'the directory'}…`;
        tip.appendText(`Connecting to ${s.url ?? 'the directory'}${s.bindDn ? ` as ${s.bindDn}` : ''}`);
        item.command = undefined;
        break;
      case 'unbound':
        item.text = '$(plug) Directory: not bound';
        tip.appendText(`Live previews are off: ${s.reason ?? 'no directory is bound.'}`);
        item.command = { title: 'Bind Directory', command: 'dirsync.bindDirectory', arguments: [s.uri] };
        break;
      default:
        item.text = `$(warning) Directory: ${s.state === 'down' ? 'down' : 'bind failed'}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        tip.appendText(
          `Live previews are off: ${s.reason ?? 'the directory is not available.'}\n\nThe static checks still run. Click to bind again.`,
        );
        item.command = { title: 'Bind Directory', command: 'dirsync.bindDirectory', arguments: [s.uri] };
    }
    item.tooltip = tip;
    item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
