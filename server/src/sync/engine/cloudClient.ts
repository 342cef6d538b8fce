/**
 * The config's SCIM client, one way for every entry point (dry run, explain, apply, purge):
 * `cloud.url` checked, the token from its reference, `cloud.proxy` honoured, and SCIM log events
 * (never the token) forwarded to the engine's event log.
 */
import { ProxyAgent } from 'undici';
import type { SecretResolver } from '../../avatars/credentials';
import { createScimClient, type CloudLogEvent, type ScimClient, type ScimFlavor } from '../../cloud/index';
import type { CloudConfig } from '../../../../common/config';
import type { EngineEvent } from '../contract';

export interface ConfiguredCloud {
  readonly client: ScimClient;
  /** Closes the client and the proxy agent it goes through. */
  close(): Promise<void>;
}

export interface CloudClientOptions {
  readonly cloud: CloudConfig;
  readonly configFile: string;
  readonly secrets: SecretResolver;
  readonly sessionId: string;
  /** The SCIM dialect; default `cloud.type`. */
  readonly flavor?: ScimFlavor;
  /** The error for a config problem found before any request (message names the key). */
  readonly fail: (message: string) => Error;
  readonly onEvent?: (e: EngineEvent) => void;
}

function eventLogger(sessionId: string, onEvent: (e: EngineEvent) => void) {
  return {
    log(e: CloudLogEvent) {
      const event = Object.assign({ time: new Date().toISOString(), sessionId }, e) as Record<string, unknown>;
      if (e.level === 'warn') event['level'] = 'warning';
      if (typeof event['message'] !== 'string') event['message'] = e.event;
      onEvent(event as unknown as EngineEvent);
    },
  };
}

export async function configuredCloudClient(o: CloudClientOptions): Promise<ConfiguredCloud> {
  const c = o.cloud;
  const url = c.url.value;
  if (!url) throw o.fail(`${o.configFile}: cloud.url is empty`);
  if (url.includes('{orgId}')) throw o.fail(`${o.configFile}: cloud.url has {orgId} but cloud.orgId is not set`);
  const ref = c.token?.value;
  const token = ref ? await o.secrets(ref) : undefined;
  if (!token)
    throw o.fail(`${o.configFile}: cloud.token ${ref ? `${ref.text} is not set (the environment has no value for it)` : 'is missing'}`);
  let proxy: ProxyAgent | undefined;
  if (c.proxy) {
    let auth: string | undefined;
    if (c.proxy.username !== undefined && c.proxy.password) {
      const pw = await o.secrets(c.proxy.password.value);
      if (pw === undefined) throw o.fail(`${o.configFile}: cloud.proxy.password ${c.proxy.password.value.text} is not set`);
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
    sessionId: o.sessionId,
    flavor: o.flavor ?? c.type,
    ...(proxy ? { dispatcher: proxy } : {}),
    ...(o.onEvent ? { logger: eventLogger(o.sessionId, o.onEvent) } : {}),
  });
  return {
    client,
    async close() {
      await client.close();
      await proxy?.close();
    },
  };
}
