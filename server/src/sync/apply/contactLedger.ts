/**
 * The contact ledger: which Webex org contacts this config synchronized, and from which AD
 * objectGUID. Webex contacts have no externalId, and Directory Connector deletes only the contacts
 * it synchronized — never those already in Control Hub — so the ledger is what makes a contact
 * dirsync's. One JSON file per config, `<stateDir>/state/<name>-<tag>.contacts.json`, written
 * atomically (temp file + fsync + rename) by every apply that created, matched, updated or
 * deleted contacts, also when it failed or was cancelled part way.
 */
import { readFile } from 'node:fs/promises';
import { configStateFile, writeJsonDurably } from './stateFiles';

const LEDGER_VERSION = 1;

interface LedgerFile {
  readonly version: typeof LEDGER_VERSION;
  readonly config: string;
  /** contactId → objectGUID. */
  readonly contacts: Readonly<Record<string, string>>;
}

export function contactLedgerFile(stateDir: string, configFile: string): string {
  return configStateFile(stateDir, configFile, 'contacts');
}

/** The ledger (contactId → objectGUID); empty when there is none yet. */
export async function readContactLedger(stateDir: string, configFile: string): Promise<Map<string, string>> {
  try {
    const f = JSON.parse(await readFile(contactLedgerFile(stateDir, configFile), 'utf8')) as LedgerFile;
    if (f.version !== LEDGER_VERSION || !f.contacts || typeof f.contacts !== 'object') return new Map();
    return new Map(Object.entries(f.contacts).filter(([, v]) => typeof v === 'string'));
  } catch {
    return new Map();
  }
}

export async function writeContactLedger(stateDir: string, configFile: string, ledger: ReadonlyMap<string, string>): Promise<void> {
  const body: LedgerFile = { version: LEDGER_VERSION, config: configFile, contacts: Object.fromEntries([...ledger].sort()) };
  await writeJsonDurably(contactLedgerFile(stateDir, configFile), body);
}
