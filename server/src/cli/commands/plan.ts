/**
 * `dirsync plan <config> [--json] [-o plan.json] [--html report.html]`: the dry run from the
 * terminal. Reads AD and the cloud, writes nothing to the cloud, prints what a sync would do.
 *
 * Exit codes (as `terraform plan -detailed-exitcode`): 0 no changes, 2 changes (operations to
 * apply, threshold exceeded or not), 1 error (config errors — the first named file:line:col —,
 * unreachable directory or cloud, missing secret, bad usage).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import type { SyncReport } from '../../../../common/report';
import { dryRun } from '../../sync/engine/dryRun';
import { printReportJson, writeReportJson } from '../../sync/engine/reportFile';
import { standaloneReportHtml } from '../../sync/report/htmlAssets';
import type { SyncPlan, SyncProgress } from '../../sync/contract';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { DEFAULT_LIST_LIMIT, planText } from '../planText';

/** The progress line on a terminal: one line, rewritten in place. */
export function progressLine(io: CliIo): ((p: SyncProgress) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (p) => io.stderr.write(`\r\x1b[K${p.phase}: ${p.message}`);
}

export function endProgress(io: CliIo): void {
  if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
}

/**
 * Writes to a stream, waiting for it to drain when its buffer is full (a large report printed to a
 * pipe). A stream whose reader has gone (EPIPE: `| head -c 10`) takes nothing more, and the
 * command ends as it would have.
 */
export function writeWaiting(stream: NodeJS.WritableStream): (text: string) => Promise<void> | undefined {
  const gone = () => (stream as { destroyed?: boolean }).destroyed === true;
  return (text) => {
    if (gone() || stream.write(text)) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
  };
}

/** Creates the folder an output file goes in; a file in the way is named, not a bare `EEXIST`. */
async function outputFolder(file: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw err;
    // The nearest existing part of the path is the file in the way.
    let blocker = dirname(file);
    while (dirname(blocker) !== blocker && !(await stat(blocker).catch(() => undefined))) blocker = dirname(blocker);
    throw new Error(`${blocker} is a file, not a folder: ${file} cannot be written there`);
  }
}

/** The plan as text: work per kind, the objects per action (at most `limit` each; undefined: all), the verdict. */
export function printSummary(io: CliIo, report: SyncReport, limit: number | undefined, operations: number): void {
  for (const line of planText(report, { colour: !!io.stdout.isTTY && !io.env['NO_COLOR'] }, limit, operations))
    io.stdout.write(line + '\n');
}

/** `--limit N` / `--all` → how many objects each action lists. */
function listLimit(values: Record<string, unknown>): number | undefined {
  if (values['all'] === true) return undefined;
  const raw = values['limit'];
  if (raw === undefined) return DEFAULT_LIST_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--limit takes a whole number of objects, not ${JSON.stringify(raw)}`);
  return n;
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Dry run: what a sync would change in the cloud (exit 0 none, 2 changes, 1 error)',
  usage: `Usage: dirsync plan [options] <config>

Reads the config's directory (live AD or an ldif: export) and the cloud, and prints what a
sync would do: per kind (users, rooms, groups, contacts, pictures) how many to create, update,
deactivate and delete, how many are unchanged and how many are skipped (invalid values,
contacts, protected objects, pictures that cannot be read); then the objects of each action
(updates with each attribute old → new, deletions with why) and the deletion threshold's
verdict. Colour only on a terminal (NO_COLOR turns it off). Writes nothing to the cloud. The report is also saved as
<config folder>/.dirsync/reports/<time>-dryRun.json (and last-dryRun.json).
Secrets come from the environment: \${env:NAME} reads NAME, \${secret:KEY} reads
DIRSYNC_SECRET_<KEY>.

Options:
  --json             print the report (dirsync-report version 2: \`summary\` per report tab,
                     \`work\` per kind and action, \`items\` with each change's values)
  --limit N          list at most N objects per kind and action (default ${DEFAULT_LIST_LIMIT}; 0: counts only)
  --all              list every object
  -o, --out FILE     write the saved plan (the report plus its operations) for \`dirsync apply FILE\`
  --html FILE        write the standalone HTML report
  -h, --help         show this help

Exit codes (like terraform plan -detailed-exitcode): 0 no changes, 2 changes,
1 error (config errors, directory or cloud unreachable, missing secret, bad usage).`,
  options: {
    json: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    html: { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync file');
    const configFile = resolve(io.cwd, args.positionals[0]!);
    const limit = listLimit(args.values);
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
        await outputFolder(p);
        // The saved plan is the report plus its operations (`savedPlan`), written as the saved report
        // is: its items copied, never all in memory.
        await writeReportJson(p, plan.report, { plan: plan.payload });
      }
      const html = args.values['html'] as string | undefined;
      if (html) {
        const p = resolve(io.cwd, html);
        await outputFolder(p);
        // The thumbnails beside the saved report, embedded once each: the file stands alone.
        await writeFile(p, standaloneReportHtml(plan.report, plan.reportFile ? { reportsDir: dirname(plan.reportFile) } : {}));
      }
    } catch (err) {
      io.stderr.write(`dirsync plan: cannot write the output: ${(err as Error).message}\n`);
      return 1;
    }
    if (args.values['json']) await printReportJson(writeWaiting(io.stdout), plan.report).then(() => io.stdout.write('\n'));
    else printSummary(io, plan.report, limit, plan.payload.operations.length);
    return plan.payload.operations.length > 0 ? 2 : 0;
  },
};
