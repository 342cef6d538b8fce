/**
 * The newest report of a config for "Dirsync: Show Last Report": one the server made in this
 * session, else the newest saved by the engine under `<config folder>/.dirsync/reports/` (dry
 * runs, syncs and purges alike; the versioned JSON of common/report.ts). Reports are compared by
 * their fields; the items of the one returned are read from its file when used.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { REPORT_FORMAT, type SyncReport } from '../../../common/report';
import { lazyReport } from '../../../common/reportItems';
import { savedReportFields, savedReportItems } from '../sync/engine/itemSpool';
import { runReportSummary, type RunReportSummary } from '../../../common/requests';

/** Reports larger than this are not read from disk (the webview's design limit is far below). */
const MAX_BYTES = 512 * 1024 * 1024;

function isReportFields(x: unknown): x is Omit<SyncReport, 'items'> {
  const r = x as Partial<SyncReport> | null;
  return !!r && r.format === REPORT_FORMAT && typeof r.generatedAt === 'string' && typeof r.config?.file === 'string';
}

/**
 * A saved report without reading its items: the engine saves one item a line, so its fields come
 * from the first and last lines and its items are read from the file when asked for (a 100k-user
 * dry run's report is over 100 MB; the newest of a folder of them is found by their fields). An
 * older report written on one line is parsed whole.
 */
async function readReport(file: string): Promise<SyncReport | undefined> {
  const fields = savedReportFields(file);
  if (fields) return isReportFields(fields) ? lazyReport(fields, savedReportItems(file)) : undefined;
  const whole: unknown = JSON.parse(await readFile(file, 'utf8'));
  return isReportFields(whole) && Array.isArray((whole as SyncReport).items) ? (whole as SyncReport) : undefined;
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
        const report = await readReport(file);
        if (
          report &&
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
