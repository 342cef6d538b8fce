/**
 * AD contacts → Webex org contacts (the Organization Contacts API, source `CH`), as Directory
 * Connector keeps them: only contacts dirsync synchronized are ever deleted; contacts already in
 * Control Hub are matched, never removed.
 *
 * - **Fields.** `contactAttributes` values go to the contact's fields: uid → the work email,
 *   displayName, givenName → firstName, sn → lastName, title, o → companyName, telephoneNumber /
 *   mobile / facsimileTelephoneNumber → phoneNumbers (work, mobile, fax),
 *   `sipAddresses;type=enterprise` → sipAddresses, `xmpp` → ims (xmpp), street / l / postalCode / c
 *   → address (street, city, zipCode, country). A mapped attribute a contact has no field for is
 *   not sent (one message says so). Fields no mapping writes are left as they are in the cloud.
 * - **Matching.** A contact has no externalId. dirsync keeps, per config, which contact ids it
 *   synchronized and for which objectGUID (the contact ledger, `<stateDir>/state/…contacts.json`,
 *   written by each apply). An AD contact matches its ledger contact first, then a CH contact with
 *   its email (uid). A contact in the ledger that no AD contact matches any more is deleted
 *   (counted by the deletion threshold); any other cloud contact is left alone.
 */
import type { AttributeChange, ReportItem } from '../../../../common/report';
import { SCIM_CISCO, SCIM_ENTERPRISE } from '../../domain/cloudAttributes';
import type { Contact, ContactBody, ContactTyped } from '../../cloud/contacts';
import type { PlanContext } from './context';
import type { MappedObject } from './mapping';

/** The report item of a directory object (user, room or contact) before its decision's details. */
export function directoryItem(
  m: MappedObject,
  category: ReportItem['category'],
  action: ReportItem['action'],
  cloudId?: string,
): ReportItem & Record<string, unknown> {
  // Optional fields assigned, not spread: a literal with conditional spreads is built on V8's slow
  // path, and this runs for every object of every dry run (the key order is the same).
  const item: Record<string, unknown> = {
    id: `${m.objectType}:${m.externalId}`,
    category,
    objectType: m.objectType,
    action,
    dn: m.dn,
    objectGuid: m.externalId,
  };
  if (m.objectSid) item.objectSid = m.objectSid;
  item.userName = m.userName;
  if (m.displayName) item.displayName = m.displayName;
  if (cloudId) item.cloudId = cloudId;
  return item as ReportItem & Record<string, unknown>;
}

/** A contact's comparable fields, flat: `displayName`, `phone.work`, `address.city`, … → value. */
export type ContactFields = Record<string, string>;

/** SCIM path of a mapping → the contact field it fills. */
const FIELD_OF: Readonly<Record<string, string>> = {
  userName: 'email',
  'emails[type eq "work"].value': 'email',
  displayName: 'displayName',
  'name.givenName': 'firstName',
  'name.familyName': 'lastName',
  title: 'title',
  [`${SCIM_ENTERPRISE}:organization`]: 'companyName',
  'phoneNumbers[type eq "work"].value': 'phone.work',
  'phoneNumbers[type eq "mobile"].value': 'phone.mobile',
  'phoneNumbers[type eq "fax"].value': 'phone.fax',
  [`${SCIM_CISCO}:sipAddresses[type eq "enterprise"].value`]: 'sip.enterprise',
  'ims[type eq "xmpp"].value': 'im.xmpp',
  'addresses[type eq "work"].streetAddress': 'address.street',
  'addresses[type eq "work"].locality': 'address.city',
  'addresses[type eq "work"].postalCode': 'address.zipCode',
  'addresses[type eq "work"].country': 'address.country',
};

/** How a field is named in reports (the contacts API's words). */
const FIELD_PATH: Readonly<Record<string, string>> = {
  email: 'emails[type eq "work"].value',
  'phone.work': 'phoneNumbers[type eq "work"].value',
  'phone.mobile': 'phoneNumbers[type eq "mobile"].value',
  'phone.fax': 'phoneNumbers[type eq "fax"].value',
  'sip.enterprise': 'sipAddresses[type eq "enterprise"].value',
  'im.xmpp': 'ims[type eq "xmpp"].value',
};

const STRING_FIELDS = ['displayName', 'firstName', 'lastName', 'title', 'companyName'] as const;
const LISTS = { phone: 'phoneNumbers', sip: 'sipAddresses', im: 'ims' } as const;

/** The contact field a mapping's SCIM path fills, or undefined (not a field of Webex contacts). */
export function contactFieldOf(scimPath: string): string | undefined {
  return FIELD_OF[scimPath];
}

/** The contacts API path of a field, for reports. */
export function contactFieldPath(field: string): string {
  return FIELD_PATH[field] ?? field;
}

/** The mapped object's contact fields (null: empty in AD, removed from the cloud contact). */
export function fieldsOfMapped(m: MappedObject): { wanted: Record<string, string | null>; notSent: string[] } {
  const wanted: Record<string, string | null> = { email: m.userName };
  const notSent: string[] = [];
  for (const v of m.values) {
    const field = FIELD_OF[v.scimPath];
    if (!field) {
      if (v.scimPath !== 'active') notSent.push(v.attribute);
      continue;
    }
    if (field === 'email') continue; // uid is the contact's email
    wanted[field] = typeof v.value === 'string' ? v.value : null;
  }
  return { wanted, notSent };
}

function typed(list: readonly ContactTyped[] | undefined, type: string): string | undefined {
  return list?.find((e) => (e.type ?? '').toLowerCase() === type)?.value;
}

function parseAddress(c: Contact): Record<string, string> {
  if (c.addressInfo && typeof c.addressInfo === 'object') return { ...c.addressInfo };
  if (typeof c.address !== 'string' || !c.address) return {};
  try {
    const a = JSON.parse(c.address) as unknown;
    return a && typeof a === 'object' ? (a as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** A cloud contact's fields, in the same flat form. */
export function fieldsOfContact(c: Contact): ContactFields {
  const out: ContactFields = {};
  for (const k of STRING_FIELDS) if (typeof c[k] === 'string' && c[k]) out[k] = c[k];
  const email = typed(c.emails, 'work') ?? c.emails?.[0]?.value;
  if (email) out['email'] = email;
  for (const t of ['work', 'mobile', 'fax']) {
    const v = typed(c.phoneNumbers, t);
    if (v) out[`phone.${t}`] = v;
  }
  const sip = typed(c.sipAddresses, 'enterprise');
  if (sip) out['sip.enterprise'] = sip;
  const im = typed(c.ims, 'xmpp');
  if (im) out['im.xmpp'] = im;
  const a = parseAddress(c);
  for (const k of ['street', 'city', 'zipCode', 'country']) if (typeof a[k] === 'string' && a[k]) out[`address.${k}`] = a[k];
  return out;
}

function listOf(prefix: 'phone' | 'sip' | 'im', fields: Record<string, string | null>): ContactTyped[] {
  const out: ContactTyped[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith(`${prefix}.`) || !v) continue;
    out.push({ type: k.slice(prefix.length + 1), value: v });
  }
  return out;
}

function addressOf(fields: Record<string, string | null>): string | undefined {
  const a: Record<string, string> = {};
  for (const k of ['street', 'city', 'zipCode', 'country']) {
    const v = fields[`address.${k}`];
    if (v) a[k] = v;
  }
  return Object.keys(a).length ? JSON.stringify(a) : undefined;
}

/** The body that creates the contact (source CH; the email is its primary one). */
export function contactCreateBody(wanted: Record<string, string | null>): ContactBody {
  const body: Record<string, unknown> = { source: 'CH' };
  for (const k of STRING_FIELDS) if (wanted[k]) body[k] = wanted[k];
  const address = addressOf(wanted);
  if (address) body['address'] = address;
  body['emails'] = [{ type: 'work', value: wanted['email'], primary: true }];
  for (const [prefix, key] of Object.entries(LISTS)) {
    const list = listOf(prefix as keyof typeof LISTS, wanted);
    if (list.length) body[key] = list;
  }
  return body as unknown as ContactBody;
}

/**
 * The update of a cloud contact to the wanted fields: only what differs. A text emptied in AD is
 * sent as "" (cleared); a list that changed is sent whole — the wanted elements of the types
 * dirsync writes, the cloud's elements of other types kept — and a phone number no longer wanted
 * is also sent with `operation: "delete"`.
 */
export function contactUpdate(
  wanted: Record<string, string | null>,
  cloud: Contact,
): { changes: Array<{ field: string; old: string | null; new: string | null }>; body?: ContactBody } {
  const have = fieldsOfContact(cloud);
  const changes: Array<{ field: string; old: string | null; new: string | null }> = [];
  for (const [field, want] of Object.entries(wanted)) {
    const old = have[field] ?? null;
    if ((want ?? null) !== old) {
      changes.push({ field, old, new: want ?? null });
    }
  }
  if (!changes.length) return { changes };
  const body: Record<string, unknown> = { source: 'CH' };
  const changed = new Set(changes.map((c) => c.field));
  for (const k of STRING_FIELDS) if (changed.has(k)) body[k] = wanted[k] ?? '';
  if ([...changed].some((f) => f.startsWith('address.'))) body['address'] = addressOf({ ...addressFields(have), ...wanted }) ?? '';
  if (changed.has('email')) {
    const others = (cloud.emails ?? []).filter((e) => (e.type ?? '').toLowerCase() !== 'work');
    body['emails'] = [{ type: 'work', value: wanted['email'], primary: true }, ...others.map(({ value, type }) => ({ value, type }))];
  }
  const current = { phone: cloud.phoneNumbers, sip: cloud.sipAddresses, im: cloud.ims };
  for (const [prefix, key] of Object.entries(LISTS) as Array<[keyof typeof LISTS, string]>) {
    if (![...changed].some((f) => f.startsWith(`${prefix}.`))) continue;
    const managed = new Set(
      Object.keys(wanted)
        .filter((f) => f.startsWith(`${prefix}.`))
        .map((f) => f.slice(prefix.length + 1)),
    );
    const kept = (current[prefix] ?? [])
      .filter((e) => !managed.has((e.type ?? '').toLowerCase()))
      .map(({ value, type }) => ({ value, ...(type ? { type } : {}) }));
    const list: ContactTyped[] = [...listOf(prefix, wanted), ...kept];
    if (prefix === 'phone') {
      for (const e of current.phone ?? []) {
        const t = (e.type ?? '').toLowerCase();
        if (managed.has(t) && !wanted[`phone.${t}`]) list.push({ value: e.value, type: t, operation: 'delete' });
      }
    }
    body[key] = list;
  }
  return { changes, body: body as unknown as ContactBody };
}

function addressFields(have: ContactFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(have)) if (k.startsWith('address.')) out[k] = v;
  return out;
}

/** A contact body as a plan operation carries it (plain JSON). */
function asBody(body: ContactBody): Readonly<Record<string, unknown>> {
  return body as unknown as Readonly<Record<string, unknown>>;
}

/** A cloud contact as the planner keeps it. */
export interface CloudContactView {
  readonly contact: Contact;
  readonly emailLc?: string;
}

/** Reason for contacts when the cloud has no contacts API (a generic SCIM target has no contact resource). */
export const SCIM_CONTACT_REASON =
  'contacts are reported, not written: this cloud has no contacts API (a generic SCIM target has no contact resource; Webex gets them through its Organization Contacts API)';

/**
 * Plans the org's contacts on Webex: one item per AD contact (create, update, none) and one per
 * ledger contact no AD contact matches any more (delete).
 */
export class ContactPlanner {
  private readonly byId = new Map<string, CloudContactView>();
  private readonly byEmail = new Map<string, CloudContactView>();
  private readonly ledgerByExt = new Map<string, string>();
  private readonly matched = new Set<string>();
  private readonly notSent = new Set<string>();
  /** Ledger contacts still in the cloud: the contacts this config owns (the threshold's base). */
  owned = 0;

  constructor(
    private readonly ctx: PlanContext,
    /** contactId → the objectGUID it was synchronized from. */
    private readonly ledger: ReadonlyMap<string, string>,
  ) {
    for (const [id, ext] of ledger) this.ledgerByExt.set(ext, id);
  }

  /** Adds a cloud contact (CH only); returns true when it is one this config synchronized. */
  add(contact: Contact): boolean {
    if (contact.source !== 'CH' || !contact.contactId) return false;
    const email = fieldsOfContact(contact)['email']?.toLowerCase();
    const view: CloudContactView = { contact, ...(email ? { emailLc: email } : {}) };
    this.byId.set(contact.contactId, view);
    if (email && !this.byEmail.has(email)) this.byEmail.set(email, view);
    const ours = this.ledger.has(contact.contactId);
    if (ours) this.owned++;
    return ours;
  }

  /** The cloud contact an AD contact matches: its ledger contact, else a CH contact with its email. */
  match(m: MappedObject): { view?: CloudContactView; by: 'ledger' | 'email' | 'none' } {
    const id = this.ledgerByExt.get(m.externalId);
    const byLedger = id ? this.byId.get(id) : undefined;
    if (byLedger && !this.matched.has(id!)) return { view: byLedger, by: 'ledger' };
    const byEmail = m.userName ? this.byEmail.get(m.userName.toLowerCase()) : undefined;
    if (byEmail && !this.matched.has(byEmail.contact.contactId)) {
      // A contact another AD object owns (by the ledger) is not taken over.
      const owner = this.ledger.get(byEmail.contact.contactId);
      if (!owner || owner === m.externalId) return { view: byEmail, by: 'email' };
    }
    return { by: 'none' };
  }

  private base(m: MappedObject, action: ReportItem['action'], cloudId?: string): ReportItem & Record<string, unknown> {
    return directoryItem(m, 'contacts', action, cloudId);
  }

  /** Decides one valid AD contact. */
  plan(m: MappedObject): ReportItem {
    const { wanted, notSent } = fieldsOfMapped(m);
    for (const a of notSent) this.notSent.add(a);
    const { view, by } = this.match(m);
    const warnings = m.warnings.length ? { warnings: [...m.warnings] } : {};
    if (!view) {
      const body = contactCreateBody(wanted);
      const item = {
        ...this.base(m, 'create'),
        reason: 'in AD, not among the org contacts',
        changes: Object.entries(wanted)
          .filter(([, v]) => v !== null)
          .map(([field, v]): AttributeChange => ({ attribute: field, scimPath: contactFieldPath(field), new: v })),
        ...warnings,
      };
      this.ctx.op('contact', { kind: 'createContact', itemId: item.id, label: m.dn, externalId: m.externalId, body: asBody(body) });
      return item;
    }
    const id = view.contact.contactId;
    this.matched.add(id);
    const reason = by === 'ledger' ? 'matched: synchronized before from this object' : 'matched by email';
    const { changes, body } = contactUpdate(wanted, view.contact);
    if (!body) return { ...this.base(m, 'none', id), reason, ...warnings };
    const item = {
      ...this.base(m, 'update', id),
      reason,
      changes: changes.map((c): AttributeChange => ({ attribute: c.field, scimPath: contactFieldPath(c.field), old: c.old, new: c.new })),
      ...warnings,
    };
    this.ctx.op('contact', {
      kind: 'updateContact',
      itemId: item.id,
      label: m.dn,
      target: { cloudId: id, externalId: m.externalId },
      body: asBody(body),
    });
    return item;
  }

  /** Identity-only contacts (incremental sync): present and unchanged when their contact is in the cloud. */
  planIdentity(m: MappedObject): ReportItem | undefined {
    const { view } = this.match(m);
    if (!view) return undefined;
    this.matched.add(view.contact.contactId);
    return {
      ...this.base(m, 'none', view.contact.contactId),
      reason: 'unchanged since the last sync (uSNChanged at or below the mark): identity read only',
    };
  }

  /** Contacts this config synchronized that no AD contact matches any more: deleted. */
  cloudOnly(): ReportItem[] {
    const out: ReportItem[] = [];
    for (const [id, ext] of this.ledger) {
      const view = this.byId.get(id);
      if (!view || this.matched.has(id)) continue;
      const email = view.emailLc ?? view.contact.displayName ?? id;
      const item: ReportItem = {
        id: `cloud-contact:${id}`,
        category: 'contacts',
        objectType: 'contact',
        action: 'delete',
        userName: email,
        ...(view.contact.displayName ? { displayName: view.contact.displayName } : {}),
        cloudId: id,
        objectGuid: ext,
        reason: 'synchronized before from AD, no longer in the contacts selection',
      };
      this.ctx.op('deleteContact', { kind: 'deleteContact', itemId: item.id, label: email, target: { cloudId: id, externalId: ext } });
      out.push(item);
    }
    if (this.notSent.size) {
      this.ctx.message(
        'information',
        `contactAttributes ${[...this.notSent].sort().join(', ')}: Webex contacts have no such field; not sent`,
      );
    }
    return out;
  }
}
