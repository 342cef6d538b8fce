/**
 * The local cloud: a Webex-compatible SCIM 2.0 server on node:http, bound to 127.0.0.1 only,
 * persisting to SQLite. Started by `dirsync cloud` and in-process by tests:
 *
 *   const cloud = await startLocalCloud({ port: 0, dbPath, token, orgId });
 *   cloud.baseUrl   // http://127.0.0.1:<port>/identity/scim/<orgId>/v2
 *   cloud.faults.add({ kind: 'status', status: 429, retryAfter: 1, next: 1 });
 *   await cloud.close();
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { LocalCloudAdmin, handleAdmin, type RequestRecord } from './admin';
import { AvatarService } from './avatars';
import { CONTACTS_PREFIX, ContactService, handleContacts } from './contacts';
import { scimBase, type CloudContext } from './context';
import { openDatabase } from './db';
import { ScimHttpError } from './errors';
import { FaultInjector } from './faults';
import { GroupService } from './groupService';
import { finish, readBody, sendError, sendJson, splitUrl, type Exchange } from './http';
import { PUBLISHED_PATH, PublishedImages } from './published';
import { TOKEN_PATH, TokenIssuer, webexErrorBody, type LocalOAuthOptions, type TokenStats } from './oauth';
import { handleScim } from './scimRoutes';
import { UserService } from './userService';
import type { CloudDialect } from './webexDialect';

export interface LocalCloudOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** SQLite file (created if missing); `:memory:` for a throw-away store. */
  readonly dbPath: string;
  /** The bearer token every SCIM and admin request must present. */
  readonly token: string;
  /** The org to serve; default: the database's (a new database gets a random UUID). */
  readonly orgId?: string;
  /**
   * `webex` (default): checks requests and shapes answers as Webex's published API does
   * (webexDialect.ts); `scim`: a plain RFC 7643/7644 server.
   */
  readonly dialect?: CloudDialect;
  /** Clock for timestamps and soft-delete expiry. Default Date.now. */
  readonly now?: () => number;
  /** Days a deleted user stays soft-deleted. Default 7 (Webex). */
  readonly softDeleteDays?: number;
  /** Seed of the fault injector's random choices. Default 1. */
  readonly faultSeed?: number;
  /** Largest avatar accepted, bytes. Default 10 MB − 1 (what the Webex app takes). */
  readonly maxAvatarBytes?: number;
  /** Called for every request handled (the CLI's `--log`). */
  readonly onRequest?: (record: RequestRecord) => void;
  /** Requests kept in the in-memory request log. Default 10 000. */
  readonly requestLogSize?: number;
  /**
   * Serve the OAuth token endpoint `POST /v1/access_token` (oauth.ts) for a Service App with these
   * credentials; the access tokens it issues are accepted beside `token`.
   */
  readonly oauth?: LocalOAuthOptions;
}

export interface LocalCloud {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/identity/scim/<orgId>/v2` — what a config's `cloud.url` points at. */
  readonly baseUrl: string;
  readonly orgId: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly admin: LocalCloudAdmin;
  /** The token endpoint's counts (all 0 without `oauth`). */
  tokens(): TokenStats;
  /** Ends every issued access token now (as a revocation would); answers how many were valid. */
  expireTokens(): number;
  /** Requests handled since `since` (a request number; 0 = all kept). */
  requests(since?: number): RequestRecord[];
  /** Stops listening, closes open connections and the database. */
  close(): Promise<void>;
}

const noTokens: TokenStats = { issued: 0, active: 0, refused: 0, expiredRefused: 0, rotatedUsed: 0 };
const SCIM_PREFIX = /^\/identity\/scim\/([^/]+)\/v2(\/.*)?$/;
const AVATAR_PATH = /^\/avatars\/([^/]+)\/([^/]+)\/([0-9a-f]+)$/;

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Starts the local cloud; resolves once it listens. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: wires the store, routes, admin API, fault injection and shutdown of one server in the order they start.
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  if (!options.token) throw new Error('the local cloud needs a bearer token (DIRSYNC_CLOUD_TOKEN)');
  const { db, orgId } = openDatabase(options.dbPath, options.orgId);
  const now = options.now ?? Date.now;
  const ctx: CloudContext = {
    db,
    orgId,
    dialect: options.dialect ?? 'webex',
    now,
    softDeleteMs: (options.softDeleteDays ?? 7) * 86_400_000,
    generation: { users: 0, groups: 0 },
    origin: '',
  };
  const users = new UserService(ctx);
  const groups = new GroupService(ctx, users);
  const avatars = new AvatarService(ctx, users, options.maxAvatarBytes ?? 10 * 1024 * 1024 - 1);
  const publishedImages = new PublishedImages(ctx, options.maxAvatarBytes ?? 10 * 1024 * 1024 - 1);
  const contacts = new ContactService(ctx);
  const faults = new FaultInjector(options.faultSeed ?? 1, now);
  const services = { ctx, db, users, groups, avatars };

  const logSize = options.requestLogSize ?? 10_000;
  const log: RequestRecord[] = [];
  let requestCount = 0;
  const admin = new LocalCloudAdmin(ctx, users, groups, avatars, () => requestCount, contacts);
  const tokenDigest = digest(options.token);

  const issuer = options.oauth ? new TokenIssuer(options.oauth, now) : undefined;

  const authorized = (req: IncomingMessage): 'ok' | 'expired' | 'no' => {
    const h = req.headers.authorization;
    if (!h || !/^bearer /i.test(h)) return 'no';
    const presented = h.slice(7).trim();
    // Compare digests in constant time: the token's length and content stay private.
    if (timingSafeEqual(digest(presented), tokenDigest)) return 'ok';
    const issued = issuer?.check(presented);
    return issued === 'valid' ? 'ok' : issued === 'expired' ? 'expired' : 'no';
  };

  const record = (ex: Exchange): void => {
    const r: RequestRecord = {
      n: ++requestCount,
      at: ex.started,
      method: ex.method,
      path: ex.path,
      status: ex.status ?? 0,
      ms: Math.round((performance.now() - ex.perf) * 10) / 10,
      trackingId: ex.trackingId,
      ...(ex.fault ? { fault: ex.fault } : {}),
    };
    log.push(r);
    if (log.length > logSize) log.splice(0, log.length - logSize);
    options.onRequest?.(r);
  };

  const handle = async (ex: Exchange): Promise<void> => {
    const { path } = ex;
    if (path === '/_dirsync/health') return sendJson(ex, 200, { ok: true, orgId });
    const avatar = AVATAR_PATH.exec(path);
    if (avatar && (ex.method === 'GET' || ex.method === 'HEAD')) {
      // Public, like Webex's avatar URLs: what `photos` points at.
      const a = avatar[1] === encodeURIComponent(orgId) ? avatars.getPublic(decodeURIComponent(avatar[2]!), avatar[3]!) : undefined;
      if (!a) return sendJson(ex, 404, new ScimHttpError(404, undefined, 'no such avatar').body());
      return finish(
        ex,
        200,
        { 'content-type': a.contentType, etag: `"${a.sha256}"`, 'cache-control': 'public, max-age=31536000, immutable' },
        a.bytes,
      );
    }
    const published = PUBLISHED_PATH.exec(path);
    if (published && (ex.method === 'GET' || ex.method === 'HEAD')) {
      // Public: Webex fetches the pictures a sync publishes from their URL.
      const img = publishedImages.get(published[1]!);
      if (!img) return sendJson(ex, 404, new ScimHttpError(404, undefined, 'nothing published under this name').body());
      return finish(
        ex,
        200,
        { 'content-type': img.contentType, 'content-length': img.bytes.length },
        ex.method === 'HEAD' ? undefined : img.bytes,
      );
    }
    if (path === TOKEN_PATH && issuer) return issuer.handle(ex);
    const auth = authorized(ex.req);
    if (auth === 'expired') {
      // Webex's answer to an expired access token: 401 with its error body.
      return sendJson(ex, 401, webexErrorBody('The access token has expired; get a new one with the refresh token.', ex.trackingId), {
        'www-authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
      });
    }
    if (auth !== 'ok') {
      throw new ScimHttpError(401, undefined, 'a valid bearer token is required', {
        'www-authenticate': 'Bearer realm="dirsync local cloud"',
      });
    }
    if (path === '/_dirsync/tokens' && ex.method === 'GET') return sendJson(ex, 200, issuer?.stats() ?? noTokens);
    if (path === '/_dirsync/tokens/expire' && ex.method === 'POST') return sendJson(ex, 200, { expired: issuer?.expireAll() ?? 0 });
    if (published && ex.method === 'PUT') {
      const bytes = await readBody(ex.req, publishedImages.maxBytes + 1);
      const inm = ex.req.headers['if-none-match'];
      const created = publishedImages.put(published[1]!, ex.req.headers['content-type'], bytes, Array.isArray(inm) ? inm[0] : inm);
      return finish(ex, created ? 201 : 204, {});
    }
    if (path.startsWith('/_dirsync/')) {
      return handleAdmin(ex, path.slice('/_dirsync/'.length), admin, faults, (since) => log.filter((r) => r.n > since));
    }
    const c = ctx.dialect === 'webex' ? CONTACTS_PREFIX.exec(path) : null;
    if (c) {
      if (decodeURIComponent(c[1]!) !== orgId)
        throw new ScimHttpError(404, undefined, `organization ${decodeURIComponent(c[1]!)} is not served here`);
      const rest = c[2] ?? '';
      // Fault rules see the contacts API as `/contacts…` (SCIM paths start with `/Users`, `/Groups`).
      if (await injectFaults(ex, `/contacts${rest}`)) return;
      return handleContacts(ex, contacts, rest, (f) => db.transaction(f)());
    }
    const m = SCIM_PREFIX.exec(path);
    if (!m) throw new ScimHttpError(404, undefined, `no such endpoint: ${path} (SCIM lives under /identity/scim/${orgId}/v2)`);
    if (decodeURIComponent(m[1]!) !== orgId)
      throw new ScimHttpError(
        404,
        undefined,
        `organization ${decodeURIComponent(m[1]!)} is not served here (this local cloud serves ${orgId})`,
      );
    const rest = m[2] ?? '/';
    if (await injectFaults(ex, rest)) return;
    return handleScim(ex, services, rest);
  };

  /** Applies the fault rules to a request; true when a fault answered (or dropped) it. */
  const injectFaults = async (ex: Exchange, rest: string): Promise<boolean> => {
    const d = faults.decide(ex.method, rest);
    if (d.fired.length > 0) ex.fault = d.fired.join(',');
    if (d.latencyMs > 0) await delay(d.latencyMs);
    if (d.drop === 'before') {
      ex.status = 0;
      ex.req.socket.destroy();
      return true;
    }
    if (d.status) {
      const err = new ScimHttpError(d.status.status, undefined, `fault injected (${ex.fault})`, d.status.headers);
      sendJson(ex, err.status, err.body(), { ...d.status.headers });
      return true;
    }
    if (d.drop === 'after') ex.dropAfter = true;
    return false;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { path, query } = splitUrl(req.url ?? '/');
    const tid = req.headers['trackingid'];
    const ex: Exchange = {
      req,
      res,
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query,
      trackingId: (Array.isArray(tid) ? tid[0] : tid) ?? `LOCALCLOUD_${requestCount + 1}`,
      started: now(),
      perf: performance.now(),
    };
    res.on('close', () => record(ex));
    handle(ex).catch((err: unknown) => {
      if (res.headersSent || req.socket.destroyed) return;
      if (err instanceof ScimHttpError) return sendError(ex, err);
      if (err instanceof URIError) return sendError(ex, new ScimHttpError(400, 'invalidPath', 'the path is not valid percent-encoding'));
      // A bug, not the client's fault: answer 500 and say so on stderr.
      process.stderr.write(`local cloud: ${ex.method} ${ex.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      sendError(ex, new ScimHttpError(500, undefined, 'internal error in the local cloud'));
    });
  });
  // Keep idle connections longer than undici's default keep-alive, so clients reuse them.
  server.keepAliveTimeout = 65_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `port ${options.port} on 127.0.0.1 is already in use`
        : `cannot listen on 127.0.0.1:${options.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const port = (server.address() as AddressInfo).port;
  ctx.origin = `http://127.0.0.1:${port}`;

  // Soft-deleted users past retention go at start and every hour.
  const purge = db.transaction(() => users.purgeExpired());
  purge();
  const purgeTimer = setInterval(() => purge(), 3_600_000);
  purgeTimer.unref();

  let closed = false;
  return {
    url: ctx.origin,
    baseUrl: scimBase(ctx),
    orgId,
    port,
    faults,
    admin,
    requests: (since = 0) => log.filter((r) => r.n > since),
    tokens: () => issuer?.stats() ?? noTokens,
    expireTokens: () => issuer?.expireAll() ?? 0,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purgeTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}
