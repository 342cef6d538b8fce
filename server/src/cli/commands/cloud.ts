/** `dirsync cloud`: runs the local cloud (a Webex-compatible SCIM 2.0 server) in the foreground. */
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import type { LocalOAuthOptions } from '../../localCloud/index';

const USAGE = `Usage: dirsync cloud --port <port> --db <file> [--org <orgId>] [--log] [--soft-delete-days <n>]
                    [--dialect webex|scim] [--token-lifetime <s>] [--refresh-token-lifetime <s>]
                    [--retire-starting-refresh-token]

Runs the local cloud in the foreground on 127.0.0.1: a Webex-compatible SCIM 2.0 server
(Users, Groups, Bulk, filters, paging, ETags, avatars, soft delete) that keeps its data in the
SQLite file <file>. Point a config's cloud.url at the URL it prints.

The bearer token clients must send is read from the environment variable DIRSYNC_CLOUD_TOKEN;
the command refuses to start without it.

With DIRSYNC_CLOUD_CLIENT_ID, DIRSYNC_CLOUD_CLIENT_SECRET and DIRSYNC_CLOUD_REFRESH_TOKEN set,
it also serves a Webex-like OAuth token endpoint, POST /v1/access_token (refresh_token grant,
form-encoded), for a config's cloud.auth: every refresh gives a new access token and a new
refresh token and retires the refresh token it used, except the starting one (as though the
admin fetched it again); an expired access token is refused with 401.

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
      --token-lifetime <s>          seconds an issued access token lasts (default 3600)
      --refresh-token-lifetime <s>  seconds an issued refresh token lasts (default 7776000,
                                    90 days)
      --retire-starting-refresh-token  retire DIRSYNC_CLOUD_REFRESH_TOKEN after its first use,
                                    as a strictly rotating OAuth server does: a client that
                                    restarts must use the refresh token it was last given

Output: the first line on stdout is
  Local cloud listening on http://127.0.0.1:<port>/identity/scim/<orgId>/v2
Stop it with Ctrl+C or SIGTERM.

Exit codes: 0 stopped by a signal, 1 error (usage, missing token, port in use, wrong org).`;

function seconds(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of seconds ≥ 1, not ${JSON.stringify(value)}`);
  return n;
}

/** The token endpoint's credentials from the environment: all three, none, or a usage error. */
function oauthFromEnv(io: CliIo, args: { values: Record<string, unknown> }): LocalOAuthOptions | undefined {
  const names = ['DIRSYNC_CLOUD_CLIENT_ID', 'DIRSYNC_CLOUD_CLIENT_SECRET', 'DIRSYNC_CLOUD_REFRESH_TOKEN'] as const;
  const [clientId, clientSecret, refreshToken] = names.map((n) => io.env[n]);
  const tokenLifetimeSeconds = seconds(args.values['token-lifetime'], '--token-lifetime', 3600);
  const refreshTokenLifetimeSeconds = seconds(args.values['refresh-token-lifetime'], '--refresh-token-lifetime', 90 * 86_400);
  const retire = args.values['retire-starting-refresh-token'] === true;
  if (!clientId && !clientSecret && !refreshToken) {
    const flag = (['token-lifetime', 'refresh-token-lifetime', 'retire-starting-refresh-token'] as const).find(
      (f) => args.values[f] !== undefined,
    );
    if (flag) throw new UsageError(`--${flag} needs the token endpoint: set ${names.join(', ')}`);
    return undefined;
  }
  if (!clientId || !clientSecret || !refreshToken)
    throw new UsageError(`the token endpoint needs all of ${names.join(', ')}; ${names.filter((n) => !io.env[n]).join(', ')} not set`);
  return {
    clientId,
    clientSecret,
    refreshToken,
    tokenLifetimeSeconds,
    refreshTokenLifetimeSeconds,
    ...(retire ? { retireStartingRefreshToken: true } : {}),
  };
}

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
    'token-lifetime': { type: 'string' },
    'refresh-token-lifetime': { type: 'string' },
    'retire-starting-refresh-token': { type: 'boolean' },
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
    const oauth = oauthFromEnv(io, args);
    const orgId = typeof args.values['org'] === 'string' ? args.values['org'] : undefined;
    const log = args.values['log'] === true;
    // Loaded here: the local cloud and SQLite are not loaded by the other commands.
    const { startLocalCloud } = await import('../../localCloud/index');
    const cloud = await startLocalCloud({
      port: p,
      dbPath: dbPath,
      token,
      softDeleteDays: days,
      dialect,
      ...(orgId ? { orgId } : {}),
      ...(oauth ? { oauth } : {}),
      ...(log ? { onRequest: (r) => io.stdout.write(JSON.stringify(r) + '\n') } : {}),
    });
    io.stdout.write(`Local cloud listening on ${cloud.baseUrl}\n`);
    io.stderr.write(`org ${cloud.orgId}, database ${dbPath}; admin API under ${cloud.url}/_dirsync/. Ctrl+C stops.\n`);
    if (oauth)
      io.stderr.write(
        `token endpoint ${cloud.url}/v1/access_token: access tokens last ${oauth.tokenLifetimeSeconds} s, refresh tokens ${oauth.refreshTokenLifetimeSeconds} s; the starting refresh token ${oauth.retireStartingRefreshToken ? 'is retired after its first use' : 'stays valid'}\n`,
      );
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await cloud.close();
    io.stderr.write('local cloud stopped\n');
    return 0;
  },
};
