/** Helpers for tests that run inside the extension host (test/vscode/extensionHost/*.test.ts). */
import * as vscode from 'vscode';

/**
 * Writes a file into the first workspace folder (through `workspace.fs`, so it works for a remote
 * workspace like code-server's) and returns its URI. The runners open a workspace without any
 * `.dirsync` file, so a test decides when the first one appears.
 */
export async function writeWorkspaceFile(relativePath: string, content: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return uri;
}

/**
 * Waits until `condition()` holds, checking every 50 ms for up to `timeoutMs`. For state the API
 * exposes without an event, such as `Extension.isActive`.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
