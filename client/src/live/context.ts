/**
 * What the live-preview commands share: the language client, the status bar, the remembered
 * bindings and the extension context (SecretStorage, workspace state).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { BindDirectoryParams } from '../../../common/requests';
import type { LiveStatusBar } from './statusBar';

export interface LiveContext {
  readonly client: LanguageClient;
  readonly extension: vscode.ExtensionContext;
  readonly status: LiveStatusBar;
  readonly bindings: RememberedBindings;
  readonly output: vscode.LogOutputChannel;
}

/**
 * Documents the user bound, with what the bind command asked (never the password: that is in
 * SecretStorage), kept in the workspace state so a reopened document or a restarted window binds
 * again without asking.
 */
export class RememberedBindings {
  private static readonly KEY = 'dirsync.live.bindings';
  constructor(private readonly state: vscode.Memento) {}

  get(uri: string): BindDirectoryParams | undefined {
    return this.all()[uri];
  }
  async remember(params: BindDirectoryParams): Promise<void> {
    await this.state.update(RememberedBindings.KEY, { ...this.all(), [params.uri]: params });
  }
  async forget(uri: string): Promise<void> {
    const { [uri]: _, ...rest } = this.all();
    await this.state.update(RememberedBindings.KEY, rest);
  }
  private all(): Record<string, BindDirectoryParams> {
    return this.state.get<Record<string, BindDirectoryParams>>(RememberedBindings.KEY, {});
  }
}

/** The `.dirsync` document a command is about: the argument (a URI from a CodeLens), else the active editor's. */
export function targetDocument(arg?: unknown): vscode.TextDocument | undefined {
  const uri = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.toString() : undefined;
  if (uri) return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'dirsync' ? doc : undefined;
}

/** The SecretStorage key of a bind password the config does not name: derived from URL and bind DN. */
export function derivedPasswordKey(url: string, bindDn: string): string {
  return `dirsync.bind:${url.trim().toLowerCase()}|${bindDn.trim().toLowerCase()}`;
}
