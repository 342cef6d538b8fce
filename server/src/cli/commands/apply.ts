/**
 * `dirsync apply <config|plan.json>`: a config is planned and applied in one go (a full sync); a
 * saved plan (`dirsync plan <config> -o plan.json`) is checked against a fresh plan and applied
 * only where they agree (engine/sync.ts, `applySavedPlan`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import { applySavedPlan, runSync } from '../../sync/engine/sync';
import { UsageError, type CliCommand } from '../command';
import { openSyncSession, printError, printResult } from '../syncOutput';

export const SYNC_EXIT_CODES = `Exit codes (like terraform -detailed-exitcode):
  0  nothing to do: the cloud already matched
  2  changes applied
  1  error: the config has errors, a secret is not set, the directory or the cloud failed,
     an operation failed (each named on stdout), the sync was cancelled (re-run to resume),
     or the plan was refused — over the deletion threshold, deleting all full admins,
     or a saved plan that does not hold: its config, the directory or the cloud changed, it
     was already applied, or an operation differs from a fresh plan's (the reason is on stderr)`;

export const SYNC_OUTPUT_OPTIONS = `  --json        print the result as one JSON object {format: "dirsync-apply", version: 1,
                sessionId, mode, applied, resumed, failed, skipped, failures: [{opId, label,
                message}], summary, work, planned, threshold} (or {error, refused, objects}
                when refused); work: what was done per kind (users, rooms, groups, contacts,
                pictures) and action (create, update, deactivate, delete), counted from the
                operations that completed; planned: the plan's work
  --log <file>  append the event log to <file>: JSON lines {time, sessionId, level, event,
                message, dn, userName, …}; never a secret`;

/** A saved plan is JSON with the report's format marker; a config is JSONC without it. */
async function isPlanFile(path: string): Promise<boolean> {
  if (path.toLowerCase().endsWith('.dirsync')) return false;
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown };
    return v?.format === 'dirsync-report';
  } catch {
    return false;
  }
}

export const applyCommand: CliCommand = {
  name: 'apply',
  summary: 'Apply a config (plan + write) or a saved plan file to the cloud',
  usage: `Usage: dirsync apply [options] <config.dirsync | plan.json>

With a config: makes a plan (a dry run) and applies it — a full sync. With a saved plan
(\`dirsync plan <config> -o plan.json\`): reads both sides again, makes a fresh plan and applies
the reviewed operations only when the fresh plan has the same ones — same config, directory and
cloud, same targets and values; else refused, nothing written, naming the first difference. The
deletion threshold is recounted from the operations, never read from the file.

The deletion threshold is checked before the first write; a killed or cancelled apply is
resumable: run the same command again. Secrets come from the environment (\${env:NAME},
\${secret:KEY} → DIRSYNC_SECRET_KEY). A progress line is drawn on stderr when it is a terminal.

Options:
  --config <file>  with a plan file: the config it was made from (default: the plan's
                config.file, relative to the plan file's folder)
${SYNC_OUTPUT_OPTIONS}
  -h, --help    show this help

${SYNC_EXIT_CODES}`,
  options: { json: { type: 'boolean' }, log: { type: 'string' }, config: { type: 'string' } },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync config or plan .json file');
    const target = resolve(io.cwd, args.positionals[0]!);
    if (args.values['config'] !== undefined && !(await isPlanFile(target)))
      throw new UsageError('--config goes with a plan file, not a config');
    const json = args.values['json'] === true;
    const session = openSyncSession(io, args.values['log'] as string | undefined);
    const secrets = envSecretResolver(io.env);
    try {
      const result = (await isPlanFile(target))
        ? await applySavedPlan(target, {
            ...session.engine,
            secrets,
            ...(typeof args.values['config'] === 'string' ? { configFile: resolve(io.cwd, args.values['config']) } : {}),
          })
        : await runSync({ ...session.engine, secrets, configFile: target, mode: 'full' });
      session.close();
      return printResult(io, result, json);
    } catch (err) {
      session.close();
      return printError(io, 'apply', err, json);
    }
  },
};
