/**
 * `dirsync serve <config>`: the long-lived service. Runs an incremental sync every
 * schedule.incrementalInterval and a full one every schedule.fullInterval (when set), the first
 * at start (its kind decided by the state file). SIGTERM/SIGINT cancel a running sync cleanly
 * (resumable) and stop the service with exit 0.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import { loadConfig } from '../../language/service';
import { runSync } from '../../sync/engine/sync';
import { ApplyCancelledError } from '../../sync/apply/errors';
import { readSyncState } from '../../sync/engine/syncState';
import type { EngineEvent, SyncMode } from '../../sync/contract';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { doneText, openSyncSession, nothingToDo } from '../syncOutput';

/** Resolves after `ms`, or at once when the signal aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      done();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      done();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function line(io: CliIo, text: string): void {
  io.stderr.write(`${new Date().toISOString()} ${text}\n`);
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: "Run syncs on the config's schedule until stopped (the long-lived service)",
  printsAuthWarnings: true,
  usage: `Usage: dirsync serve [options] <config.dirsync>

Runs as a service: a sync at start, then an incremental sync every schedule.incrementalInterval
(default 4 h) and a full sync every schedule.fullInterval (when set). The first sync is full when
the state file has no earlier one or the mapping/base DNs/filters/avatar settings changed. A
failing sync is logged and retried at the next interval. SIGTERM or Ctrl+C cancels a running
sync cleanly (the next run resumes it) and stops. One line per sync on stderr.

Options:
  --log <file>  append the event log (JSON lines) to <file>
  --once        run one scheduled sync and exit (for a cron job: same choice of full/incremental)
  -h, --help    show this help

Exit codes: 0 stopped by a signal (or --once succeeded), 1 the config has errors or
schedule.enabled is false, or --once failed.`,
  options: { log: { type: 'string' }, once: { type: 'boolean' } },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync file');
    const configFile = resolve(io.cwd, args.positionals[0]!);
    const loaded = loadConfig(await readFile(configFile, 'utf8'));
    if (!loaded.ok) {
      io.stderr.write(`dirsync serve: ${args.positionals[0]} has errors; run \`dirsync check ${args.positionals[0]}\`\n`);
      return 1;
    }
    const schedule = loaded.config.schedule;
    if (!schedule.enabled && !args.values['once']) {
      io.stderr.write('dirsync serve: schedule.enabled is false in the config; nothing to schedule\n');
      return 1;
    }
    const stateDir = join(dirname(configFile), '.dirsync');
    const incMs = schedule.incrementalIntervalSeconds * 1000;
    const fullMs = schedule.fullIntervalSeconds !== undefined ? schedule.fullIntervalSeconds * 1000 : undefined;
    line(
      io,
      `dirsync serve: ${configFile}: incremental every ${schedule.incrementalIntervalSeconds} s${fullMs ? `, full every ${schedule.fullIntervalSeconds} s` : ''}`,
    );
    let ok = true;
    let warnedAt = 0;
    while (!io.signal.aborted) {
      const state = await readSyncState(stateDir, configFile);
      const lastFull = state?.lastFullSync ? Date.parse(state.lastFullSync) : 0;
      const mode: SyncMode = fullMs !== undefined && Date.now() - lastFull >= fullMs ? 'full' : 'incremental';
      const session = openSyncSession(io, args.values['log'] as string | undefined, false);
      const logEvent = session.engine.onEvent;
      // A refresh token about to run out is said on stderr too (once a day): the log may go unread.
      const onEvent = (e: EngineEvent): void => {
        logEvent?.(e);
        if (e.event === 'auth.refreshTokenExpiring' && Date.now() - warnedAt >= 86_400_000) {
          warnedAt = Date.now();
          line(io, `warning: ${e.message}`);
        }
        // A rotated refresh token that could not be kept (the next start of serve would be refused),
        // or one kept for an earlier refresh token that could not be removed (a secret left on disk).
        if (e.event === 'auth.keepFailed' || e.event === 'auth.forgetFailed') line(io, `warning: ${e.message}`);
      };
      try {
        const r = await runSync({ ...session.engine, onEvent, secrets: envSecretResolver(io.env), configFile, mode });
        ok = r.failed === 0;
        line(
          io,
          `${r.report.mode} sync: ${nothingToDo(r) ? 'no changes' : `applied ${r.applied}, failed ${r.failed}${doneText(r)}`} (session ${r.sessionId})`,
        );
        for (const f of r.failures) line(io, `  FAILED ${f.label}: ${f.message}`);
      } catch (err) {
        ok = false;
        if (err instanceof ApplyCancelledError) line(io, `sync cancelled: ${err.message}`);
        else line(io, `sync failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        session.close();
      }
      if (args.values['once']) return ok ? 0 : 1;
      const after = await readSyncState(stateDir, configFile);
      const full = after?.lastFullSync ? Date.parse(after.lastFullSync) : 0;
      await wait(fullMs === undefined ? incMs : Math.min(incMs, Math.max(1000, full + fullMs - Date.now())), io.signal);
    }
    line(io, 'dirsync serve: stopped');
    return 0;
  },
};
