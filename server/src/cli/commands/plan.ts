/**
 * `dirsync plan <config> [--json] [-o plan.json] [--html report.html]`: the dry run from the
 * terminal. Reads AD and the cloud, writes nothing to the cloud, prints what a sync would do.
 *
 * Exit codes (as `terraform plan -detailed-exitcode`): 0 no changes, 2 changes (operations to
 * apply, threshold exceeded or not), 1 error (config errors — the first named file:line:col —,
 * unreachable directory or cloud, missing secret, bad usage).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import { REPORT_CATEGORIES, type SyncReport } from '../../../../common/report';
import { dryRun } from '../../sync/engine/dryRun';
import { standaloneReportHtml } from '../../sync/report/htmlAssets';
import type { SavedPlan, SyncPlan, SyncProgress } from '../../sync/contract';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { oneLine } from '../terminal';

/** The progress line on a terminal: one line, rewritten in place. */
export function progressLine(io: CliIo): ((p: SyncProgress) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (p) => io.stderr.write(`\r\x1b[K${p.phase}: ${p.message}`);
}

export function endProgress(io: CliIo): void {
  if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
}

/** The plan as `-o` writes it and `dirsync apply plan.json` reads it. */
export function savedPlan(plan: SyncPlan): SavedPlan {
  return { ...plan.report, plan: plan.payload };
}

export function printSummary(io: CliIo, report: SyncReport, operations: number): void {
  // One line per call: a value's own line breaks are shown, not obeyed.
  const w = (s: string) => io.stdout.write(oneLine(s) + '\n');
  w(`${report.config.name ?? report.config.file}: ${report.directory.url} → ${report.cloud.url}`);
  const width = Math.max(...REPORT_CATEGORIES.map((c) => c.length));
  for (const c of REPORT_CATEGORIES) w(`  ${c.padEnd(width)}  ${report.summary[c]}`);
  const t = report.threshold;
  const limits = t.disabled
    ? 'disabled'
    : [t.limitCount !== undefined ? `count ${t.limitCount}` : '', t.limitPercent !== undefined ? `${t.limitPercent} %` : '']
        .filter(Boolean)
        .join(', ');
  w(
    `Deletion threshold: ${t.deletions} deletion${t.deletions === 1 ? '' : 's'} of ${t.owned} owned cloud object${t.owned === 1 ? '' : 's'} (limit ${limits || 'none'}): ${t.exceeded ? 'EXCEEDED' : 'ok'}`,
  );
  if (t.refusal) w(t.refusal);
  for (const m of report.messages.filter((x) => x.severity !== 'information').slice(0, 20))
    w(`${m.severity}: ${m.dn ? `${m.dn}: ` : ''}${m.message}`);
  w(operations === 0 ? 'No changes: the cloud matches the directory.' : `Plan: ${operations} operation${operations === 1 ? '' : 's'}.`);
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Dry run: what a sync would change in the cloud (exit 0 none, 2 changes, 1 error)',
  usage: `Usage: dirsync plan [options] <config>

Reads the config's directory (live AD or an ldif: export) and the cloud, and prints what a
sync would do, per category (added, modified, matched, mismatched, deleted, deactivated,
softDeleted, rooms, groups, contacts, avatars, invalid), with the deletion threshold's verdict.
Writes nothing to the cloud. The report is also saved as
<config folder>/.dirsync/reports/<time>-dryRun.json (and last-dryRun.json).
Secrets come from the environment: \${env:NAME} reads NAME, \${secret:KEY} reads
DIRSYNC_SECRET_<KEY>.

Options:
  --json             print the report (dirsync-report version 1, README § Sync engine)
  -o, --out FILE     write the saved plan (the report plus its operations) for \`dirsync apply FILE\`
  --html FILE        write the standalone HTML report
  -h, --help         show this help

Exit codes (like terraform plan -detailed-exitcode): 0 no changes, 2 changes,
1 error (config errors, directory or cloud unreachable, missing secret, bad usage).`,
  options: {
    json: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    html: { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync file');
    const configFile = resolve(io.cwd, args.positionals[0]!);
    const onProgress = progressLine(io);
    let plan: SyncPlan;
    try {
      plan = await dryRun({ configFile, secrets: envSecretResolver(io.env), signal: io.signal, ...(onProgress ? { onProgress } : {}) });
    } catch (err) {
      endProgress(io);
      io.stderr.write(`dirsync plan: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    endProgress(io);
    try {
      const out = args.values['out'] as string | undefined;
      if (out) {
        const p = resolve(io.cwd, out);
        await mkdir(dirname(p), { recursive: true });
        await writeFile(p, JSON.stringify(savedPlan(plan)));
      }
      const html = args.values['html'] as string | undefined;
      if (html) {
        const p = resolve(io.cwd, html);
        await mkdir(dirname(p), { recursive: true });
        await writeFile(p, standaloneReportHtml(plan.report));
      }
    } catch (err) {
      io.stderr.write(`dirsync plan: cannot write the output: ${(err as Error).message}\n`);
      return 1;
    }
    if (args.values['json']) io.stdout.write(JSON.stringify(plan.report, null, 2) + '\n');
    else printSummary(io, plan.report, plan.payload.operations.length);
    return plan.payload.operations.length > 0 ? 2 : 0;
  },
};
