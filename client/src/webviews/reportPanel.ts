/**
 * The report webview panel: shows one saved {@link SyncReport} (dry run, sync or purge result),
 * sends it to the UI in pieces so the first rows paint before a 100k-object report has crossed
 * over, and acts on what the UI asks: reveal a config line, save an export, explain an object, and
 * the thumbnails of the rows on screen (read from the thumbnails folder beside the report file).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { THUMBNAILS_FOLDER, isThumbnailRef, thumbnailFileName, type ReportItem, type SyncReport } from '../../../common/report';
import { itemsToCsv, viewToJson } from '../../../common/reportExport';
import { selectItems } from '../../../common/reportQuery';
import { WebviewPanelHost } from './panelHost';
import {
  isReportToHostMessage,
  type ExportMessage,
  type HostToReportMessage,
  type OpenConfigMessage,
  type ReportToHostMessage,
  type ReportTab,
  type ReportViewState,
  type ThemeKind,
} from '../../../common/webviewMessages';

/** Items in the first piece (paints the first screen at once), then in each following piece. */
const FIRST_PIECE = 1_000;
const PIECE = 20_000;
/** Thumbnail files larger than this are not sent (the engine writes them at most ~6 KB). */
const MAX_THUMBNAIL_BYTES = 64 * 1024;

export interface ReportPanelOptions {
  readonly extensionUri: vscode.Uri;
  /** Command run for "Explain" with `{ dn, userName, configFile }` (registered by the extension). */
  readonly explainCommand?: string;
  readonly log?: (message: string) => void;
}

function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Dark:
      return 'dark';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'light';
  }
}

export class ReportPanel implements vscode.Disposable {
  private static current: ReportPanel | undefined;
  private readonly host: WebviewPanelHost<ReportToHostMessage, HostToReportMessage>;
  /** Bumped per send, so a `ready` during a send (the panel was hidden and shown) restarts it cleanly. */
  private generation = 0;
  private configFiles: Set<string> | undefined;
  /** The thumbnails the report refers to: hash → content type (the UI may only ask for these). */
  private thumbnailTypes: Map<string, string> | undefined;
  /** Sent with the next report, so a focus asked for before the UI was ready is not lost. */
  private pendingFocus: { readonly id: string; readonly tab?: ReportTab } | undefined;
  /** The UI's last view state (tab, filter, selection), for whoever reopens the report. */
  lastState: ReportViewState | undefined;

  /** Shows `report`, read from `file`, in the report panel, creating it or reusing the open one. */
  static show(report: SyncReport, file: string, options: ReportPanelOptions): ReportPanel {
    const panel = ReportPanel.current ?? new ReportPanel(report, file, options);
    if (panel.report !== report) panel.setReport(report, file);
    panel.host.reveal();
    return panel;
  }

  /** The open report panel, if any. */
  static get active(): ReportPanel | undefined {
    return ReportPanel.current;
  }

  private constructor(
    private report: SyncReport,
    private file: string,
    private readonly options: ReportPanelOptions,
  ) {
    this.host = new WebviewPanelHost({
      viewType: 'dirsync.report',
      title: ReportPanel.title(report),
      extensionUri: options.extensionUri,
      bundle: 'report',
      isMessage: isReportToHostMessage,
      ...(options.log ? { log: options.log } : {}),
    });
    this.host.track(this.host.onMessage((m) => void this.onMessage(m)));
    this.host.track(vscode.window.onDidChangeActiveColorTheme((t) => void this.host.post({ type: 'theme', kind: themeKind(t.kind) })));
    this.host.track(this.host.onDidDispose(() => ReportPanel.current === this && (ReportPanel.current = undefined)));
    ReportPanel.current = this;
  }

  private static title(report: SyncReport): string {
    const what = report.mode === 'dryRun' ? 'Dry run' : report.mode === 'purgeAvatars' ? 'Avatar purge' : 'Sync';
    return `${what}: ${report.config.name ?? path.basename(report.config.file)}`;
  }

  /** Replaces the report shown (`file`: where it was read from). */
  setReport(report: SyncReport, file: string): void {
    this.report = report;
    this.file = file;
    this.configFiles = undefined;
    this.thumbnailTypes = undefined;
    this.host.panel.title = ReportPanel.title(report);
    void this.sendReport();
  }

  /** Selects an object in the UI and opens its details (on `tab` when given, one that lists the object). */
  focusItem(id: string, tab?: ReportTab): void {
    this.pendingFocus = { id, ...(tab ? { tab } : {}) };
    void this.host.post({ type: 'focusItem', ...this.pendingFocus });
  }

  dispose(): void {
    this.host.dispose();
  }

  private async onMessage(m: ReportToHostMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.host.post({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) });
        await this.sendReport();
        break;
      case 'openConfig':
        await this.openConfig(m);
        break;
      case 'export':
        await this.exportView(m);
        break;
      case 'explain':
        await this.explain(m.id);
        break;
      case 'stateChanged':
        this.lastState = m.state;
        break;
      case 'thumbnails':
        await this.sendThumbnails(m.sha256);
        break;
    }
  }

  /**
   * Answers a `thumbnails` request: each hash the report refers to is read from the thumbnails
   * folder beside the report file and checked against its name before it goes out as a `data:` URL.
   */
  private async sendThumbnails(hashes: readonly string[]): Promise<void> {
    if (!this.thumbnailTypes) {
      this.thumbnailTypes = new Map();
      for (const item of this.report.items) {
        const t = item.avatar?.thumbnail;
        if (isThumbnailRef(t)) this.thumbnailTypes.set(t.sha256, t.contentType);
      }
    }
    const known = this.thumbnailTypes;
    const dir = path.join(path.dirname(this.file), THUMBNAILS_FOLDER);
    const report = this.report;
    const thumbnails = await Promise.all(
      hashes.map(async (sha256) => {
        const contentType = known.get(sha256);
        if (!contentType) return { sha256 };
        try {
          const bytes = await readFile(path.join(dir, thumbnailFileName({ sha256, contentType })));
          if (bytes.length > MAX_THUMBNAIL_BYTES || createHash('sha256').update(bytes).digest('hex') !== sha256) return { sha256 };
          return { sha256, dataUri: `data:${contentType};base64,${bytes.toString('base64')}` };
        } catch {
          return { sha256 };
        }
      }),
    );
    // A newer report replaced this one while the files were read: its UI asks again.
    if (report === this.report) await this.host.post({ type: 'thumbnailData', thumbnails });
  }

  /** Sends the report in pieces; stops if a newer send started (a reload or a new report). */
  private async sendReport(): Promise<void> {
    const generation = ++this.generation;
    const { items, ...meta } = this.report;
    if (!(await this.host.post({ type: 'reportBegin', report: meta, itemCount: items.length }))) return;
    // The UI holds a focus request until the piece with the object has arrived.
    if (this.pendingFocus !== undefined) await this.host.post({ type: 'focusItem', ...this.pendingFocus });
    let offset = 0;
    do {
      const size = offset === 0 ? FIRST_PIECE : PIECE;
      const piece = items.slice(offset, offset + size);
      const done = offset + piece.length >= items.length;
      if (generation !== this.generation) return;
      if (!(await this.host.post({ type: 'reportItems', offset, items: piece, done }))) return;
      offset += piece.length;
    } while (offset < items.length);
    this.pendingFocus = undefined;
  }

  /** Files the report refers to; the UI may only open these (it renders untrusted data). */
  private allowedConfigFiles(): Set<string> {
    if (!this.configFiles) {
      const files = new Set<string>([this.report.config.file]);
      const add = (f: string | undefined) => f && files.add(f);
      for (const item of this.report.items) {
        add(item.configRef?.file);
        for (const c of item.changes ?? []) add(c.configRef?.file);
      }
      for (const m of this.report.messages) add(m.configRef?.file);
      this.configFiles = files;
    }
    return this.configFiles;
  }

  private resolveFile(file: string): vscode.Uri {
    if (path.isAbsolute(file)) return vscode.Uri.file(file);
    const base = path.isAbsolute(this.report.config.file)
      ? path.dirname(this.report.config.file)
      : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd());
    return vscode.Uri.file(path.resolve(base, file));
  }

  private async openConfig(m: OpenConfigMessage): Promise<void> {
    if (!this.allowedConfigFiles().has(m.file)) {
      this.options.log?.(`report: refused to open ${JSON.stringify(m.file)}, which the report does not refer to`);
      return;
    }
    const position = new vscode.Position(m.line - 1, m.column - 1);
    try {
      const doc = await vscode.workspace.openTextDocument(this.resolveFile(m.file));
      await vscode.window.showTextDocument(doc, {
        viewColumn: vscode.ViewColumn.One,
        preview: false,
        selection: new vscode.Range(position, position),
      });
    } catch (err) {
      void vscode.window.showErrorMessage(`Dirsync: cannot open ${m.file}: ${(err as Error).message}`);
    }
  }

  private async exportView(m: ExportMessage): Promise<void> {
    const category = m.category ?? 'all';
    const filter = m.filter ?? { query: '', hideUnchanged: false };
    const items: ReportItem[] = selectItems(this.report, category, filter);
    const fileName = `dirsync-${this.report.sessionId}-${category}.${m.format}`.replace(/[^\w.-]+/g, '_');
    const baseDir = path.isAbsolute(this.report.config.file)
      ? path.dirname(this.report.config.file)
      : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const target = await vscode.window.showSaveDialog({
      title: `Export ${items.length} objects`,
      ...(baseDir ? { defaultUri: vscode.Uri.file(path.join(baseDir, fileName)) } : {}),
      filters: m.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!target) {
      await this.host.post({ type: 'exportResult', ok: false, detail: 'cancelled' });
      return;
    }
    // A BOM so spreadsheet programs read the CSV as UTF-8.
    const content =
      m.format === 'csv'
        ? `\ufeff${itemsToCsv(items)}`
        : viewToJson(this.report, items, { category, filter, totalItems: this.report.items.length });
    try {
      await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
      await this.host.post({ type: 'exportResult', ok: true, detail: `${items.length} objects to ${target.fsPath}` });
    } catch (err) {
      await this.host.post({ type: 'exportResult', ok: false, detail: (err as Error).message });
    }
  }

  private async explain(id: string): Promise<void> {
    const item = this.report.items.find((i) => i.id === id);
    const command = this.options.explainCommand ?? 'dirsync.explainObject';
    if (!item) return;
    const known = await vscode.commands.getCommands(true);
    if (!known.includes(command)) {
      void vscode.window.showInformationMessage('Dirsync: Explain Object is not available in this version.');
      return;
    }
    await vscode.commands.executeCommand(command, { dn: item.dn, userName: item.userName, configFile: this.report.config.file });
  }
}
