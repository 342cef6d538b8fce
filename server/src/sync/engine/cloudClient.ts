/**
 * The config's SCIM client, one way for every entry point (dry run, explain, apply, purge):
 * `cloud.url` checked, the token from its reference (or `cloud.auth`'s renewing provider),
 * `cloud.proxy` honoured, and SCIM log events (never the token) forwarded to the engine's event log.
 */
import { createHash } from 'node:crypto';
import { ProxyAgent } from '../../cloud/dispatchers';
import type { SecretResolver } from '../../avatars/credentials';
import {
  createScimClient,
  OAuthTokenProvider,
  type CloudLogEvent,
  type CloudLogger,
  type ScimClient,
  type ScimFlavor,
  type TokenSource,
} from '../../cloud/index';
import type { CloudAuthConfig, CloudConfig } from '../../../../common/config';
import type { EngineEvent } from '../contract';
import { RefreshTokenFiles } from './refreshTokenFile';

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
  /** The config's state folder: with `cloud.auth`, a rotated refresh token is kept there for the next process. */
  readonly stateDir?: string;
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

/** What a token provider warns of that the user must see even without an event log. */
export interface AuthWarning {
  /** `auth.keepFailed` (a rotated refresh token could not be kept for the next process) or `auth.forgetFailed`. */
  readonly event: string;
  readonly message: string;
}

/** The token providers' warnings shown beside the event log: a restarted dirsync may be refused, or a secret stays on disk. */
const SHOWN_AUTH_WARNINGS: ReadonlySet<string> = new Set(['auth.keepFailed', 'auth.forgetFailed']);
const authWarningListeners = new Set<(warning: AuthWarning) => void>();

/**
 * Hears the warnings of every token provider in this process (they outlive one run) until the
 * returned function is called: the CLI prints them on stderr, the language server shows them.
 */
export function onAuthWarning(listener: (warning: AuthWarning) => void): () => void {
  authWarningListeners.add(listener);
  return () => authWarningListeners.delete(listener);
}

/**
 * One provider per Service App, token endpoint and starting refresh token, for the whole process:
 * `dirsync serve` and the language server run many syncs, and each must find the access token and
 * the rotated refresh token the last one got (a rotated-out refresh token no longer works). The
 * provider keeps a rotated refresh token in the state folder of each config that used it
 * (refreshTokenFile.ts), so a restarted process starts from it.
 */
const providers = new Map<string, { provider: OAuthTokenProvider; files: RefreshTokenFiles }>();

async function authProvider(
  o: CloudClientOptions,
  auth: CloudAuthConfig,
  proxyAgent: () => ProxyAgent | undefined,
): Promise<OAuthTokenProvider> {
  const read = async (key: 'clientId' | 'clientSecret' | 'refreshToken') => {
    const ref = auth[key].value;
    const v = await o.secrets(ref);
    if (!v) throw o.fail(`${o.configFile}: cloud.auth.${key} ${ref.text} is not set (the environment has no value for it)`);
    return v;
  };
  const credentials = {
    clientId: await read('clientId'),
    clientSecret: await read('clientSecret'),
    refreshToken: await read('refreshToken'),
  };
  const tokenUrl = auth.tokenUrl.value;
  const key = createHash('sha256')
    .update(
      JSON.stringify([tokenUrl, o.cloud.proxy?.url.value ?? '', credentials.clientId, credentials.clientSecret, credentials.refreshToken]),
    )
    .digest('hex');
  let entry = providers.get(key);
  if (!entry) {
    const files = new RefreshTokenFiles({ tokenUrl, clientId: credentials.clientId, refreshToken: credentials.refreshToken });
    const provider = new OAuthTokenProvider({
      tokenUrl,
      credentials,
      store: files,
      timeoutMs: o.cloud.timeoutSeconds * 1000,
      // The provider outlives this run's client, so it has a proxy agent of its own.
      ...(o.cloud.proxy ? { dispatcher: proxyAgent()! } : {}),
      hint: `Check cloud.auth (clientId ${auth.clientId.value.text}, clientSecret ${auth.clientSecret.value.text}, refreshToken ${auth.refreshToken.value.text}) in ${o.configFile}`,
    });
    provider.attach({
      log(e) {
        if (e.level !== 'warn' || !SHOWN_AUTH_WARNINGS.has(e.event)) return;
        for (const l of authWarningListeners) l({ event: e.event, message: cloudEventMessage(e) });
      },
    });
    entry = { provider, files };
    providers.set(key, entry);
  }
  if (o.stateDir !== undefined) entry.files.add(o.stateDir);
  return entry.provider;
}

export async function configuredCloudClient(o: CloudClientOptions): Promise<ConfiguredCloud> {
  const c = o.cloud;
  const url = c.url.value;
  if (!url) throw o.fail(`${o.configFile}: cloud.url is empty`);
  if (url.includes('{orgId}')) throw o.fail(`${o.configFile}: cloud.url has {orgId} but cloud.orgId is not set`);
  let proxyAuth: string | undefined;
  if (c.proxy?.username !== undefined && c.proxy.password) {
    const pw = await o.secrets(c.proxy.password.value);
    if (pw === undefined) throw o.fail(`${o.configFile}: cloud.proxy.password ${c.proxy.password.value.text} is not set`);
    proxyAuth = `Basic ${Buffer.from(`${c.proxy.username}:${pw}`, 'utf8').toString('base64')}`;
  }
  const proxyAgent = (): ProxyAgent | undefined =>
    c.proxy ? new ProxyAgent({ uri: c.proxy.url.value, ...(proxyAuth ? { token: proxyAuth } : {}) }) : undefined;
  let token: TokenSource;
  let authHint: string;
  let provider: OAuthTokenProvider | undefined;
  if (c.auth && !c.token) {
    provider = await authProvider(o, c.auth, proxyAgent);
    token = provider;
    authHint = `The cloud did not accept a freshly renewed access token: check cloud.auth in ${o.configFile} (the Service App must be authorized for this org, with the scopes the sync needs)`;
  } else {
    const ref = c.token?.value;
    const value = ref ? await o.secrets(ref) : undefined;
    if (!value)
      throw o.fail(
        `${o.configFile}: cloud.token ${ref ? `${ref.text} is not set (the environment has no value for it)` : c.auth ? 'and cloud.auth are both set: keep one' : 'is missing (or use cloud.auth)'}`,
      );
    token = value;
    authHint = `The cloud did not accept the token: check cloud.token (${ref!.text}) in ${o.configFile}; it may be wrong, expired, or lack the role for this org`;
  }
  const proxy = proxyAgent();
  const logger: CloudLogger | undefined = o.onEvent ? eventLogger(o.sessionId, o.onEvent) : undefined;
  const detach = provider && logger ? provider.attach(logger) : undefined;
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
      auth: authHint,
      unreachable: `Nothing answered at cloud.url (${url}) in ${o.configFile}${c.proxy ? ' through cloud.proxy' : ''}: check the URL and that the service is up`,
      rateLimited: `The cloud at cloud.url (${url}) still asked dirsync to slow down (HTTP 429) after ${c.maxRetries} retries, so this request was given up: run again later, or lower cloud.concurrency (${c.concurrency} requests at once) in ${o.configFile}`,
    },
    flavor: o.flavor ?? c.type,
    ...(proxy ? { dispatcher: proxy } : {}),
    ...(logger ? { logger } : {}),
  });
  return {
    client,
    async close() {
      detach?.();
      await client.close();
      await proxy?.close();
    },
  };
}
