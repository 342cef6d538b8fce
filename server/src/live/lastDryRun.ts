/**
 * The last dry run's directory counts, to flag a live count that is suspiciously different (a
 * filter edit that silently drops most users). The interface is what the previews need; the
 * implementation reads dry-run reports (protocol/report.ts, the versioned JSON `dirsync plan
 * --json` prints) from a folder. The sync engine decides where it keeps reports; the server is
 * told the folder (README § Directory side).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ObjectKind } from '../language/config/types';
import { REPORT_FORMAT, type ObjectType, type SyncReport } from '../protocol/report';

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
  for (const item of report.items) {
    if (!item.dn) continue;
    const kind = KIND[item.objectType];
    if (!kind) continue;
    let set = seen.get(kind);
    if (!set) seen.set(kind, (set = new Set()));
    set.add(item.dn.toLowerCase());
  }
  return Object.fromEntries([...seen].map(([k, s]) => [k, s.size]));
}

function isDryRunReport(x: unknown): x is SyncReport {
  const r = x as Partial<SyncReport> | null;
  return !!r && r.format === REPORT_FORMAT && r.mode === 'dryRun' && Array.isArray(r.items) && typeof r.generatedAt === 'string' && typeof r.config?.file === 'string';
}

/**
 * Reads `*.json` dry-run reports from the folders `foldersFor(configFile)` names and returns the
 * newest one about that config (its `config.file`, resolved against the report's folder, is the
 * config's path, or has the same file name when the report names it relatively).
 */
export function reportFolderDryRuns(foldersFor: (configFile: string) => readonly string[]): LastDryRunCounts {
  return {
    async countsFor(configFile, signal) {
      let best: SyncReport | undefined;
      for (const folder of foldersFor(configFile)) {
        let names: string[];
        try {
          names = (await readdir(folder)).filter((n) => n.endsWith('.json'));
        } catch {
          continue;
        }
        for (const name of names) {
          signal?.throwIfAborted();
          const file = join(folder, name);
          try {
            if ((await stat(file)).size > 512 * 1024 * 1024) continue;
            const report: unknown = JSON.parse(await readFile(file, 'utf8'));
            if (!isDryRunReport(report)) continue;
            const named = report.config.file;
            const same = resolve(folder, named) === configFile || (!named.includes('/') && basename(named) === basename(configFile));
            if (same && (!best || report.generatedAt > best.generatedAt)) best = report;
          } catch {
            /* not a report, or unreadable: skip */
          }
        }
      }
      return best ? { counts: countsFromReport(best), at: best.generatedAt } : undefined;
    },
  };
}
