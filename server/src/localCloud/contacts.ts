/**
 * Webex's Organization Contacts API in the local cloud (webex dialect only; a generic SCIM server
 * has no contacts): `/v1/contacts/organizations/{orgId}/contacts` — POST, `/{contactId}` GET, PATCH,
 * DELETE, `/search` GET, `/bulk` POST, `/bulk/delete` POST — checked and answered as the published
 * document (`webex-organization-contacts.yml`) says. Contacts live in SQLite beside users.
 *
 * Refused as Webex would: a body whose `schemas` is not `urn:cisco:codev:identity:contact:core:1.0`,
 * without `source` or with one outside the document's enum (`Webex4Broadworks` is 403: only CH is
 * allowed for this org), a CH contact with none of emails, phoneNumbers, sipAddresses, a property
 * the document does not list, a type outside its enums, an `address` that is not JSON text. A
 * second CH contact with an email another one has is a 409. Errors are Webex's
 * `{ message, errors: [{ description }], trackingId }`.
 */
import { randomUUID } from 'node:crypto';
import { CONTACT_SCHEMA } from '../cloud/contacts';
import { isoNow, type CloudContext } from './context';
import { ScimHttpError } from './errors';
import { finish, readJson, type Exchange } from './http';
import { checkJsonDepth, checkJsonMediaType } from './limits';
import type { Json } from './resource';

/** The path prefix of the contacts API; the org id follows. */
export const CONTACTS_PREFIX = /^\/v1\/contacts\/organizations\/([^/]+)\/contacts(\/.*)?$/;

/** Contacts one bulk request may carry here. */
export const CONTACT_BULK_LIMIT = 1000;
const MAX_LIMIT = 1000;
const BODY_LIMIT = 4 * 1024 * 1024;

const SOURCES = ['CH', 'Webex4Broadworks'];
const STRINGS = ['displayName', 'firstName', 'lastName', 'companyName', 'title', 'address', 'avatarURL'] as const;
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  emails: ['work', 'home', 'room', 'other'],
  phoneNumbers: ['work', 'home', 'mobile', 'work_extension', 'fax', 'pager', 'other'],
  sipAddresses: ['enterprise', 'cloud-calling', 'personal-room'],
  ims: [
    'aim',
    'cucm-jid',
    'gtalk',
    'icq',
    'msn',
    'qq',
    'skype',
    'webex-messenger-jid',
    'webex-squared-jid',
    'xmpp',
    'yahoo',
    'microsoft-sip-uri',
    'xmpp-fed-jid',
  ],
};
const LISTS = Object.keys(ENUMS);
const METHODS = ['SIPADDRESS', 'EMAIL', 'PHONE', 'IMS'];
const KNOWN = new Set(['schemas', 'source', 'primaryContactMethod', 'groupIds', ...STRINGS, ...LISTS]);

interface Row {
  seq: number;
  id: string;
  source: string;
  created: string;
  modified: string;
  doc: string;
}

/** A refusal in the contacts API's words. */
class ContactError extends ScimHttpError {}
const bad = (detail: string) => new ContactError(400, undefined, detail);

/** Checks a contact body as the document's Contact / UpdateContact / BulkCreate item; returns the fields to store. */
export function checkContact(body: unknown, mode: 'create' | 'update' | 'bulk'): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('the contact must be a JSON object');
  const b = body as Json;
  if (mode !== 'bulk' && b['schemas'] !== CONTACT_SCHEMA) throw bad(`schemas must be "${CONTACT_SCHEMA}"`);
  for (const k of Object.keys(b)) {
    if (!KNOWN.has(k) && !(mode === 'bulk' && k === 'contactId')) throw bad(`${k} is not a property of a contact`);
  }
  const source = b['source'];
  if (typeof source !== 'string') throw bad('source is required');
  if (!SOURCES.includes(source)) throw bad(`source must be one of ${SOURCES.join(', ')}`);
  if (source !== 'CH')
    throw new ContactError(403, undefined, `Caller is not authorized for source ${source}, only sources [CH] are allowed`);
  for (const k of STRINGS) if (b[k] !== undefined && typeof b[k] !== 'string') throw bad(`${k} must be a string`);
  if (typeof b['address'] === 'string' && b['address'] !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(b['address']);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('address must be JSON text of an object');
  }
  const method = b['primaryContactMethod'];
  if (method !== undefined && (typeof method !== 'string' || !METHODS.includes(method)))
    throw bad(`primaryContactMethod must be one of ${METHODS.join(', ')}`);
  if (b['groupIds'] !== undefined && !(Array.isArray(b['groupIds']) && b['groupIds'].every((g) => typeof g === 'string')))
    throw bad('groupIds must be an array of strings');
  for (const list of LISTS) {
    const v = b[list];
    if (v === undefined) continue;
    if (!Array.isArray(v)) throw bad(`${list} must be an array`);
    for (const e of v) {
      if (!e || typeof e !== 'object' || Array.isArray(e)) throw bad(`${list}: every element must be an object`);
      const el = e as Json;
      for (const k of Object.keys(el)) {
        const allowed =
          k === 'value' || k === 'type' || k === 'primary' || (k === 'operation' && list === 'phoneNumbers' && mode !== 'create');
        if (!allowed) throw bad(`${list}: ${k} is not a property of its elements`);
      }
      if (typeof el['value'] !== 'string' || el['value'] === '') throw bad(`${list}: every element needs a value`);
      if (el['type'] !== undefined && !ENUMS[list]!.includes(String(el['type'])))
        throw bad(`${list}: type ${JSON.stringify(el['type'])} is not one of ${ENUMS[list]!.join(', ')}`);
      if (el['primary'] !== undefined && typeof el['primary'] !== 'boolean') throw bad(`${list}: primary must be true or false`);
      if (el['operation'] !== undefined && el['operation'] !== 'delete') throw bad(`${list}: the only operation is delete`);
    }
  }
  const { schemas: _s, contactId: _c, ...fields } = b;
  return fields;
}

function hasChannel(doc: Json): boolean {
  return ['emails', 'phoneNumbers', 'sipAddresses'].some((k) => Array.isArray(doc[k]) && (doc[k] as unknown[]).length > 0);
}

function emailsOf(doc: Json): string[] {
  return Array.isArray(doc['emails']) ? (doc['emails'] as Json[]).map((e) => String(e['value']).toLowerCase()) : [];
}

/** The stored contacts of one org, with the checks above. */
export class ContactService {
  private readonly byId;
  private readonly insert;
  private readonly updateRow;
  private readonly remove;
  private readonly all;
  private readonly count;

  constructor(readonly ctx: CloudContext) {
    const db = ctx.db;
    this.byId = db.prepare<[string], Row>('SELECT seq, id, source, created, modified, doc FROM contacts WHERE id = ?');
    this.insert = db.prepare('INSERT INTO contacts (id, source, created, modified, doc) VALUES (?, ?, ?, ?, ?)');
    this.updateRow = db.prepare('UPDATE contacts SET modified = ?, doc = ? WHERE id = ?');
    this.remove = db.prepare<[string]>('DELETE FROM contacts WHERE id = ?');
    this.all = db.prepare<[], Row>('SELECT seq, id, source, created, modified, doc FROM contacts ORDER BY seq');
    this.count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM contacts');
  }

  size(): number {
    return this.count.get()!.n;
  }

  /** ContactResponse: what the document's answers show. */
  answer(row: Row): Json {
    const doc = JSON.parse(row.doc) as Json;
    const out: Json = { schemas: CONTACT_SCHEMA, meta: { created: row.created, lastModified: row.modified }, contactId: row.id };
    for (const [k, v] of Object.entries(doc)) if (v !== '' && !(Array.isArray(v) && v.length === 0)) out[k] = v;
    if (typeof doc['address'] === 'string' && doc['address']) {
      const a = JSON.parse(doc['address']) as Json;
      const info: Json = {};
      for (const k of ['city', 'country', 'street', 'zipCode']) if (typeof a[k] === 'string') info[k] = a[k];
      out['addressInfo'] = info;
    }
    out['isMigration'] = false;
    out['orgId'] = this.ctx.orgId;
    return out;
  }

  private row(id: string): Row {
    const r = this.byId.get(id);
    if (!r) throw new ContactError(404, undefined, `Contact ${id} not found`);
    return r;
  }

  get(id: string): Json {
    return this.answer(this.row(id));
  }

  /** 409 when another contact of the source has one of these emails. */
  private checkUnique(doc: Json, source: string, self?: string): void {
    const mine = new Set(emailsOf(doc));
    if (mine.size === 0) return;
    for (const r of this.all.all()) {
      if (r.id === self || r.source !== source) continue;
      const other = emailsOf(JSON.parse(r.doc) as Json).find((e) => mine.has(e));
      if (other) throw new ContactError(409, undefined, `a contact with the email ${other} already exists (${r.id})`);
    }
  }

  create(fields: Json): Json {
    if (fields['source'] === 'CH' && !hasChannel(fields))
      throw bad('At least one of phoneNumbers, emails, sipAddresses is required for source CH');
    const source = String(fields['source']);
    this.checkUnique(fields, source);
    const id = randomUUID();
    const now = isoNow(this.ctx);
    this.insert.run(id, source, now, now, JSON.stringify(fields));
    return this.get(id);
  }

  /** The given fields replace the stored ones; phone numbers marked `operation: delete` are removed; "" clears a text. */
  update(id: string, fields: Json): Json {
    const row = this.row(id);
    const doc = JSON.parse(row.doc) as Json;
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'phoneNumbers' && Array.isArray(v)) {
        const gone = new Set((v as Json[]).filter((e) => e['operation'] === 'delete').map((e) => `${e['type']}|${e['value']}`));
        const kept = (v as Json[]).filter((e) => e['operation'] !== 'delete');
        const old = Array.isArray(doc[k]) ? (doc[k] as Json[]) : [];
        doc[k] = kept.length || !gone.size ? kept : old.filter((e) => !gone.has(`${e['type']}|${e['value']}`));
      } else if (v === '') delete doc[k];
      else doc[k] = v;
    }
    if (!hasChannel(doc)) throw bad('At least one of phoneNumbers, emails, sipAddresses is required for source CH');
    this.checkUnique(doc, row.source, id);
    this.updateRow.run(isoNow(this.ctx), JSON.stringify(doc), id);
    return this.get(id);
  }

  delete(id: string): void {
    this.row(id);
    this.remove.run(id);
  }

  /** `/search`: keyword (displayName, firstName, lastName, email; contains, any case), source, a window. */
  search(keyword: string, source: string | undefined, start: number, limit: number): Json {
    const k = keyword.toLowerCase();
    const hits = this.all.all().filter((r) => {
      if (source && r.source !== source) return false;
      if (!k) return true;
      const d = JSON.parse(r.doc) as Json;
      const texts = [d['displayName'], d['firstName'], d['lastName'], ...emailsOf(d)];
      return texts.some((t) => typeof t === 'string' && t.toLowerCase().includes(k));
    });
    return { result: hits.slice(start, start + limit).map((r) => this.answer(r)), start, limit, total: hits.length };
  }
}

function webexError(ex: Exchange, err: ScimHttpError): void {
  ex.dropAfter = false;
  const body = JSON.stringify({ message: err.message, errors: [{ description: err.message }], trackingId: ex.trackingId });
  finish(ex, err.status, { 'content-type': 'application/json', ...err.headers }, body);
}

function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  finish(ex, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

async function readBody(ex: Exchange): Promise<unknown> {
  checkJsonMediaType(ex.req);
  const body = await readJson(ex.req, BODY_LIMIT);
  checkJsonDepth(body);
  return body;
}

function whole(text: string | null, name: string, fallback: number): number {
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw bad(`${name} must be a whole number`);
  return n;
}

/** Handles one request under the contacts prefix (`rest`: what follows `/contacts`). */
export async function handleContacts(ex: Exchange, service: ContactService, rest: string, tx: <T>(f: () => T) => T): Promise<void> {
  try {
    const route = `${ex.method} ${rest || '/'}`;
    if (route === 'POST /') {
      const fields = checkContact(await readBody(ex), 'create');
      return sendJson(
        ex,
        201,
        tx(() => service.create(fields)),
      );
    }
    if (route === 'GET /search') {
      const limit = Math.min(MAX_LIMIT, whole(ex.query.get('limit'), 'limit', 100));
      const start = whole(ex.query.get('start'), 'start', 0);
      const answer = service.search(ex.query.get('keyword') ?? '', ex.query.get('source') ?? undefined, start, limit);
      // Webex's paging: a `Link` to the next page while there is one.
      const next = start + limit < Number(answer['total']) ? new URLSearchParams(ex.query) : undefined;
      next?.set('start', String(start + limit));
      const link: Record<string, string> = next ? { link: `<${service.ctx.origin}${ex.path}?${next}>; rel="next"` } : {};
      return sendJson(ex, 200, answer, link);
    }
    if (route === 'POST /bulk') return sendJson(ex, 200, bulk(service, await readBody(ex), tx));
    if (route === 'POST /bulk/delete') {
      const b = (await readBody(ex)) as Json | null;
      if (!b || typeof b !== 'object' || b['schemas'] !== CONTACT_SCHEMA) throw bad(`schemas must be "${CONTACT_SCHEMA}"`);
      const ids = b['objectIds'];
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw bad('objectIds must be an array of contact ids');
      if (ids.length > CONTACT_BULK_LIMIT) throw bad(`at most ${CONTACT_BULK_LIMIT} contacts a request`);
      tx(() => {
        for (const id of ids as string[]) {
          try {
            service.delete(id);
          } catch (err) {
            if (!(err instanceof ContactError && err.status === 404)) throw err;
          }
        }
      });
      return finish(ex, 200, {});
    }
    const one = /^\/([^/]+)$/.exec(rest);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (ex.method === 'GET') return sendJson(ex, 200, service.get(id));
      if (ex.method === 'PATCH') {
        const fields = checkContact(await readBody(ex), 'update');
        return sendJson(
          ex,
          200,
          tx(() => service.update(id, fields)),
        );
      }
      if (ex.method === 'DELETE') {
        tx(() => service.delete(id));
        return finish(ex, 204, {});
      }
      throw new ContactError(405, undefined, `${ex.method} is not allowed on a contact`);
    }
    throw new ContactError(404, undefined, `no such endpoint: ${ex.path}`);
  } catch (err) {
    if (err instanceof ScimHttpError) return webexError(ex, err);
    throw err;
  }
}

/** `/bulk`: each contact created (no contactId) or updated on its own; failures listed by index. */
function bulk(service: ContactService, body: unknown, tx: <T>(f: () => T) => T): Json {
  const b = body as Json | null;
  if (!b || typeof b !== 'object' || b['schemas'] !== CONTACT_SCHEMA) throw bad(`schemas must be "${CONTACT_SCHEMA}"`);
  const list = b['contacts'];
  if (!Array.isArray(list)) throw bad('contacts must be an array');
  if (list.length > CONTACT_BULK_LIMIT) throw bad(`at most ${CONTACT_BULK_LIMIT} contacts a request`);
  const contacts: Json[] = [];
  const failedContacts: Json[] = [];
  list.forEach((item, i) => {
    try {
      const fields = checkContact(item, 'bulk');
      const id = (item as Json)['contactId'];
      contacts.push(tx(() => (typeof id === 'string' ? service.update(id, fields) : service.create(fields))));
    } catch (err) {
      if (!(err instanceof ScimHttpError)) throw err;
      failedContacts.push({ id: String(i), errorCode: err.status, errorMessage: err.message });
    }
  });
  return { contacts, ...(failedContacts.length ? { failedContacts } : {}), orgId: service.ctx.orgId };
}
