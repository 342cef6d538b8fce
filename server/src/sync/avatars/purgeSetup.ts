/**
 * What `purgeAvatars` opens before planning: the config (blocking on errors in the sections it
 * uses, named file:line:col), the directory, the cloud client and the avatar pipeline. Kept apart
 * from the purge itself so the purge reads as plan → review → apply. The engine's own setup
 * (engine.ts) may replace this once it lands; the behaviour is the same as `dirsync preview`'s.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { envSecretResolver, type SecretResolver } from '../../avatars/credentials';
import { createAvatarPipeline, type AvatarPipeline } from '../../avatars/fromConfig';
import type { ScimClient } from '../../cloud/index';
import { openDirectory, type DirectorySource } from '../../directory/index';
import type { Node } from '../../language/config/tree';
import type { DirsyncConfig } from '../../../../common/config';
import { analyze, formatDiagnostic, type Diagnostic } from '../../language/service';
import type { EngineOptions } from '../contract';
import { configuredCloudClient } from '../engine/cloudClient';

/** Top-level sections a purge reads. Errors elsewhere (schedule, notification, …) do not stop it. */
const PURGE_SECTIONS = new Set(['directory', 'cloud', 'objects', 'attributes', 'avatar']);

/** A problem that stops the purge before anything is read or written; the message says what to fix. */
export class PurgeError extends Error {
  override readonly name = 'PurgeError';
}

export interface PurgeWorld {
  readonly configFile: string;
  readonly configSha256: string;
  readonly config: DirsyncConfig;
  readonly stateDir: string;
  readonly sessionId: string;
  readonly secrets: SecretResolver;
  readonly directory: DirectorySource;
  readonly client: ScimClient;
  readonly avatars: AvatarPipeline;
  close(): Promise<void>;
}

function sectionOf(root: Node | undefined, offset: number): string | undefined {
  for (const p of root?.children ?? []) {
    if (offset >= p.offset && offset < p.offset + p.length) return String(p.children?.[0]?.value);
  }
  return undefined;
}

/** Reads and checks the config; throws PurgeError listing the blocking diagnostics. */
export async function loadPurgeConfig(
  options: Pick<EngineOptions, 'configFile' | 'configText'>,
): Promise<{ config: DirsyncConfig; sha256: string }> {
  let text = options.configText;
  if (text === undefined) {
    try {
      text = await readFile(options.configFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new PurgeError(`cannot read ${options.configFile}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const analysis = analyze(text);
  const blocking = analysis.diagnostics.filter((d) => {
    if (d.severity !== 'error') return false;
    const s = sectionOf(analysis.root, d.range.start);
    return s === undefined ? d.code === 'DS100' || d.code === 'DS109' : PURGE_SECTIONS.has(s);
  });
  if (blocking.length) {
    const lines = blocking.map((d) => formatDiagnostic(options.configFile, analysis.lines, d as Diagnostic));
    throw new PurgeError(
      `${lines.join('\n')}\n${options.configFile} has ${blocking.length} error${blocking.length === 1 ? '' : 's'} in the sections a purge reads; fix them first.`,
    );
  }
  const config = analysis.config;
  if (!config.avatar.enabled)
    throw new PurgeError(`${options.configFile}: avatars are off (avatar.enabled is false): there is nothing to purge`);
  if (!config.objects.users.enabled)
    throw new PurgeError(`${options.configFile}: users are off (objects.users.enabled is false): there is nothing to purge`);
  return { config, sha256 };
}

/** Opens everything the purge needs. Closes what it opened when a later step fails. */
export async function openPurgeWorld(options: EngineOptions): Promise<PurgeWorld> {
  const configFile = resolve(options.configFile);
  const { config, sha256 } = await loadPurgeConfig({ ...options, configFile });
  const secrets = options.secrets ?? envSecretResolver(process.env);
  const sessionId = options.sessionId ?? randomUUID();
  const configDir = dirname(configFile);
  // Checked before the directory is opened, in the key: value form the purge's other messages use.
  if (config.cloud.token && (await secrets(config.cloud.token.value)) === undefined)
    throw new PurgeError(`cloud.token: ${config.cloud.token.value.text} is not set`);
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const directory = await openDirectory(config.directory, {
      configDir,
      resolveSecret: secrets,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    closers.push(() => directory.close());
    // The same client as every other entry point (cloudClient.ts: token, proxy), with the config's flavour.
    const cloud = await configuredCloudClient({
      cloud: config.cloud,
      configFile,
      secrets,
      stateDir: options.stateDir ?? join(configDir, '.dirsync'),
      sessionId,
      flavor: config.cloud.type,
      fail: (message) => new PurgeError(message),
    });
    closers.push(() => cloud.close());
    const client = cloud.client;
    const avatars = await createAvatarPipeline({ avatar: config.avatar, cloudType: config.cloud.type, secrets, users: client.users });
    closers.push(() => avatars.close());
    return {
      configFile,
      configSha256: sha256,
      config,
      stateDir: options.stateDir ?? join(configDir, '.dirsync'),
      sessionId,
      secrets,
      directory,
      client,
      avatars,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
