/**
 * `dirsync sync <config> [--incremental]`: dry run + apply in one go, full by default. An
 * incremental sync reads only what changed since the last sync (uSNChanged above the state
 * file's mark) and falls back to a full one when there is no mark or the mapping, base DNs,
 * filters or avatar settings changed.
 */
import { resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import { runSync } from '../../sync/engine/sync';
import { UsageError, type CliCommand } from '../command';
import { openSyncSession, printError, printResult } from '../syncOutput';
import { SYNC_EXIT_CODES, SYNC_OUTPUT_OPTIONS } from './apply';

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Synchronize a config now: dry run + apply (full, or --incremental)',
  usage: `Usage: dirsync sync [options] <config.dirsync>

Reads the directory and the cloud, makes the plan and applies it. Full by default; with
--incremental only entries changed since the last successful sync are read (their uSNChanged
above the mark kept in <config folder>/.dirsync/state/; an ldif: source has no USN, so it is a
full comparison), deletions are still found by comparison. A change to the mapping, base DNs,
filters or avatar settings since the last sync forces a full sync (as Directory Connector does).
A killed or cancelled sync is resumable: run it again.

Options:
  --incremental incremental instead of full
${SYNC_OUTPUT_OPTIONS}
  -h, --help    show this help

${SYNC_EXIT_CODES}`,
  options: { incremental: { type: 'boolean' }, json: { type: 'boolean' }, log: { type: 'string' } },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync file');
    const json = args.values['json'] === true;
    const session = openSyncSession(io, args.values['log'] as string | undefined);
    try {
      const result = await runSync({
        ...session.engine,
        secrets: envSecretResolver(io.env),
        configFile: resolve(io.cwd, args.positionals[0]!),
        mode: args.values['incremental'] ? 'incremental' : 'full',
      });
      session.close();
      return printResult(io, result, json);
    } catch (err) {
      session.close();
      return printError(io, 'sync', err, json);
    }
  },
};
