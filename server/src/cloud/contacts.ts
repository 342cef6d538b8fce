/**
 * Webex's Organization Contacts API (`/v1/contacts/organizations/{orgId}/contacts`): the org's
 * address-book contacts, which Webex SCIM 2.0 does not have. Same transport as SCIM (retries,
 * limiter, tracking ids, logging), on its own path beside the SCIM base and with `application/json`
 * bodies, as the API's document says.
 *
 * @example
 *   const contacts = client.contacts!;   // a Webex client; undefined for a generic SCIM target
 *   for await (const c of contacts.search({ source: 'CH' })) …   // streams, page by page
 *   await contacts.update(c.contactId, { ...CONTACT_BASE, title: 'GM' });
 */
import { ScimError } from './errors';
import type { RequestOptions } from './resources';
import type { ScimResponse, ScimTransport } from './transport';

/** The schema every contact request and answer names (a string there, not an array). */
export const CONTACT_SCHEMA = 'urn:cisco:codev:identity:contact:core:1.0';
/** The source of contacts Control Hub (and Directory Connector) manages. */
export const CONTACT_SOURCE_CH = 'CH';
/** What every contact body dirsync sends starts with. */
export const CONTACT_BASE = { schemas: CONTACT_SCHEMA, source: CONTACT_SOURCE_CH } as const;

/** Contacts per bulk request: dirsync's choice (the document states no maximum). */
export const CONTACT_BULK_MAX = 100;
/** The search's page size: Webex's default `limit`. */
export const CONTACT_PAGE_SIZE = 100;

export interface ContactTyped {
  readonly value: string;
  readonly type?: string;
  readonly primary?: boolean;
  /** Update only: `delete` removes this element. */
  readonly operation?: 'delete';
}

/** A contact as sent (Contact / UpdateContact / BulkCreate items in the document). */
export interface ContactBody {
  readonly schemas?: string;
  readonly source: string;
  readonly contactId?: string;
  readonly displayName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly companyName?: string;
  readonly title?: string;
  /** JSON text `{"city":…,"country":…,"street":…,"zipCode":…}`. */
  readonly address?: string;
  readonly avatarURL?: string;
  readonly primaryContactMethod?: 'SIPADDRESS' | 'EMAIL' | 'PHONE' | 'IMS';
  readonly emails?: readonly ContactTyped[];
  readonly phoneNumbers?: readonly ContactTyped[];
  readonly sipAddresses?: readonly ContactTyped[];
  readonly ims?: readonly ContactTyped[];
  readonly groupIds?: readonly string[];
}

/** A contact as returned (ContactResponse). */
export interface Contact extends Omit<ContactBody, 'schemas'> {
  readonly schemas: string;
  readonly contactId: string;
  readonly meta: { readonly created?: string; readonly lastModified?: string };
  readonly orgId?: string;
  readonly isMigration?: boolean;
  readonly addressInfo?: Readonly<Record<string, string>>;
}

export interface ContactSearchOptions {
  /** Only contacts of this source (`CH`). */
  readonly source?: string;
  /** displayName, firstName, lastName or email; empty: all. */
  readonly keyword?: string;
  /** Contacts per page. Default 100. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

/** One contact of a bulk create/update: the contact, or why it failed. */
export type ContactBulkResult =
  | { readonly ok: true; readonly contact: Contact }
  | { readonly ok: false; readonly status: number; readonly message: string };

interface SearchResponse {
  readonly result?: Contact[];
  readonly start?: number;
  readonly limit?: number;
  readonly total?: number;
}

interface BulkCreateResponse {
  readonly contacts?: Array<Contact | null>;
  readonly failedContacts?: Array<{ id?: string; errorCode?: unknown; errorMessage?: string; statusCode?: number }>;
}

const JSON_TYPE = 'application/json';

function protocol(operation: string, path: string, detail: string): ScimError {
  return new ScimError({ operation, object: 'contacts', method: 'GET', path, detail }, 'protocol');
}

/** The URL of a `Link` header's `rel="next"` (RFC 8288), or undefined. */
export function nextLink(header: string | string[] | undefined): URL | undefined {
  for (const h of Array.isArray(header) ? header : header ? [header] : []) {
    for (const part of h.split(/,(?=\s*<)/)) {
      const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
      if (m && /(?:^|;)\s*rel="?next"?\s*(?:;|$)/i.test(m[2]!)) {
        try {
          return new URL(m[1]!);
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

/** `contact "ann@example.net"` (its first email), else by id. */
export function describeContact(c: Partial<ContactBody> & { contactId?: string }, id?: string): string {
  const email = c.emails?.[0]?.value;
  const ident = id ?? c.contactId;
  if (email) return `contact ${JSON.stringify(email)}${ident ? ` (id ${ident})` : ''}`;
  if (c.displayName) return `contact ${JSON.stringify(c.displayName)}${ident ? ` (id ${ident})` : ''}`;
  return ident ? `contact id ${ident}` : 'contact';
}

/**
 * The contacts API's root path for a Webex SCIM base URL: `/identity/scim/{orgId}/v2` on an
 * origin → `/v1/contacts/organizations/{orgId}/contacts` on the same origin (webexapis.com serves
 * both; so does the local cloud). Undefined when the URL does not have Webex's shape.
 */
export function contactsRootOf(scimBaseUrl: string): string | undefined {
  const m = /\/identity\/scim\/([^/]+)\/v2\/?$/.exec(new URL(scimBaseUrl).pathname);
  return m ? `/v1/contacts/organizations/${m[1]}/contacts` : undefined;
}

/** Create, read, update, delete, search and bulk of the org's contacts. Obtain through `ScimClient.contacts`. */
export class ContactsClient {
  constructor(
    private readonly transport: ScimTransport,
    /** `/v1/contacts/organizations/{orgId}/contacts`. */
    readonly root: string,
  ) {}

  /** The API's absolute URL, for messages. */
  url(path = ''): string {
    return this.transport.origin + this.root + path;
  }

  private send<T>(req: Omit<Parameters<ScimTransport['send']>[0], 'root' | 'contentType'>): Promise<ScimResponse<T>> {
    return this.transport.send<T>({ ...req, root: this.root, contentType: JSON_TYPE });
  }

  /**
   * `POST /` — a contact of source CH needs one of emails, phoneNumbers, sipAddresses. A POST
   * whose outcome is unknown is retried only after a search by its first email finds nothing.
   */
  async create(body: ContactBody, opts: RequestOptions = {}): Promise<Contact> {
    const email = body.emails?.[0]?.value;
    const res = await this.send<Contact>({
      method: 'POST',
      path: '',
      body: { schemas: CONTACT_SCHEMA, ...body },
      operation: 'create',
      object: () => opts.object ?? describeContact(body),
      retry: email ? 'recover' : 'never',
      ...(email
        ? {
            recover: async (signal?: AbortSignal) => {
              const found = await this.findByEmail(email, body.source, signal);
              return found ? ({ status: 200, body: found, headers: {}, trackingId: '' } as ScimResponse) : undefined;
            },
          }
        : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.body;
  }

  /** `GET /{contactId}`. */
  async get(contactId: string, opts: RequestOptions = {}): Promise<Contact> {
    const res = await this.send<Contact>({
      method: 'GET',
      path: `/${encodeURIComponent(contactId)}`,
      operation: 'get',
      object: opts.object ?? `contact id ${contactId}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.body;
  }

  /**
   * `PATCH /{contactId}`: the fields given replace the contact's (an array replaces the whole
   * list; a phone number with `operation: "delete"` is removed). Repeating it leaves the same
   * contact, so it is retried after an unknown outcome.
   */
  async update(contactId: string, body: ContactBody, opts: RequestOptions = {}): Promise<Contact> {
    const res = await this.send<Contact>({
      method: 'PATCH',
      path: `/${encodeURIComponent(contactId)}`,
      body: { schemas: CONTACT_SCHEMA, ...body },
      operation: 'update',
      object: opts.object ?? describeContact(body, contactId),
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return res.body;
  }

  /** `DELETE /{contactId}` (a 404 after an unanswered attempt counts as deleted). */
  async delete(contactId: string, opts: RequestOptions = {}): Promise<void> {
    await this.send({
      method: 'DELETE',
      path: `/${encodeURIComponent(contactId)}`,
      operation: 'delete',
      object: opts.object ?? `contact id ${contactId}`,
      retry: 'idempotent',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * Pages of `GET /search`. The next page is the one a `Link: <…>; rel="next"` header names (Webex's
   * paging), else `start` advanced by what the page held, until `total` is reached. A server that
   * answers the same page again is an error, not an endless loop.
   */
  async *pages(opts: ContactSearchOptions = {}): AsyncGenerator<Contact[], void, undefined> {
    const limit = opts.limit ?? CONTACT_PAGE_SIZE;
    let query: Record<string, string | number | undefined> = { keyword: opts.keyword, source: opts.source, limit };
    let start = 0;
    let firstOfPrevious: string | undefined;
    for (;;) {
      const res = await this.send<SearchResponse>({
        method: 'GET',
        path: '/search',
        query,
        operation: 'search',
        object: `contacts from ${start}`,
        retry: 'idempotent',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const body = res.body;
      if (!body || typeof body !== 'object') throw protocol('search', '/search', 'the search answer has no body');
      const result = Array.isArray(body.result) ? body.result : [];
      if (result.length === 0) return;
      if (result[0]?.contactId !== undefined && result[0].contactId === firstOfPrevious)
        throw protocol('search', '/search', `the server returned the same page again after ${start} contacts; it does not page`);
      firstOfPrevious = result[0]?.contactId;
      yield result;
      start += result.length;
      const next = nextLink(res.headers['link']);
      if (next) query = Object.fromEntries(next.searchParams);
      else if (typeof body.total !== 'number' || start >= body.total) return;
      else query = { ...query, start };
    }
  }

  /** Every contact matching the options, streamed page by page. */
  async *search(opts: ContactSearchOptions = {}): AsyncGenerator<Contact, void, undefined> {
    for await (const page of this.pages(opts)) yield* page;
  }

  /** The contact of this source whose email is `email` (case-insensitive), or undefined. */
  async findByEmail(email: string, source = CONTACT_SOURCE_CH, signal?: AbortSignal): Promise<Contact | undefined> {
    const lc = email.toLowerCase();
    for await (const c of this.search({ keyword: email, source, ...(signal ? { signal } : {}) })) {
      if (c.emails?.some((e) => e.value.toLowerCase() === lc)) return c;
    }
    return undefined;
  }

  /**
   * `POST /bulk`: creates (no `contactId`) or updates (with one) any number of contacts, at most
   * CONTACT_BULK_MAX a request. One result per contact, in order. A request whose outcome is
   * unknown is not repeated blindly: it fails (its contacts' results say so).
   */
  async bulkUpsert(contacts: readonly ContactBody[], opts: RequestOptions = {}): Promise<ContactBulkResult[]> {
    const out: ContactBulkResult[] = [];
    for (let i = 0; i < contacts.length; i += CONTACT_BULK_MAX) {
      const chunk = contacts.slice(i, i + CONTACT_BULK_MAX);
      const res = await this.send<BulkCreateResponse>({
        method: 'POST',
        path: '/bulk',
        body: { schemas: CONTACT_SCHEMA, contacts: chunk },
        operation: 'bulk',
        object: opts.object ?? `${chunk.length} contacts`,
        retry: 'never',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      out.push(...bulkResults(chunk.length, res.body));
    }
    return out;
  }

  /** `POST /bulk/delete`: deletes contacts by id, at most CONTACT_BULK_MAX a request (repeating it is harmless). */
  async bulkDelete(contactIds: readonly string[], opts: RequestOptions = {}): Promise<void> {
    for (let i = 0; i < contactIds.length; i += CONTACT_BULK_MAX) {
      const chunk = contactIds.slice(i, i + CONTACT_BULK_MAX);
      await this.send({
        method: 'POST',
        path: '/bulk/delete',
        body: { schemas: CONTACT_SCHEMA, objectIds: chunk },
        operation: 'bulk delete',
        object: opts.object ?? `${chunk.length} contacts`,
        retry: 'idempotent',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }
  }
}

/**
 * A bulk answer as one result per contact sent: `failedContacts[].id` is the contact's index in
 * the request; `contacts` holds the others in request order (a `null` in place of a failed one,
 * as Webex's example shows, or left out).
 */
export function bulkResults(sent: number, body: BulkCreateResponse | undefined): ContactBulkResult[] {
  const failed = new Map<number, { status: number; message: string }>();
  for (const f of body?.failedContacts ?? []) {
    const index = Number(f.id);
    if (!Number.isInteger(index) || index < 0 || index >= sent) continue;
    const status = typeof f.statusCode === 'number' ? f.statusCode : typeof f.errorCode === 'number' ? f.errorCode : 0;
    failed.set(index, { status, message: f.errorMessage ?? 'failed' });
  }
  const created = (body?.contacts ?? []).filter((c): c is Contact => !!c && typeof c === 'object');
  const out: ContactBulkResult[] = [];
  let next = 0;
  for (let i = 0; i < sent; i++) {
    const f = failed.get(i);
    if (f) out.push({ ok: false, ...f });
    else {
      const contact = created[next++];
      out.push(contact ? { ok: true, contact } : { ok: false, status: 0, message: 'the bulk answer does not list this contact' });
    }
  }
  return out;
}
