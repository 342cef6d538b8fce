/**
 * Set-up for the apply suites: a local cloud (real, in-process, 127.0.0.1 port 0), a config file
 * pointing at it in a temp folder, and builders for plans (operations made the way the plan half
 * makes them) so apply is tested on its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScimClient } from '../../server/src/cloud/index';
import { REPORT_CATEGORIES, type ReportCategory, type SyncReport } from '../../common/report';
import { emptyWork } from '../../common/work';
import type { PlanOperation, SyncPlan } from '../../server/src/sync/contract';
import { startCloudFixture, TOKEN, type CloudFixture } from './cloud';

export { TOKEN };
export const LDIF = join(__dirname, '..', '..', 'sample-configs', 'data', 'corp.example.com.ldif');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface ApplyFixture extends CloudFixture {
  readonly configFile: string;
  readonly stateDir: string;
  readonly secrets: () => string;
  admin: ScimClient;
}

/** A config text for the fixture's cloud; `extra` replaces top-level sections. */
export function configText(baseUrl: string, extra: Record<string, unknown> = {}): string {
  const config = {
    version: 1,
    name: 'apply test',
    directory: { type: 'adds', url: `ldif:${LDIF}`, baseDns: ['DC=corp,DC=example,DC=com'] },
    cloud: { type: 'scim', url: baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', concurrency: 4 },
    objects: { users: { enabled: true }, groups: { enabled: true } },
    policy: { deleteThreshold: { count: 50, percent: 50 }, mismatched: 'delete' },
    ...extra,
  };
  return JSON.stringify(config, null, 2);
}

export async function startApplyFixture(extra: Record<string, unknown> = {}): Promise<ApplyFixture> {
  const f = await startCloudFixture();
  const configFile = join(f.dir, 'test.dirsync');
  writeFileSync(configFile, configText(f.cloud.baseUrl, extra));
  return { ...f, configFile, stateDir: join(f.dir, '.dirsync'), secrets: () => TOKEN, admin: f.client({ concurrency: 8 }) };
}

let seq = 0;
const opId = (): string => `op-${String(++seq).padStart(6, '0')}`;

export function guid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function createUser(n: number, extra: Record<string, unknown> = {}): PlanOperation {
  const userName = `user${n}@corp.example.com`;
  return {
    opId: opId(),
    itemId: `u${n}`,
    label: `CN=User ${n},OU=People,DC=corp,DC=example,DC=com`,
    kind: 'createUser',
    body: { schemas: [USER], userName, externalId: guid(n), displayName: `User ${n}`, active: true, ...extra },
  };
}

export function patchUser(n: number, ops: Extract<PlanOperation, { kind: 'patchUser' }>['ops']): PlanOperation {
  return {
    opId: opId(),
    itemId: `u${n}`,
    label: `user${n}@corp.example.com`,
    kind: 'patchUser',
    target: { externalId: guid(n), userName: `user${n}@corp.example.com` },
    ops,
  };
}

export function deleteUser(label: string, target: { cloudId?: string; userName?: string; externalId?: string }): PlanOperation {
  return { opId: opId(), itemId: `d-${label}`, label, kind: 'deleteUser', target };
}

export function createGroup(name: string, ext: string): PlanOperation {
  return {
    opId: opId(),
    itemId: `g-${name}`,
    label: `CN=${name},OU=Groups,DC=corp,DC=example,DC=com`,
    kind: 'createGroup',
    body: { schemas: [GROUP], displayName: name, externalId: ext },
  };
}

export function members(name: string, ext: string, add: number[], remove: number[] = []): PlanOperation {
  const ref = (n: number) => ({ externalId: guid(n), userName: `user${n}@corp.example.com` });
  return {
    opId: opId(),
    itemId: `m-${name}`,
    label: `CN=${name},OU=Groups,DC=corp,DC=example,DC=com`,
    kind: 'groupMembers',
    target: { externalId: ext, userName: name },
    add: add.map(ref),
    remove: remove.map(ref),
  };
}

/** A plan around operations, with a minimal report (counts from the operations). */
export function makePlan(operations: PlanOperation[], threshold: Partial<SyncReport['threshold']> = {}): SyncPlan {
  const summary = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
  summary.added = operations.filter((o) => o.kind === 'createUser').length;
  summary.deleted = operations.filter((o) => o.kind === 'deleteUser').length;
  const report: SyncReport = {
    format: 'dirsync-report',
    version: 2,
    sessionId: `plan-${seq}`,
    generatedAt: new Date().toISOString(),
    mode: 'dryRun',
    config: { file: 'test.dirsync', sha256: 'x' },
    directory: { url: 'ldif:test', kind: 'ldif', fingerprint: 'f' },
    cloud: { url: 'http://127.0.0.1', type: 'scim' },
    summary,
    work: emptyWork(),
    threshold: { deletions: summary.deleted, owned: 100, disabled: false, exceeded: false, ...threshold },
    items: [],
    messages: [],
  };
  return { report, payload: { version: 1, basis: { configSha256: 'x', directoryFingerprint: 'f', cloudFingerprint: 'c' }, operations } };
}

/** Every user in the cloud (SCIM list), by userName. */
export async function cloudUsers(client: ScimClient): Promise<Map<string, { id: string; externalId?: string; displayName?: string }>> {
  const out = new Map<string, { id: string; externalId?: string; displayName?: string }>();
  for await (const u of client.users.list({ pageSize: 1000 })) {
    const key = String(u.userName).toLowerCase();
    if (out.has(key)) throw new Error(`duplicate userName in the cloud: ${key}`);
    out.set(key, {
      id: u.id!,
      ...(u.externalId ? { externalId: String(u.externalId) } : {}),
      ...(u.displayName ? { displayName: String(u.displayName) } : {}),
    });
  }
  return out;
}

/** Write requests (anything but GET) the cloud saw since request number `since`. */
export function writes(f: CloudFixture, since = 0): number {
  return f.cloud.requests(since).filter((r) => r.method !== 'GET' && !r.path.includes('_dirsync')).length;
}
