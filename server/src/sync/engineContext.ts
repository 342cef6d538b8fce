/**
 * What every apply entry point needs from EngineOptions: the checked config, where state goes,
 * and a SCIM client for the config's cloud whose log events go to the engine's event log.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { envSecretResolver, type SecretResolver } from '../avatars/credentials';
import type { DirsyncConfig } from '../language/config/types';
import { analyze, formatDiagnostic, type Diagnostic } from '../language/service';
import type { EngineEvent, EngineOptions } from './api';
import { ApplyRefusedError } from './applyErrors';
import { configuredCloudClient, type ConfiguredCloud } from './cloudClient';

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

/** Reads and checks the config; a config with errors is refused naming file:line:col. */
export async function loadApplyConfig(options: EngineOptions): Promise<EngineConfig> {
  const configFile = resolve(options.configFile);
  let text = options.configText ?? (await readFile(configFile, 'utf8'));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const a = analyze(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const lines = errors.slice(0, 10).map((d) => formatDiagnostic(configFile, a.lines, d as Diagnostic));
    throw new ApplyRefusedError(`${configFile} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing written:\n${lines.join('\n')}`, 'config');
  }
  return {
    configFile,
    text,
    sha256: sha256(text),
    config: a.config,
    stateDir: options.stateDir ?? join(dirname(configFile), '.dirsync'),
    secrets: options.secrets ?? envSecretResolver(process.env),
  };
}

/** The config's cloud client (cloudClient.ts); a config problem refuses the apply before any write. */
export async function cloudClientFor(ec: EngineConfig, sessionId: string, onEvent?: (e: EngineEvent) => void): Promise<ConfiguredCloud> {
  return configuredCloudClient({
    cloud: ec.config.cloud,
    configFile: ec.configFile,
    secrets: ec.secrets,
    sessionId,
    fail: (message) => new ApplyRefusedError(`${message}; nothing written`, 'config'),
    ...(onEvent ? { onEvent } : {}),
  });
}
