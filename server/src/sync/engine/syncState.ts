/**
 * The sync state file: one JSON file per config in `<stateDir>/state/<name>.sync.json`, written
 * atomically (temp file + fsync + rename) after each successful sync. It holds
 *
 * - `settingsHash`: SHA-256 over what decides WHICH objects and WHICH values are synchronized —
 *   directory URL, base DNs, object selections (enabled, base DNs, filters), the attribute and
 *   contact mappings, the avatar settings. When it differs from the config's, the next sync is a
 *   full one whatever was asked (Directory Connector does the same after a mapping change).
 * - `highWaterMarks`: per domain controller (its dnsHostName, else the URL), the root DSE's
 *   `highestCommittedUSN` read BEFORE the last successful sync's directory read. An incremental
 *   sync reads only entries with `uSNChanged` above it (`incrementalFilter`). An LDIF export has
 *   no USN: an incremental sync of an `ldif:` source is a full comparison.
 * - `lastFullSync` / `lastIncrementalSync` (ISO 8601), for `dirsync serve`'s schedule.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { configStateFile, writeJsonDurably } from '../apply/stateFiles';
import type { DirsyncConfig } from '../../../../common/config';
import type { SyncMode } from '../contract';

export const STATE_VERSION = 1;

export interface SyncState {
  readonly version: typeof STATE_VERSION;
  readonly config: string;
  readonly settingsHash: string;
  readonly highWaterMarks: Readonly<Record<string, string>>;
  readonly lastFullSync?: string;
  readonly lastIncrementalSync?: string;
}

/** The hash of the settings whose change forces a full sync. */
export function settingsHash(config: DirsyncConfig): string {
  const sel = (s: DirsyncConfig['objects']['users']) => ({
    enabled: s.enabled,
    baseDns: s.baseDns.map((d) => d.value.toLowerCase()),
    filter: s.filter.value,
  });
  const map = (m: DirsyncConfig['attributes']) => m.map((a) => [a.cloud.value, a.expression.value]);
  const a = config.avatar;
  const material = {
    directory: { url: config.directory.url.value, baseDns: config.directory.baseDns.map((d) => d.value.toLowerCase()) },
    objects: {
      users: sel(config.objects.users),
      groups: sel(config.objects.groups),
      contacts: sel(config.objects.contacts),
      rooms: { ...sel(config.objects.rooms), identifyBy: config.objects.rooms.identifyBy },
    },
    attributes: map(config.attributes),
    contactAttributes: map(config.contactAttributes),
    avatar: {
      enabled: a.enabled,
      source: a.source,
      attribute: a.attribute?.value,
      uriPattern: a.uriPattern?.value,
      removeWhenSourceEmpty: a.removeWhenSourceEmpty,
      maxBytes: a.maxBytes,
      publish: a.publish?.url.value,
    },
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

export function stateFile(stateDir: string, configFile: string): string {
  return configStateFile(stateDir, configFile, 'sync');
}

export async function readSyncState(stateDir: string, configFile: string): Promise<SyncState | undefined> {
  try {
    const s = JSON.parse(await readFile(stateFile(stateDir, configFile), 'utf8')) as SyncState;
    return s.version === STATE_VERSION ? s : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSyncState(stateDir: string, configFile: string, state: SyncState): Promise<void> {
  await writeJsonDurably(stateFile(stateDir, configFile), state);
}

/** Which sync actually runs, and why when it differs from what was asked. */
export interface ModeDecision {
  readonly mode: SyncMode;
  readonly reason?: string;
  /** The USN mark an incremental read starts above (undefined: full comparison). */
  readonly sinceUsn?: string;
}

/**
 * Decides between incremental and full: incremental needs a state file made with the same
 * settings; the USN mark needs a directory that has one (LDAP; not an LDIF export).
 */
export function decideMode(
  requested: SyncMode,
  config: DirsyncConfig,
  state: SyncState | undefined,
  dcKey: string | undefined,
): ModeDecision {
  if (requested === 'full') return { mode: 'full' };
  if (!state) return { mode: 'full', reason: 'no earlier successful sync of this config: a full sync runs first' };
  if (state.settingsHash !== settingsHash(config)) {
    return {
      mode: 'full',
      reason:
        'the mapping, base DNs, filters or avatar settings changed since the last sync: a full sync runs (as Directory Connector does)',
    };
  }
  const mark = dcKey ? state.highWaterMarks[dcKey] : undefined;
  if (!mark)
    return {
      mode: 'incremental',
      reason: 'the directory has no uSNChanged watermark (LDIF export or a new domain controller): incremental is a full comparison',
    };
  return { mode: 'incremental', sinceUsn: mark };
}

/** `(&<filter>(uSNChanged>=<mark+1>))`: the entries changed since the mark (LDAP has no `>`). */
export function incrementalFilter(filter: string, sinceUsn: string): string {
  const next = (BigInt(sinceUsn) + 1n).toString();
  return `(&${filter.startsWith('(') ? filter : `(${filter})`}(uSNChanged>=${next}))`;
}
