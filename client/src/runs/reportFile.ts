/**
 * The run results carry the saved report's location, not the report (common/requests.ts
 * RUN_RESULT_VERSION): this reads that file for the report webview, and checks that a result has
 * the shape this extension reads, so a language server of another install fails clearly.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { REPORT_FORMAT, type SyncReport } from '../../../common/report';
import { RUN_RESULT_VERSION } from '../../../common/requests';

/** Report versions this extension shows (version 2 holds thumbnails inline). */
const READABLE_VERSIONS: readonly unknown[] = [2, 3];

/**
 * True when `result` is of the shape this extension reads; otherwise says so once, in words, and
 * returns false. `what` names the run (`dry run`, `full sync`).
 */
export function isCurrentResult(result: unknown, what: string): boolean {
  const version = typeof result === 'object' && result !== null ? (result as { resultVersion?: unknown }).resultVersion : undefined;
  if (version === RUN_RESULT_VERSION) return true;
  void vscode.window.showErrorMessage(
    `Dirsync: the language server answered the ${what} in a format this extension does not read (result version ${
      version === undefined ? 'none' : String(version)
    }, expected ${RUN_RESULT_VERSION}). Reload the window so that the extension and its language server come from the same install.`,
  );
  return false;
}

/** Reads a saved report. Throws an Error naming the file when it is missing, damaged or of an unknown version. */
export async function loadReport(file: string): Promise<SyncReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`The report ${file} could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = parsed as Partial<SyncReport> | null;
  if (!r || r.format !== REPORT_FORMAT || !Array.isArray(r.items)) throw new Error(`${file} is not a dirsync report.`);
  if (!READABLE_VERSIONS.includes(r.version))
    throw new Error(`The report ${file} is of version ${String(r.version)}, which this extension does not show; update the extension.`);
  return parsed as SyncReport;
}
