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

/** A SCIM client event in one line of words: what was asked, what came back (never a name twice). */
export function cloudEventMessage(e: CloudLogEvent): string {
  if (typeof e['message'] === 'string' && e['message']) return e['message'];
  const op = typeof e['operation'] === 'string' ? `${e['operation']}: ` : '';
  const request = `${e['method'] ?? ''} ${e['path'] ?? ''}`.trim();
  switch (e.event) {
    case 'scim.request':
      return `${op}${request} → ${e['status'] ? `HTTP ${e['status']}` : 'no answer'}${e['ms'] !== undefined ? ` in ${e['ms']} ms` : ''}`;
    case 'scim.retry':
      return `${op}${request}: ${e['reason'] ?? 'failed'}; attempt ${Number(e['attempt'] ?? 0) + 1} in ${e['delayMs'] ?? 0} ms`;
    case 'scim.recovered':
      return `${op}the earlier attempt had succeeded (found ${e['path'] ?? 'the object'}); not sent again`;
    default:
      return `${e.event}${request ? `: ${request}` : ''}`;
  }
}

function eventLogger(sessionId: string, onEvent: (e: EngineEvent) => void) {
  return {
    log(e: CloudLogEvent) {
      const event = Object.assign({ time: new Date().toISOString(), sessionId }, e) as Record<string, unknown>;
      if (e.level === 'warn') event['level'] = 'warning';
      event['message'] = cloudEventMessage(e);
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
    // Errors name the key to fix, in the config's words.
    hints: {
      auth: `The cloud did not accept the token: check cloud.token (${ref!.text}) in ${o.configFile}; it may be wrong, expired, or lack the role for this org`,
      unreachable: `Nothing answered at cloud.url (${url}) in ${o.configFile}${c.proxy ? ' through cloud.proxy' : ''}: check the URL and that the service is up`,
    },
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
