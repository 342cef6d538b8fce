/**
 * Opens the directory a config names: `ldap://` / `ldaps://` → LdapSource (secrets resolved, CA
 * file read relative to the config's folder), `ldif:./file.ldif` → LdifSource.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DirectoryConfig, SecretRef } from '../../../common/config';
import { DirectoryError } from './errors';
import { LdapSource } from './ldapSource';
import { LdifSource } from './ldifSource';
import type { DirectoryEntry, DirectorySource } from './types';

export interface OpenDirectoryOptions {
  /** Folder of the `.dirsync` file: relative paths (LDIF export, CA file) resolve against it. */
  readonly configDir: string;
  /** Reads a secret reference (`${env:…}` / `${secret:…}`); undefined when it is not set. */
  readonly resolveSecret: (ref: SecretRef) => Promise<string | undefined> | string | undefined;
  readonly signal?: AbortSignal;
}

const inDir = (dir: string, p: string) => (isAbsolute(p) ? p : resolve(dir, p));

/** Connects to (or opens) the configured directory. Throws DirectoryError naming what is wrong. */
export async function openDirectory(config: DirectoryConfig, opts: OpenDirectoryOptions): Promise<DirectorySource> {
  const url = config.url.value;
  const baseDns = config.baseDns.map((b) => b.value);
  if (config.source.kind === 'ldif') {
    return LdifSource.open({ path: inDir(opts.configDir, config.source.path), displayName: url, sizeLimit: config.sizeLimit, baseDns });
  }
  let password: string | undefined;
  if (config.password) {
    password = await opts.resolveSecret(config.password.value);
    if (password === undefined) {
      throw new DirectoryError(
        'config',
        `The password for ${config.bindDn?.value ?? 'the bind DN'} is not set: ${config.password.value.text} resolves to nothing. ` +
          `Set it (environment variable or "Dirsync: Bind Directory…") and try again.`,
        url,
      );
    }
  }
  let ca: Buffer | undefined;
  let caFile: string | undefined;
  if (config.tls.caFile) {
    caFile = inDir(opts.configDir, config.tls.caFile.value);
    try {
      ca = readFileSync(caFile);
    } catch (err) {
      throw new DirectoryError(
        'config',
        `Cannot read the CA file ${config.tls.caFile.value} ("tls.caFile", ${caFile}): ${(err as NodeJS.ErrnoException).code ?? err}`,
        url,
        { cause: err },
      );
    }
  }
  return LdapSource.connect(
    {
      url,
      ...(config.bindDn ? { bindDn: config.bindDn.value } : {}),
      ...(password !== undefined ? { password } : {}),
      tls: {
        startTls: config.tls.startTls,
        verify: config.tls.verify,
        ...(ca ? { ca } : {}),
        ...(caFile ? { caFile } : {}),
        ...(config.tls.serverName ? { serverName: config.tls.serverName } : {}),
      },
      baseDns,
      pageSize: config.pageSize,
      sizeLimit: config.sizeLimit,
      timeLimitSeconds: config.timeLimitSeconds,
      connectTimeoutSeconds: config.connectTimeoutSeconds,
    },
    opts.signal,
  );
}

/** A search for one object selection of the config (its base DNs and filter). */
export function selectionSearch(
  selection: { readonly baseDns: ReadonlyArray<{ readonly value: string }>; readonly filter: { readonly value: string } },
  attributes: readonly string[],
  extra: { signal?: AbortSignal; allowPartial?: boolean; sizeLimit?: number } = {},
) {
  return { baseDns: selection.baseDns.map((b) => b.value), filter: selection.filter.value, attributes, ...extra };
}

/** Reads one entry again by its DN (all user attributes, or only `attributes`), or undefined when it is gone. */
export async function readEntry(
  source: DirectorySource,
  dn: string,
  signal?: AbortSignal,
  attributes: readonly string[] = [],
): Promise<DirectoryEntry | undefined> {
  for await (const e of source.search({
    baseDns: [dn],
    scope: 'base',
    filter: '(objectClass=*)',
    attributes,
    ...(signal ? { signal } : {}),
  }))
    return e;
  return undefined;
}
