/**
 * Shared set-up of the sync integration tests: configs written to a temporary folder that point at
 * the real Samba fixture (or an LDIF export) and a real local cloud started in-process, and a
 * minimal test-side writer that creates users from a plan's createUser bodies to put the cloud in a
 * known state (the engine's own apply is another module).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScimClient } from '../../server/src/cloud/index';
import type { SecretResolver } from '../../server/src/avatars/credentials';
import { dryRun } from '../../server/src/sync/engine/dryRun';
import type { SyncPlan } from '../../server/src/sync/contract';
import type { SambaFixture } from '../fixtures/samba/index';
import { TOKEN, type CloudFixture } from './cloud';

export const ROOT = join(__dirname, '../..');

type Json = Record<string, unknown>;

/** A config file for the Samba fixture and a local cloud; `over` replaces top-level sections. */
export function sambaConfig(f: SambaFixture, cloud: CloudFixture, over: Json = {}): Json {
  return {
    version: 1,
    name: 'corp (samba)',
    directory: { type: 'adds', url: f.ldapUrl, bindDn: f.adminDn, password: '${env:DIRSYNC_TEST_AD_PASSWORD}', baseDns: [f.baseDn] },
    cloud: { type: 'scim', url: cloud.cloud.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}' },
    objects: { users: { enabled: true }, groups: { enabled: true }, contacts: { enabled: false }, rooms: { enabled: true } },
    attributes: {
      uid: 'mail',
      displayName: 'displayName',
      givenName: 'givenName',
      sn: 'sn',
      title: 'title',
      departmentNumber: 'department',
      'ds-pwp-account-disabled': 'userAccountControl',
      'sipAddresses;type=enterprise': 'msRTCSIP-PrimaryUserAddress',
      externalId: 'objectGUID',
    },
    policy: { deleteThreshold: { count: 50, percent: 20 }, mismatched: 'retain', protected: { admins: true } },
    ...over,
  };
}

/** Writes a config into a fresh folder (its `.dirsync/` state folder goes there too); returns its path. */
export function writeConfig(config: Json, dir = mkdtempSync(join(tmpdir(), 'dirsync-sync-')), name = 'corp.dirsync'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export function secretsFor(f?: SambaFixture): SecretResolver {
  return (ref) =>
    ref.kind === 'env' && ref.name === 'DIRSYNC_TEST_AD_PASSWORD'
      ? f?.password
      : ref.kind === 'env' && ref.name === 'DIRSYNC_CLOUD_TOKEN'
        ? TOKEN
        : undefined;
}

export function plan(configFile: string, f?: SambaFixture): Promise<SyncPlan> {
  return dryRun({ configFile, secrets: secretsFor(f) });
}

/** Creates, in the cloud, the users of a plan's createUser operations (optionally edited). */
export async function createUsers(
  client: ScimClient,
  p: SyncPlan,
  edit: (body: Record<string, unknown>, label: string) => Record<string, unknown> | undefined = (b) => b,
): Promise<number> {
  let n = 0;
  const bodies = p.payload.operations
    .flatMap((o) => (o.kind === 'createUser' ? [edit({ ...o.body }, o.label)] : []))
    .filter((b): b is Record<string, unknown> => !!b);
  for (let i = 0; i < bodies.length; i += 16) {
    await Promise.all(bodies.slice(i, i + 16).map((b) => client.users.create(b as never)));
    n += bodies.slice(i, i + 16).length;
  }
  return n;
}

/** Runs `bin/dirsync.js` as a user would. */
export function dirsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/dirsync.js'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
