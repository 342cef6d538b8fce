/**
 * An independent SCIM 2.0 server for end-to-end syncs: scimmy + scimmy-routers on express 4, on
 * 127.0.0.1, with a storage handler that behaves like a real store — userName uniqueness, filters
 * matched one record at a time, paging done by the store (`totalResults` is the whole match, the
 * page is a slice), `meta.version` bumped on every write, and a deleted user taken out of every
 * group. PATCH (group members included) is scimmy's own: it reads the resource, applies the
 * operations and writes the whole result back through the store.
 *
 * Beside it, a publish target for avatars (`PUT`/`HEAD`/`GET /published/<name>`, bearer token), as
 * any WebDAV folder would be: a generic SCIM target reads pictures from a URL.
 *
 * scimmy keeps its resource handlers in module state, so one server runs at a time.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMYRouters, { SCIMMY } from 'scimmy-routers';

type Doc = Record<string, unknown> & { id: string; meta: { created: string; lastModified: string; version: string } };

interface ScimmyResource {
  id?: string;
  filter?: { match(values: unknown[]): unknown[] };
  constraints?: { startIndex?: number; count?: number; totalResults?: number };
}

/** One resource type's records, in creation order. */
class Store {
  readonly docs = new Map<string, Doc>();
  private serial = 0;
  constructor(
    private readonly kind: 'User' | 'Group',
    private readonly maxPageSize: number,
    private readonly unique?: string,
  ) {}

  private notFound(id: string | undefined): never {
    throw new SCIMMY.Types.Error(404, null!, `${this.kind} ${id} not found`);
  }

  /** GET one, or a filtered page: the store filters and pages, as a database would. */
  egress = (resource: ScimmyResource): Doc | Doc[] => {
    if (resource.id) return this.docs.get(resource.id) ?? this.notFound(resource.id);
    const all = [...this.docs.values()];
    const matched = resource.filter
      ? all.filter((d) => {
          try {
            return resource.filter!.match([d]).length > 0;
          } catch {
            // scimmy's matcher throws on a record that lacks a sub-attribute's parent: no match.
            return false;
          }
        })
      : all;
    const c = resource.constraints;
    if (!c) return matched;
    const start = Math.max(1, c.startIndex ?? 1);
    // Like most services, the store caps the page size whatever `count` asks for (RFC 7644 §3.4.2.4).
    const count = Math.min(c.count ?? 20, this.maxPageSize);
    // scimmy's ListResponse pages an array itself unless it is told the total was paged already.
    c.totalResults = matched.length;
    return matched.slice(start - 1, start - 1 + count);
  };

  /** POST (no id) or PUT (id; also the end of every PATCH). */
  ingress = (resource: ScimmyResource, instance: unknown): Doc => {
    const data = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
    delete data['schemas'];
    delete data['meta'];
    delete data['id'];
    if (this.unique) {
      const value = String(data[this.unique] ?? '').toLowerCase();
      for (const d of this.docs.values()) {
        if (d.id !== resource.id && String(d[this.unique] ?? '').toLowerCase() === value) {
          throw new SCIMMY.Types.Error(409, 'uniqueness', `${this.unique} ${JSON.stringify(data[this.unique])} is already taken`);
        }
      }
    }
    const now = new Date().toISOString();
    const version = `W/"${++this.serial}"`;
    if (resource.id) {
      const existing = this.docs.get(resource.id) ?? this.notFound(resource.id);
      const next: Doc = { ...data, id: resource.id, meta: { created: existing.meta.created, lastModified: now, version } };
      this.docs.set(resource.id, next);
      return next;
    }
    const doc: Doc = { ...data, id: randomUUID(), meta: { created: now, lastModified: now, version } };
    this.docs.set(doc.id, doc);
    return doc;
  };

  degress = (resource: ScimmyResource): void => {
    if (!resource.id || !this.docs.delete(resource.id)) this.notFound(resource.id);
  };
}

export interface ScimmyServer {
  /** The SCIM base URL (`…/scim/v2`). */
  readonly baseUrl: string;
  /** The avatar publish folder (`…/published`). */
  readonly publishUrl: string;
  readonly users: ReadonlyMap<string, Record<string, unknown>>;
  readonly groups: ReadonlyMap<string, Record<string, unknown>>;
  readonly published: ReadonlyMap<string, Buffer>;
  close(): Promise<void>;
}

/**
 * Starts scimmy with fresh stores on an ephemeral 127.0.0.1 port; every request needs `Bearer
 * <token>`. Lists answer at most `maxPageSize` resources a page.
 */
export async function startScimmyServer(token: string, maxPageSize = 20): Promise<ScimmyServer> {
  const users = new Store('User', maxPageSize, 'userName');
  const groups = new Store('Group', maxPageSize);
  const userDegress = users.degress;
  // A real store drops a deleted user's memberships (RFC 7644 §3.6: it is no longer returned anywhere).
  users.degress = (resource) => {
    userDegress(resource);
    for (const g of groups.docs.values()) {
      const members = g['members'] as { value: string }[] | undefined;
      if (members?.some((m) => m.value === resource.id)) g['members'] = members.filter((m) => m.value !== resource.id);
    }
  };
  SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress(users.ingress as never)
    .egress(users.egress as never)
    .degress(users.degress as never);
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress(groups.ingress as never)
    .egress(groups.egress as never)
    .degress(groups.degress as never);

  const published = new Map<string, Buffer>();
  const app = express();
  const authorized = (req: express.Request, res: express.Response): boolean => {
    if (req.header('authorization') === `Bearer ${token}`) return true;
    res.status(401).end();
    return false;
  };
  app.put('/published/:name', express.raw({ type: () => true, limit: '11mb' }), (req, res) => {
    if (!authorized(req, res)) return;
    if (req.header('if-none-match') === '*' && published.has(req.params.name)) {
      res.status(412).end();
      return;
    }
    published.set(req.params.name, req.body as Buffer);
    res.status(201).end();
  });
  app.get('/published/:name', (req, res) => {
    const bytes = published.get(req.params.name);
    if (!bytes) res.status(404).end();
    else res.type(req.params.name.split('.').pop() ?? 'bin').send(bytes);
  });
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req) => {
        if (req.header('authorization') !== `Bearer ${token}`) throw new Error('Authorization failed');
        return 'dirsync';
      },
    }) as unknown as express.Router,
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/scim/v2`,
    publishUrl: `${origin}/published`,
    users: users.docs,
    groups: groups.docs,
    published,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
