/**
 * The local cloud's admin API — what a test or an operator needs that SCIM does not offer.
 * In process through `LocalCloud.admin`, over HTTP under `/_dirsync/` (same bearer token):
 *
 *   GET    /_dirsync/health                      {"ok":true} (no token needed)
 *   GET    /_dirsync/stats                       counts of users, soft-deleted users, groups, memberships, avatars
 *   GET    /_dirsync/requests?since=<n>          the request log (method, path, status, ms, trackingId, fault)
 *   PUT    /_dirsync/users/{id}/roles            {"roles":["id_full_admin"]} — Webex admin roles
 *   POST   /_dirsync/users/{id}/restore          bring a soft-deleted user back
 *   DELETE /_dirsync/users/{id}                  hard delete (soft-deleted or not)
 *   GET    /_dirsync/users/softDeleted           soft-deleted users with deletedAt and purgeAt
 *   POST   /_dirsync/users/import                [user, …] — create many users in one transaction
 *   POST   /_dirsync/purge                       {"now"?: ms} — purge soft-deleted users past retention
 *   POST   /_dirsync/reset                       delete every user, group and avatar
 *   GET    /_dirsync/faults                      fault rules with how often each fired
 *   POST   /_dirsync/faults                      a rule (or {"rules":[…]}) to add; answers the ids
 *   PUT    /_dirsync/faults                      {"rules":[…], "seed"?: n} replaces all rules
 *   DELETE /_dirsync/faults[/{id}]               removes all rules, or one
 */
import type { ContactService } from './contacts';
import type { CloudContext } from './context';
import { ScimHttpError, badRequest, notFound } from './errors';
import type { FaultInjector, FaultRule } from './faults';
import type { GroupService } from './groupService';
import type { AvatarService } from './avatars';
import { readJson, sendJson, finish, type Exchange } from './http';
import type { Json } from './resource';
import type { UserService } from './userService';

/** One line of the request log. */
export interface RequestRecord {
  readonly n: number;
  /** ms since the epoch when the request arrived. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** 0 when the connection was dropped by a fault. */
  readonly status: number;
  readonly ms: number;
  readonly trackingId: string;
  /** Ids of fault rules that fired. */
  readonly fault?: string;
}

export interface CloudStats {
  readonly users: number;
  readonly softDeletedUsers: number;
  readonly groups: number;
  readonly memberships: number;
  readonly avatars: number;
  /** Webex org contacts (webex dialect). */
  readonly contacts: number;
  readonly requests: number;
}

/** In-process admin operations (the HTTP admin API calls these). */
export class LocalCloudAdmin {
  constructor(
    private readonly ctx: CloudContext,
    private readonly users: UserService,
    private readonly groups: GroupService,
    private readonly avatars: AvatarService,
    private readonly requestCount: () => number,
    private readonly contacts?: ContactService,
  ) {}

  private tx<T>(fn: () => T): T {
    return this.ctx.db.transaction(fn)();
  }

  /** Sets a user's Webex admin roles (e.g. `['id_full_admin']`); [] removes them. */
  setRoles(userId: string, roles: readonly string[]): Json {
    return this.users.render(this.tx(() => this.users.setRoles(userId, roles)));
  }

  restoreUser(userId: string): Json {
    return this.users.render(this.tx(() => this.users.restore(userId)));
  }

  /** Deletes a user for good; false when there was none. */
  hardDeleteUser(userId: string): boolean {
    return this.tx(() => this.users.hardDelete(userId));
  }

  softDeletedUsers(): ReturnType<UserService['softDeletedUsers']> {
    return this.users.softDeletedUsers();
  }

  /** Purges users soft-deleted longer than the retention (7 days) before `now`. */
  purgeExpired(now?: number): number {
    return this.tx(() => this.users.purgeExpired(now));
  }

  /** Creates users in one transaction (benchmark seeding); returns their ids in order. */
  importUsers(docs: readonly unknown[]): string[] {
    return this.tx(() => docs.map((d) => this.users.create(d).id));
  }

  /** Deletes everything (users, groups, memberships, avatars, contacts). */
  reset(): void {
    this.tx(() => {
      this.ctx.db.exec('DELETE FROM members; DELETE FROM groups; DELETE FROM avatars; DELETE FROM users; DELETE FROM contacts;');
    });
    this.ctx.generation.users++;
    this.ctx.generation.groups++;
  }

  stats(): CloudStats {
    const u = this.users.counts();
    const g = this.groups.counts();
    return {
      users: u.active,
      softDeletedUsers: u.softDeleted,
      groups: g.groups,
      memberships: g.memberships,
      avatars: this.avatars.count(),
      contacts: this.contacts?.size() ?? 0,
      requests: this.requestCount(),
    };
  }
}

function rulesOf(body: unknown): FaultRule[] {
  if (Array.isArray(body)) return body as FaultRule[];
  if (body && typeof body === 'object' && Array.isArray((body as { rules?: unknown }).rules)) return (body as { rules: FaultRule[] }).rules;
  return [body as FaultRule];
}

/** Handles `/_dirsync/<rest>` (token already checked). */
export async function handleAdmin(
  ex: Exchange,
  rest: string,
  admin: LocalCloudAdmin,
  faults: FaultInjector,
  requests: (since: number) => RequestRecord[],
): Promise<void> {
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const route = `${ex.method} ${parts.map((p, i) => (parts[0] === 'users' && i === 1 && p !== 'softDeleted' && p !== 'import' ? ':id' : parts[0] === 'faults' && i === 1 ? ':id' : p)).join('/')}`;
  const id = parts[1] ?? '';
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TypeError) throw badRequest('invalidValue', err.message);
      throw err;
    }
  };
  switch (route) {
    case 'GET stats':
      return sendJson(ex, 200, admin.stats());
    case 'GET requests':
      return sendJson(ex, 200, { requests: requests(Number(ex.query.get('since') ?? 0)) });
    case 'PUT users/:id/roles': {
      const body = (await readJson(ex.req, 65536)) as { roles?: unknown };
      if (!Array.isArray(body?.roles) || !body.roles.every((r) => typeof r === 'string'))
        throw badRequest('invalidValue', '{"roles": [ "id_full_admin", … ]} expected');
      return sendJson(ex, 200, admin.setRoles(id, body.roles as string[]));
    }
    case 'POST users/:id/restore':
      return sendJson(ex, 200, admin.restoreUser(id));
    case 'DELETE users/:id':
      if (!admin.hardDeleteUser(id)) throw notFound(`no user with id ${id}`);
      return finish(ex, 204, {});
    case 'GET users/softDeleted':
      return sendJson(ex, 200, { users: admin.softDeletedUsers() });
    case 'POST users/import': {
      const body = await readJson(ex.req, 256 * 1024 * 1024);
      if (!Array.isArray(body)) throw badRequest('invalidValue', 'a JSON array of users expected');
      return sendJson(ex, 200, { ids: admin.importUsers(body) });
    }
    case 'POST purge': {
      const body =
        ex.req.headers['content-length'] && ex.req.headers['content-length'] !== '0'
          ? ((await readJson(ex.req, 4096)) as { now?: unknown })
          : {};
      return sendJson(ex, 200, { purged: admin.purgeExpired(typeof body.now === 'number' ? body.now : undefined) });
    }
    case 'POST reset':
      admin.reset();
      return finish(ex, 204, {});
    case 'GET faults':
      return sendJson(ex, 200, { rules: faults.list() });
    case 'POST faults': {
      const body = await readJson(ex.req, 65536);
      return sendJson(ex, 200, { ids: guard(() => rulesOf(body).map((r) => faults.add(r))) });
    }
    case 'PUT faults': {
      const body = (await readJson(ex.req, 65536)) as { seed?: unknown };
      const ids = guard(() => faults.set(rulesOf(body)));
      if (typeof body?.seed === 'number') faults.reseed(body.seed);
      return sendJson(ex, 200, { ids });
    }
    case 'DELETE faults':
      faults.clear();
      return finish(ex, 204, {});
    case 'DELETE faults/:id':
      if (!faults.remove(id)) throw notFound(`no fault rule ${id}`);
      return finish(ex, 204, {});
    default:
      throw new ScimHttpError(404, undefined, `no admin endpoint ${ex.method} /_dirsync/${rest}`);
  }
}
