/**
 * The contact ledger: which Webex org contacts this config synchronized, and from which AD
 * objectGUID. Webex contacts have no externalId, and Directory Connector deletes only the contacts
 * it synchronized — never those already in Control Hub — so the ledger is what makes a contact
 * dirsync's. One JSON file per config, `<stateDir>/state/<name>-<tag>.contacts.json`, written
 * atomically (temp file + fsync + rename) by every apply that created, matched, updated or
 * deleted contacts, also when it failed or was cancelled part way.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';

const LEDGER_VERSION = 1;

interface LedgerFile {
  readonly version: typeof LEDGER_VERSION;
  readonly config: string;
  /** contactId → objectGUID. */
  readonly contacts: Readonly<Record<string, string>>;
}

export function contactLedgerFile(stateDir: string, configFile: string): string {
  const name = basename(configFile).replace(/\.dirsync$/i, '') || 'config';
  const tag = createHash('sha256').update(configFile).digest('hex').slice(0, 8);
  return join(stateDir, 'state', `${name}-${tag}.contacts.json`);
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
  const file = contactLedgerFile(stateDir, configFile);
  await mkdir(join(stateDir, 'state'), { recursive: true });
  const body: LedgerFile = { version: LEDGER_VERSION, config: configFile, contacts: Object.fromEntries([...ledger].sort()) };
  const tmp = `${file}.${process.pid}.tmp`;
  const h = await open(tmp, 'w');
  try {
    await h.writeFile(JSON.stringify(body, null, 2) + '\n');
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, file);
}
