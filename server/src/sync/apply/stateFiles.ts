/**
 * A config's small state files under `<stateDir>/state/` (the sync state, the contact ledger, the
 * avatar state): one name per config file, and a write a crash never leaves half done — the JSON goes to a temp file
 * beside it, is flushed to disk, and is renamed over the old one.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<stateDir>/state/<config name>-<8 hex of its path>.<kind>.json`: two configs of one name do not share it. */
export function configStateFile(stateDir: string, configFile: string, kind: string): string {
  const name = basename(configFile).replace(/\.dirsync$/i, '') || 'config';
  const tag = createHash('sha256').update(configFile).digest('hex').slice(0, 8);
  return join(stateDir, 'state', `${name}-${tag}.${kind}.json`);
}

/** Writes `text` to `file` (its folder created when missing), atomically and durably. */
export async function writeTextDurably(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const h = await open(tmp, 'w');
  try {
    await h.writeFile(text, 'utf8');
    await h.datasync();
  } finally {
    await h.close();
  }
  await rename(tmp, file);
}

/** Writes `value` as indented JSON to `file`, atomically and durably. */
export async function writeJsonDurably(file: string, value: unknown): Promise<void> {
  await writeTextDurably(file, JSON.stringify(value, null, 2) + '\n');
}
