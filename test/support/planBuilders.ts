/** Plain-object fixtures for the planner's unit tests: configs from JSON, AD entries, cloud users. */
import { parseGuid } from '../../server/src/domain/adValues';
import { analyze } from '../../server/src/language/service';
import type { DirsyncConfig } from '../../common/config';
import type { DirectoryEntry } from '../../server/src/domain/entry';
import type { ScimUser } from '../../server/src/cloud/schemas';
import { buildPlan, type DirectoryItem, type PlanInput } from '../../server/src/sync/plan/build';
import type { SyncPlan } from '../../server/src/sync/contract';

export const BASE = 'DC=corp,DC=example,DC=com';

type Json = Record<string, unknown>;

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' ? merge(a[k] as Json, v as Json) : v;
  }
  return out;
}

/** A valid config (LDIF directory, local SCIM cloud) with `over` merged in; throws on config errors. */
export function configText(over: Json = {}): string {
  const base: Json = {
    version: 1,
    name: 'unit',
    directory: { type: 'adds', url: 'ldif:./x.ldif', baseDns: [BASE] },
    cloud: { type: 'scim', url: 'http://127.0.0.1:9/identity/scim/o/v2', token: '${env:T}' },
    objects: { users: { enabled: true }, groups: { enabled: true }, contacts: { enabled: false }, rooms: { enabled: true } },
    attributes: {
      uid: 'mail',
      displayName: 'displayName',
      givenName: 'givenName',
      sn: 'sn',
      telephoneNumber: 'telephoneNumber',
      preferredLanguage: 'preferredLanguage',
      manager: 'manager',
      'ds-pwp-account-disabled': 'userAccountControl',
      'sipAddresses;type=enterprise': 'msRTCSIP-PrimaryUserAddress',
      externalId: 'objectGUID',
    },
    policy: { deleteThreshold: { count: 10, percent: 50 }, mismatched: 'retain', protected: { admins: true } },
  };
  return JSON.stringify(merge(base, over), null, 2);
}

export function config(over: Json = {}): DirsyncConfig {
  const a = analyze(configText(over));
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`test config has errors: ${errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
  return a.config;
}

/** A GUID whose last group is `n` (readable in assertions). */
export const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** An AD person. `attrs` values are strings; objectGUID is set from `n`. */
export function person(n: number, cn: string, attrs: Record<string, string | string[]> = {}, ou = 'OU=People'): DirectoryEntry {
  const a: Record<string, Array<string | Uint8Array>> = {
    objectguid: [parseGuid(guid(n))],
    useraccountcontrol: ['512'],
    displayname: [cn],
    mail: [`${cn.toLowerCase().replace(/ /g, '.')}@corp.example.com`],
  };
  for (const [k, v] of Object.entries(attrs)) {
    if (v === '' || (Array.isArray(v) && v.length === 0)) delete a[k.toLowerCase()];
    else a[k.toLowerCase()] = Array.isArray(v) ? v : [v];
  }
  return { dn: `CN=${cn},${ou},${BASE}`, attributes: a };
}

export function groupEntry(n: number, cn: string, members: string[]): DirectoryEntry {
  return { dn: `CN=${cn},OU=Groups,${BASE}`, attributes: { objectguid: [parseGuid(guid(n))], cn: [cn], member: members } };
}

export function cloudUser(id: string, userName: string, extra: Partial<ScimUser> = {}): ScimUser {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, userName, active: true, meta: { version: 'W/"1"' }, ...extra };
}

export function items(selection: DirectoryItem['selection'], entries: DirectoryEntry[]): DirectoryItem[] {
  return entries.map((entry) => ({ selection, entry }));
}

/** Runs the planner on plain objects. */
export function plan(
  cfg: DirsyncConfig,
  directory: DirectoryItem[],
  cloudUsers: ScimUser[],
  extra: Partial<PlanInput> = {},
): Promise<SyncPlan> {
  return buildPlan({
    config: cfg,
    configSha256: 'c0ffee',
    directory,
    cloudUsers,
    cloudGroups: [],
    meta: {
      sessionId: 's1',
      generatedAt: '2026-01-01T00:00:00.000Z',
      configFile: 'unit.dirsync',
      directory: { url: 'ldif:./x.ldif', kind: 'ldif' },
      cloud: { url: 'http://127.0.0.1:9/identity/scim/o/v2', type: 'scim' },
    },
    ...extra,
  });
}

export const byDn = (p: SyncPlan, cn: string) => p.report.items.find((i) => i.dn?.startsWith(`CN=${cn},`));
export const byUser = (p: SyncPlan, userName: string) => p.report.items.find((i) => i.userName === userName);
