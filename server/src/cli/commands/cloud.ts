/** `dirsync cloud`: runs the local cloud (a Webex-compatible SCIM 2.0 server) in the foreground. */
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { startLocalCloud } from '../../localCloud/index';

const USAGE = `Usage: dirsync cloud --port <port> --db <file> [--org <orgId>] [--log] [--soft-delete-days <n>]
                    [--dialect webex|scim]

Runs the local cloud in the foreground on 127.0.0.1: a Webex-compatible SCIM 2.0 server
(Users, Groups, Bulk, filters, paging, ETags, avatars, soft delete) that keeps its data in the
SQLite file <file>. Point a config's cloud.url at the URL it prints.

The bearer token clients must send is read from the environment variable DIRSYNC_CLOUD_TOKEN;
the command refuses to start without it.

Options:
  -p, --port <port>    TCP port on 127.0.0.1; 0 picks a free one (default 0)
      --db <file>      SQLite database file, created if missing (required)
      --org <orgId>    organization id served (default: the database's; a new database
                       gets a random UUID)
      --log            write every request as a JSON line to stdout
      --soft-delete-days <n>  days a deleted user stays soft-deleted (default 7)
      --dialect <d>    webex (default): accepts and answers only what Webex's published
                       SCIM API does (userType required, Webex's enums, account states,
                       Cisco extension attributes, filter attributes); scim: a plain
                       SCIM 2.0 server for generic clients

Output: the first line on stdout is
  Local cloud listening on http://127.0.0.1:<port>/identity/scim/<orgId>/v2
Stop it with Ctrl+C or SIGTERM.

Exit codes: 0 stopped by a signal, 1 error (usage, missing token, port in use, wrong org).`;

function port(value: unknown): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port must be a port number (0-65535), not ${JSON.stringify(value)}`);
  return n;
}

export const cloudCommand: CliCommand = {
  name: 'cloud',
  summary: 'Run the local cloud (Webex-compatible SCIM 2.0 server) on 127.0.0.1',
  usage: USAGE,
  options: {
    port: { type: 'string', short: 'p' },
    db: { type: 'string' },
    org: { type: 'string' },
    log: { type: 'boolean' },
    'soft-delete-days': { type: 'string' },
    dialect: { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const dbPath = args.values['db'];
    if (typeof dbPath !== 'string' || dbPath === '') throw new UsageError('--db <file> is required');
    const p = port(args.values['port']);
    const days = args.values['soft-delete-days'] === undefined ? 7 : Number(args.values['soft-delete-days']);
    if (!Number.isFinite(days) || days < 0) throw new UsageError('--soft-delete-days must be a number of days ≥ 0');
    const dialect = args.values['dialect'] ?? 'webex';
    if (dialect !== 'webex' && dialect !== 'scim') throw new UsageError(`--dialect must be webex or scim, not ${JSON.stringify(dialect)}`);
    const token = io.env['DIRSYNC_CLOUD_TOKEN'];
    if (!token) {
      io.stderr.write(
        'dirsync cloud: DIRSYNC_CLOUD_TOKEN is not set. Set it to the bearer token clients must send, e.g.\n' +
          '  DIRSYNC_CLOUD_TOKEN=$(openssl rand -hex 16) dirsync cloud --port 8080 --db cloud.db\n',
      );
      return 1;
    }
    const orgId = typeof args.values['org'] === 'string' ? args.values['org'] : undefined;
    const log = args.values['log'] === true;
    const cloud = await startLocalCloud({
      port: p,
      dbPath: dbPath,
      token,
      softDeleteDays: days,
      dialect,
      ...(orgId ? { orgId } : {}),
      ...(log ? { onRequest: (r) => io.stdout.write(JSON.stringify(r) + '\n') } : {}),
    });
    io.stdout.write(`Local cloud listening on ${cloud.baseUrl}\n`);
    io.stderr.write(`org ${cloud.orgId}, database ${dbPath}; admin API under ${cloud.url}/_dirsync/. Ctrl+C stops.\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await cloud.close();
    io.stderr.write('local cloud stopped\n');
    return 0;
  },
};
