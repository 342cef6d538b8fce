/**
 * The newest report of a config for "Dirsync: Show Last Report": one the server made in this
 * session, else the newest saved by the engine under `<config folder>/.dirsync/reports/` (dry
 * runs, syncs and purges alike; the versioned JSON of common/report.ts).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { REPORT_FORMAT, type SyncReport } from '../../../common/report';
import { runReportSummary, type RunReportSummary } from '../../../common/requests';

/** Reports larger than this are not read from disk (the webview's design limit is far below). */
const MAX_BYTES = 512 * 1024 * 1024;

function isReport(x: unknown): x is SyncReport {
  const r = x as Partial<SyncReport> | null;
  return (
    !!r && r.format === REPORT_FORMAT && Array.isArray(r.items) && typeof r.generatedAt === 'string' && typeof r.config?.file === 'string'
  );
}

/** Is `report` about the config at `configFile` (absolute)? A relative name is resolved against `folder`. */
function about(report: SyncReport, configFile: string, folder: string): boolean {
  const named = report.config.file;
  return resolve(folder, named) === configFile || (!named.includes('/') && basename(named) === basename(configFile));
}

/** The newest report about `configFile` in `folders` (of `mode` when given), with its file. */
export async function newestSavedReport(
  configFile: string,
  folders: readonly string[],
  signal?: AbortSignal,
  mode?: SyncReport['mode'],
): Promise<{ report: SyncReport; file: string } | undefined> {
  let best: { report: SyncReport; file: string } | undefined;
  for (const folder of folders) {
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
        if ((await stat(file)).size > MAX_BYTES) continue;
        const report: unknown = JSON.parse(await readFile(file, 'utf8'));
        if (
          isReport(report) &&
          (!mode || report.mode === mode) &&
          about(report, configFile, folder) &&
          (!best || report.generatedAt > best.report.generatedAt)
        )
          best = { report, file };
      } catch {
        /* not a report, or unreadable: skip */
      }
    }
  }
  return best;
}

/** A saved report of this session: its file and summary (the report itself is not kept). */
export interface SessionReport {
  readonly file: string;
  readonly summary: RunReportSummary;
}

/** The reports of this server session, newest per document. */
export class SessionReports {
  private readonly byUri = new Map<string, SessionReport>();

  remember(uri: string, file: string, report: SyncReport): void {
    this.byUri.set(uri, { file, summary: runReportSummary(report) });
  }

  get(uri: string): SessionReport | undefined {
    return this.byUri.get(uri);
  }
}
