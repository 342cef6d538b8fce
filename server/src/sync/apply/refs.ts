/**
 * Resolves the plan's ObjectRefs to cloud ids at apply time: the ref's own cloudId, else an id
 * this apply (or an earlier, interrupted one — through the journal) created, else a lookup in the
 * cloud by externalId (not on Webex), then userName (users) or displayName (groups). Lookups are cached.
 */
import { scimFilter, type ScimClient } from '../../cloud/index';
import type { ObjectRef } from '../contract';

export type RefKind = 'user' | 'group';

export class RefResolver {
  /** `ext:<externalId>`, `user:<userName lower>`, `group:<displayName lower>` → cloud id. */
  private readonly ids = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(private readonly client: ScimClient) {}

  /** Records an id created (or found) for a key. */
  remember(key: string | undefined, id: string): void {
    if (key) this.ids.set(key, id);
  }

  rememberAll(entries: Iterable<readonly [string, string]>): void {
    for (const [k, v] of entries) this.ids.set(k, v);
  }

  static keysOf(kind: RefKind, ref: ObjectRef): string[] {
    const keys: string[] = [];
    if (ref.externalId) keys.push(`ext:${ref.externalId}`);
    if (ref.userName) keys.push(`${kind}:${ref.userName.toLowerCase()}`);
    return keys;
  }

  /** The cloud id, or undefined when the object exists nowhere. */
  async resolve(kind: RefKind, ref: ObjectRef, signal?: AbortSignal): Promise<string | undefined> {
    if (ref.cloudId) return ref.cloudId;
    for (const k of RefResolver.keysOf(kind, ref)) {
      const id = this.ids.get(k);
      if (id) return id;
    }
    const cacheKey = `${kind}|${ref.externalId ?? ''}|${ref.userName ?? ''}`;
    let p = this.pending.get(cacheKey);
    if (!p) {
      p = this.lookup(kind, ref, signal);
      this.pending.set(cacheKey, p);
      p.catch(() => this.pending.delete(cacheKey));
    }
    const id = await p;
    if (id) for (const k of RefResolver.keysOf(kind, ref)) this.ids.set(k, id);
    else this.pending.delete(cacheKey);
    return id;
  }

  /**
   * Looks the object up in the cloud: externalId first, then its name. Webex cannot filter on
   * externalId: there the name alone, and a hit linked to another directory object is no match.
   */
  async lookup(kind: RefKind, ref: ObjectRef, signal?: AbortSignal): Promise<string | undefined> {
    const resource = kind === 'user' ? this.client.users : this.client.groups;
    const opts = signal ? { signal } : {};
    const webex = this.client.flavor === 'webex';
    if (ref.externalId && !webex) {
      const hit = await resource.find(scimFilter.eq('externalId', ref.externalId), opts);
      if (hit?.id) return hit.id;
    }
    if (ref.userName) {
      const hit = await resource.find(scimFilter.eq(kind === 'user' ? 'userName' : 'displayName', ref.userName), opts);
      const other = webex && ref.externalId && hit?.externalId && hit.externalId.toLowerCase() !== ref.externalId.toLowerCase();
      if (hit?.id && !other) return hit.id;
    }
    return undefined;
  }
}

/** Describes a ref for messages: `user "ann@example.com"` / `group externalId 5c1f…`. */
export function describeRef(kind: RefKind, ref: ObjectRef): string {
  if (ref.userName) return `${kind} "${ref.userName}"`;
  if (ref.externalId) return `${kind} externalId ${ref.externalId}`;
  return `${kind} id ${ref.cloudId ?? '?'}`;
}
