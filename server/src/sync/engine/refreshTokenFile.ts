/**
 * A rotated refresh token kept for the next process: `cloud.auth` with an OAuth server that rotates
 * refresh tokens retires the one a grant used, so a restarted dirsync must start from the newest,
 * not from the config's. It is kept in `<stateDir>/state/refresh-token-<16 hex>.json`, named and
 * stamped with a digest of the token endpoint, client id and the CONFIGURED refresh token it
 * replaced: when the admin puts a new refresh token into the config, the digest changes and the
 * kept one is no longer used (the config wins). The file also holds a digest of the token endpoint
 * and client id alone (`app`): once a grant from the new configured token succeeded, the files kept
 * for the same endpoint and client but another configured token are removed (`forgetReplaced`), so
 * a still-valid refresh token does not stay on disk. A file from before `app` was written is still
 * read, and gets it with the next rotated token saved (a token endpoint that keeps no files does not
 * rotate; one that does, rotates at every grant). The file is written atomically (a new temp file
 * created with mode 0600, flushed, renamed over the old one), and the folder gets a `.gitignore`
 * of `*` so the secret never lands in Git. Its value is never logged or reported.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RefreshTokenStore } from '../../cloud/index';
import { writeTextDurably } from '../apply/stateFiles';

const VERSION = 1;

export interface RefreshTokenKey {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** The refresh token the config names. */
  readonly refreshToken: string;
}

/** What the file holds. */
interface KeptToken {
  readonly version: typeof VERSION;
  /** SHA-256 of the token endpoint and client id (absent in files written before it was added). */
  readonly app?: string;
  /** SHA-256 of the token endpoint, client id and configured refresh token this one replaced. */
  readonly replaces: string;
  readonly refreshToken: string;
  /** ISO 8601, when the token endpoint said. */
  readonly expiresAt?: string;
  readonly savedAt: string;
}

/** The digest a kept token is filed under: the configured refresh token it replaced, for one Service App and endpoint. */
export function refreshTokenDigest(key: RefreshTokenKey): string {
  return createHash('sha256')
    .update(JSON.stringify(['dirsync refresh token', key.tokenUrl, key.clientId, key.refreshToken]))
    .digest('hex');
}

/** The digest of one Service App at one token endpoint, whatever refresh token the config names. */
export function refreshTokenAppDigest(key: Pick<RefreshTokenKey, 'tokenUrl' | 'clientId'>): string {
  return createHash('sha256')
    .update(JSON.stringify(['dirsync refresh token app', key.tokenUrl, key.clientId]))
    .digest('hex');
}

/** A kept refresh token's file name, whatever the configured token it replaced. */
const KEPT_NAME = /^refresh-token-[0-9a-f]{16}\.json$/;

/** `<stateDir>/state/refresh-token-<first 16 hex of the digest>.json`. */
export function refreshTokenFile(stateDir: string, key: RefreshTokenKey): string {
  return join(stateDir, 'state', `refresh-token-${refreshTokenDigest(key).slice(0, 16)}.json`);
}

/** The kept refresh token in `text` if it replaced the configured one (`digest`) and has not expired. */
export function keptRefreshToken(text: string, digest: string, now: number): string | undefined {
  let k: Partial<KeptToken>;
  try {
    k = JSON.parse(text) as Partial<KeptToken>;
  } catch {
    return undefined;
  }
  if (!k || k.version !== VERSION || k.replaces !== digest || typeof k.refreshToken !== 'string' || k.refreshToken === '') return undefined;
  if (k.expiresAt !== undefined && !(Date.parse(k.expiresAt) > now)) return undefined;
  return k.refreshToken;
}

/** Writes `text` to `file` atomically, readable and writable by its owner only (0600). */
export function writeSecretFile(file: string, text: string): Promise<void> {
  return writeTextDurably(file, text, { mode: 0o600 });
}

/** Creates the state folder (owner only when new) with a `.gitignore` that keeps all of it out of Git. */
async function ensureStateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFile(join(folder, '.gitignore'), "# dirsync's state (and a kept refresh token): never commit it\n*\n", { flag: 'wx' }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
}

/**
 * The files one provider keeps its rotated refresh token in: the state folder of every config in
 * this process that shares the Service App and refresh token (`add`). It loads the newest kept
 * token and saves to them all.
 */
export class RefreshTokenFiles implements RefreshTokenStore {
  private readonly stateDirs = new Set<string>();
  /** State folders whose files kept for other configured refresh tokens are gone. */
  private readonly forgotten = new Set<string>();
  private readonly digest: string;
  private readonly app: string;

  constructor(
    private readonly key: RefreshTokenKey,
    private readonly now: () => number = Date.now,
  ) {
    this.digest = refreshTokenDigest(key);
    this.app = refreshTokenAppDigest(key);
  }

  add(stateDir: string): void {
    this.stateDirs.add(stateDir);
  }

  /** The files, for messages and tests. */
  files(): string[] {
    return [...this.stateDirs].map((d) => refreshTokenFile(d, this.key));
  }

  async load(): Promise<string | undefined> {
    let best: { token: string; savedAt: string } | undefined;
    for (const file of this.files()) {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const token = keptRefreshToken(text, this.digest, this.now());
      if (token === undefined) continue;
      const kept = JSON.parse(text) as KeptToken;
      const savedAt = String(kept.savedAt ?? '');
      if (!best || savedAt > best.savedAt) best = { token, savedAt };
    }
    return best?.token;
  }

  /**
   * Removes, from each state folder, the refresh tokens kept for the same token endpoint and client
   * but another configured refresh token: called once a grant of this one's chain succeeded, so
   * the config's newer token has replaced them. Files without `app` (from before it was written,
   * for a token no longer configured) cannot be told apart from another app's and are left.
   * Throws a message naming the file it could not remove.
   */
  async forgetReplaced(): Promise<void> {
    const own = this.digest.slice(0, 16);
    for (const stateDir of this.stateDirs) {
      if (this.forgotten.has(stateDir)) continue;
      const folder = join(stateDir, 'state');
      const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return []; // no folder: nothing kept there
        throw new Error(`Could not read ${folder} to remove refresh tokens kept for an earlier cloud.auth.refreshToken (${err.code})`);
      });
      for (const name of names) {
        if (!KEPT_NAME.test(name) || name === `refresh-token-${own}.json`) continue;
        const file = join(folder, name);
        const text = await readFile(file, 'utf8').catch(() => undefined);
        let kept: Partial<KeptToken> | undefined;
        try {
          kept = text === undefined ? undefined : (JSON.parse(text) as Partial<KeptToken>);
        } catch {
          kept = undefined;
        }
        if (kept?.app !== this.app || kept.replaces === this.digest) continue;
        await unlink(file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') {
            throw new Error(
              `Could not remove ${file}, the refresh token kept for an earlier cloud.auth.refreshToken (${err.code}): delete it by hand`,
            );
          }
        });
      }
      this.forgotten.add(stateDir);
    }
  }

  async save(refreshToken: string, expiresAt: number | undefined): Promise<void> {
    const kept: KeptToken = {
      version: VERSION,
      app: this.app,
      replaces: this.digest,
      refreshToken,
      ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      savedAt: new Date(this.now()).toISOString(),
    };
    const text = JSON.stringify(kept, null, 2) + '\n';
    for (const file of this.files()) {
      try {
        const folder = join(file, '..');
        await ensureStateFolder(folder);
        await writeSecretFile(file, text);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(`Could not keep the new refresh token in ${file} (${code ?? (err as Error).message})`);
      }
    }
  }
}
