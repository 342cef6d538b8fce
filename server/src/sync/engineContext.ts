/**
 * What every apply entry point needs from EngineOptions: the checked config, where state goes,
 * and a SCIM client for the config's cloud whose log events go to the engine's event log.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { envSecretResolver, type SecretResolver } from '../avatars/credentials';
import { ProxyAgent } from 'undici';
import { createScimClient, type CloudLogEvent, type ScimClient } from '../cloud/index';
import type { DirsyncConfig } from '../language/config/types';
import { analyze, formatDiagnostic, type Diagnostic } from '../language/service';
import type { EngineEvent, EngineOptions } from './api';
import { ApplyRefusedError } from './applyErrors';

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

/** The config's cloud client (through `cloud.proxy` when set); SCIM log events (never the token) go to `onEvent`. */
export async function cloudClientFor(ec: EngineConfig, sessionId: string, onEvent?: (e: EngineEvent) => void): Promise<{ client: ScimClient; close(): Promise<void> }> {
  const c = ec.config.cloud;
  const url = c.url.value;
  if (!url) throw new ApplyRefusedError(`${ec.configFile}: cloud.url is empty; nothing written`, 'config');
  if (url.includes('{orgId}')) throw new ApplyRefusedError(`${ec.configFile}: cloud.url has {orgId} but cloud.orgId is not set; nothing written`, 'config');
  const ref = c.token?.value;
  const token = ref ? await ec.secrets(ref) : undefined;
  if (!token) {
    throw new ApplyRefusedError(`${ec.configFile}: cloud.token ${ref ? `${ref.text} is not set` : 'is missing'}; nothing written`, 'config');
  }
  let proxy: ProxyAgent | undefined;
  if (c.proxy) {
    let auth: string | undefined;
    if (c.proxy.username !== undefined && c.proxy.password) {
      const pw = await ec.secrets(c.proxy.password.value);
      if (pw === undefined) throw new ApplyRefusedError(`${ec.configFile}: cloud.proxy.password ${c.proxy.password.value.text} is not set; nothing written`, 'config');
      auth = `Basic ${Buffer.from(`${c.proxy.username}:${pw}`, 'utf8').toString('base64')}`;
    }
    proxy = new ProxyAgent({ uri: c.proxy.url.value, ...(auth ? { token: auth } : {}) });
  }
  const client = createScimClient({
    baseUrl: url,
    token,
    concurrency: c.concurrency,
    pageSize: c.pageSize,
    timeoutMs: c.timeoutSeconds * 1000,
    maxRetries: c.maxRetries,
    sessionId,
    ...(proxy ? { dispatcher: proxy } : {}),
    ...(onEvent
      ? {
          logger: {
            log(e: CloudLogEvent) {
              const event = Object.assign({ time: new Date().toISOString(), sessionId }, e) as Record<string, unknown>;
              if (e.level === 'warn') event['level'] = 'warning';
              if (typeof event['message'] !== 'string') event['message'] = e.event;
              onEvent(event as unknown as EngineEvent);
            },
          },
        }
      : {}),
  });
  return {
    client,
    async close() {
      await client.close();
      await proxy?.close();
    },
  };
}
