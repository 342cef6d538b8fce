/** Set-up for the end-to-end apply suites: a generated LDIF export, configs, the built CLI. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { formatLdifRecord, LDIF_HEADER } from '../../server/src/directory/ldifWriter';
import { generateDirectory } from '../fixtures/samba/seed/generate';
import { TOKEN } from './syncApply';
import { spawnWatched, type WatchedProcess } from './watchedProcess';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'dirsync.js');

/** Writes an AD-export-style LDIF of `users` generated people (deterministic for a seed). */
export async function writeLdif(file: string, users: number, seed = 7): Promise<void> {
  const out = createWriteStream(file);
  out.write(LDIF_HEADER);
  for (const r of generateDirectory({ seed, users, exportForm: true })) out.write(formatLdifRecord(r) + '\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** A users-only config (no manager: its reference to a user made in the same run needs two passes). */
export function e2eConfig(baseUrl: string, ldif: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      version: 1,
      name: 'e2e',
      directory: { type: 'adds', url: `ldif:${ldif}`, baseDns: ['DC=corp,DC=example,DC=com'] },
      cloud: { type: 'scim', url: baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', concurrency: 8 },
      objects: { users: { enabled: true }, groups: { enabled: false }, contacts: { enabled: false }, rooms: { enabled: false } },
      attributes: {
        uid: 'mail',
        displayName: 'displayName',
        givenName: 'givenName',
        sn: 'sn',
        title: 'title',
        'ds-pwp-account-disabled': 'userAccountControl',
        externalId: 'objectGUID',
      },
      policy: { deleteThreshold: { count: 100, percent: 50 }, mismatched: 'delete' },
      ...extra,
    },
    null,
    2,
  );
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; `onSpawn` gets the child (to kill it). */
export function runCli(args: string[], cwd: string, onSpawn?: (child: ChildProcess) => void): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, DIRSYNC_CLOUD_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** A Service App's credentials the local cloud's token endpoint accepts. */
export interface TestApp {
  readonly id: string;
  readonly secret: string;
  readonly refresh: string;
}

/**
 * Starts `dirsync cloud` in `dir` (scim dialect) with `app`'s token endpoint on and `extra` flags;
 * resolves once it prints its URL and `ready` holds. The caller stops it (it is returned at once).
 */
export function startTokenCloud(
  dir: string,
  app: TestApp,
  extra: readonly string[],
  ready: (p: WatchedProcess) => boolean = () => true,
): { readonly cloud: WatchedProcess; readonly baseUrl: Promise<string> } {
  const cloud = spawnWatched(
    process.execPath,
    [BIN, 'cloud', '--port', '0', '--db', join(dir, 'cloud.db'), '--dialect', 'scim', ...extra],
    {
      cwd: dir,
      env: {
        PATH: process.env['PATH'],
        DIRSYNC_CLOUD_TOKEN: TOKEN,
        DIRSYNC_CLOUD_CLIENT_ID: app.id,
        DIRSYNC_CLOUD_CLIENT_SECRET: app.secret,
        DIRSYNC_CLOUD_REFRESH_TOKEN: app.refresh,
      },
    },
  );
  const baseUrl = cloud
    .until(() => cloud.stdout.length >= 1 && ready(cloud))
    .then(() => /^Local cloud listening on (\S+)$/.exec(cloud.stdout[0]!)![1]!);
  return { cloud, baseUrl };
}

/** `cloud.auth` with the app's credentials from APP_CLIENT_ID, APP_CLIENT_SECRET and APP_REFRESH_TOKEN, and the local cloud's token endpoint. */
export function appAuth(baseUrl: string): Record<string, string> {
  return {
    clientId: '${env:APP_CLIENT_ID}',
    clientSecret: '${env:APP_CLIENT_SECRET}',
    refreshToken: '${env:APP_REFRESH_TOKEN}',
    tokenUrl: `${new URL(baseUrl).origin}/v1/access_token`,
  };
}
