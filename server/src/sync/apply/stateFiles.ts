/**
 * A config's small state files under `<stateDir>/state/` (the sync state, the contact ledger, the
 * avatar state): one name per config file, and a write a crash never leaves half done — the JSON goes to a temp file
 * beside it, is flushed to disk, and is renamed over the old one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<stateDir>/state/<config name>-<8 hex of its path>.<kind>.json`: two configs of one name do not share it. */
export function configStateFile(stateDir: string, configFile: string, kind: string): string {
  const name = basename(configFile).replace(/\.dirsync$/i, '') || 'config';
  const tag = createHash('sha256').update(configFile).digest('hex').slice(0, 8);
  return join(stateDir, 'state', `${name}-${tag}.${kind}.json`);
}

/**
 * Writes `text` to `file` (its folder created when missing), atomically and durably: a new temp file
 * of a name no other write uses, flushed, renamed over the old one; a failed write leaves no temp
 * file. With `mode` (a secret: 0o600) the temp file is created with it (the umask can only remove
 * bits) and set to it, so the file is never readable by others, not even for a moment.
 */
export async function writeTextDurably(file: string, text: string, opts: { readonly mode?: number } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const h = await open(tmp, 'wx', opts.mode ?? 0o666);
  try {
    try {
      if (opts.mode !== undefined) await h.chmod(opts.mode);
      await h.writeFile(text, 'utf8');
      await h.datasync();
    } finally {
      await h.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Writes `value` as indented JSON to `file`, atomically and durably. */
export async function writeJsonDurably(file: string, value: unknown): Promise<void> {
  await writeTextDurably(file, JSON.stringify(value, null, 2) + '\n');
}
