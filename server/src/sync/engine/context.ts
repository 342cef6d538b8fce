/**
 * What every apply entry point needs from EngineOptions: the checked config, where state goes,
 * and a SCIM client for the config's cloud whose log events go to the engine's event log.
 */
import { createHash } from 'node:crypto';
import type { SecretResolver } from '../../avatars/credentials';
import type { DirsyncConfig } from '../../../../common/config';
import type { EngineEvent, EngineOptions } from '../contract';
import { ApplyRefusedError } from '../apply/errors';
import { configuredCloudClient, type ConfiguredCloud } from './cloudClient';
import { EngineError, loadEngineConfig, type LoadedConfig } from './load';

export interface EngineConfig {
  readonly configFile: string;
  readonly text: string;
  readonly sha256: string;
  readonly config: DirsyncConfig;
  readonly stateDir: string;
  readonly secrets: SecretResolver;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads and checks the config (load.ts, the dry run's loader); a config with errors is refused
 * naming file:line:col, before anything is written.
 */
export async function loadApplyConfig(options: EngineOptions): Promise<EngineConfig> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadEngineConfig(options);
  } catch (err) {
    if (err instanceof EngineError) throw new ApplyRefusedError(`${err.message}; nothing written`, 'config');
    throw err;
  }
  return {
    configFile: loaded.file,
    text: loaded.text,
    sha256: loaded.sha256,
    config: loaded.config,
    stateDir: loaded.stateDir,
    secrets: loaded.secrets,
  };
}

/** The config's cloud client (cloudClient.ts); a config problem refuses the apply before any write. */
export async function cloudClientFor(ec: EngineConfig, sessionId: string, onEvent?: (e: EngineEvent) => void): Promise<ConfiguredCloud> {
  return configuredCloudClient({
    cloud: ec.config.cloud,
    configFile: ec.configFile,
    secrets: ec.secrets,
    stateDir: ec.stateDir,
    sessionId,
    fail: (message) => new ApplyRefusedError(`${message}; nothing written`, 'config'),
    ...(onEvent ? { onEvent } : {}),
  });
}
