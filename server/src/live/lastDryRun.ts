/**
 * The last dry run's directory counts, to flag a live count that is suspiciously different (a
 * filter edit that silently drops most users). The interface is what the previews need; the
 * implementation reads dry-run reports (common/report.ts, the versioned JSON `dirsync plan
 * --json` prints) from a folder. The sync engine decides where it keeps reports; the server is
 * told the folder (README § Directory side).
 */
import type { ObjectKind } from '../../../common/config';
import type { ObjectType, SyncReport } from '../../../common/report';
import { reportItems } from '../../../common/reportItems';
import { newestSavedReport } from '../runs/lastReport';

export interface DryRunCounts {
  /** Directory entries per selection the dry run read. */
  readonly counts: Partial<Record<ObjectKind, number>>;
  /** ISO 8601 time of the dry run. */
  readonly at: string;
}

export interface LastDryRunCounts {
  /** The counts of the newest dry run of the config at `configFile` (absolute path), if any. */
  countsFor(configFile: string, signal?: AbortSignal): Promise<DryRunCounts | undefined>;
}

const KIND: Readonly<Record<ObjectType, ObjectKind>> = { user: 'users', group: 'groups', contact: 'contacts', room: 'rooms' };

/**
 * Entries per selection a report's dry run read from the directory: its items that have a DN
 * (cloud-only objects — mismatched, deleted — have none), each DN counted once per object type.
 */
export function countsFromReport(report: SyncReport): Partial<Record<ObjectKind, number>> {
  const seen = new Map<ObjectKind, Set<string>>();
  for (const item of reportItems(report)) {
    if (!item.dn) continue;
    const kind = KIND[item.objectType];
    if (!kind) continue;
    let set = seen.get(kind);
    if (!set) seen.set(kind, (set = new Set()));
    set.add(item.dn.toLowerCase());
  }
  return Object.fromEntries([...seen].map(([k, s]) => [k, s.size]));
}

/**
 * The newest dry-run report about a config in the folders `foldersFor(configFile)` names (the
 * engine's `<config folder>/.dirsync/reports/`; see lastReport.ts for how a report is matched).
 */
export function reportFolderDryRuns(foldersFor: (configFile: string) => readonly string[]): LastDryRunCounts {
  return {
    async countsFor(configFile, signal) {
      const newest = await newestSavedReport(configFile, foldersFor(configFile), signal, 'dryRun');
      return newest ? { counts: countsFromReport(newest.report), at: newest.report.generatedAt } : undefined;
    },
  };
}
