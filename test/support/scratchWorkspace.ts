/** Throwaway workspace folders for editor tests, outside the repository (no parent Git repo). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { atEndOfRun } from './rootHooks';

/**
 * Creates a folder holding `files` (relative path → content) and returns its absolute path; it is
 * removed at the end of the run.
 */
export function scratchWorkspace(files: Record<string, string>, label = 'workspace'): string {
  const root = mkdtempSync(join(tmpdir(), `dirsync-${label}-`));
  atEndOfRun(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
