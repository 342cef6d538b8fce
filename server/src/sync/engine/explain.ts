/**
 * `explainObject` (api.ts ExplainFn; `dirsync explain`, the extension's Explain Object): for a DN
 * or a userName, which object selection took the entry in or left it out, each mapped value
 * old → new with the config line that produced it, and what the plan does with it and why.
 *
 * Finding the entry: a DN is read with a base-scope search; a userName is looked up through the
 * attributes the `uid` mapping reads (`(|(mail=x)(userPrincipalName=x))`), then in the cloud.
 * The decision comes from the same planner as the dry run, run on that one object.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { CONTACT_SOURCE_CH, ScimNotFoundError, type Contact, type ScimClient } from '../../cloud/index';
import { readContactLedger } from '../apply/contactLedger';
import { contactFieldOf, fieldsOfContact } from '../plan/contacts';
import { escapeFilterValue, isUnder, type DirectorySource } from '../../directory/index';
import { evaluateExpression, expressionReferences } from '../../language/attrExpr/index';
import { accountActive } from '../../language/live/mappings';
import type { DirsyncConfig, ObjectKind } from '../../../../common/config';
import { parseDn } from '../../domain/dn';
import type { DirectoryEntry } from '../../domain/entry';
import type { ConfigRef } from '../../../../common/report';
import type { EngineOptions, ExplainFn, Explanation } from '../contract';
import { loadEngineConfig, openConfiguredCloud, openConfiguredDirectory, safeUrl, type LoadedConfig } from './load';
import type { ConfiguredCloud } from './cloudClient';
import { viewCloudUser } from '../plan/match';
import { attributesNeeded, configRefOf, isRoomEntry, mapEntry, mapGroup } from '../plan/mapping';
import { buildPlan } from '../plan/build';
import { roomsSkipped } from '../plan/users';
import type { ScimUser } from '../../cloud/schemas';

const KINDS: readonly ObjectKind[] = ['users', 'rooms', 'contacts', 'groups'];
const TYPE = { users: 'user', rooms: 'room', contacts: 'contact', groups: 'group' } as const;

function allAttributes(loaded: LoadedConfig): string[] {
  const set = new Set<string>(['objectClass']);
  for (const k of KINDS) for (const a of attributesNeeded(loaded.config, loaded.mapping, k)) set.add(a);
  return [...set];
}

async function first(
  source: DirectorySource,
  baseDns: readonly string[],
  filter: string,
  attributes: string[],
  scope: 'base' | 'sub',
  signal?: AbortSignal,
): Promise<DirectoryEntry | undefined> {
  for (const base of baseDns) {
    try {
      for await (const e of source.search({
        baseDns: [base],
        filter,
        attributes,
        scope,
        sizeLimit: 1,
        allowPartial: true,
        ...(signal ? { signal } : {}),
      }))
        return e;
    } catch (err) {
      if ((err as { code?: string }).code === 'noSuchBase') continue;
      throw err;
    }
  }
  return undefined;
}

async function findEntry(
  loaded: LoadedConfig,
  source: DirectorySource,
  target: string,
  signal?: AbortSignal,
): Promise<DirectoryEntry | undefined> {
  const attrs = allAttributes(loaded);
  if (parseDn(target) && target.includes('=')) return first(source, [target], '(objectClass=*)', attrs, 'base', signal);
  const uid = loaded.mapping.users.find((a) => a.scimPath === 'userName');
  const reads = uid ? expressionReferences(uid.expression).map((r) => r.name) : ['mail'];
  const names = [...new Set([...reads, 'mail', 'userPrincipalName'])];
  const filter = `(|${names.map((n) => `(${n}=${escapeFilterValue(target)})`).join('')})`;
  const bases = [...new Set(KINDS.flatMap((k) => loaded.config.objects[k].baseDns.map((b) => b.value)))];
  return first(source, bases, filter, attrs, 'sub', signal);
}

async function cloudUserFor(
  client: ScimClient,
  externalId: string | undefined,
  userName: string | undefined,
  signal?: AbortSignal,
): Promise<ScimUser | undefined> {
  // Webex cannot filter on externalId: there it is checked on the userName match.
  const filters = [
    externalId && client.flavor !== 'webex' ? `externalId eq "${externalId}"` : undefined,
    userName ? `userName eq "${userName.replace(/["\\]/g, '\\$&')}"` : undefined,
  ].filter((f): f is string => !!f);
  for (const filter of filters) {
    for await (const u of client.users.list({ filter, pageSize: 2, ...(signal ? { signal } : {}) })) return u;
  }
  return undefined;
}

/**
 * The org contact an AD contact is synchronized to — its ledger contact, else the CH contact with
 * its email — with the ledger; undefined when the cloud has no contacts API.
 */
async function cloudContactFor(
  client: ScimClient,
  loaded: LoadedConfig,
  externalId: string,
  email: string,
  signal?: AbortSignal,
): Promise<{ contact?: Contact; ledger: Map<string, string> } | undefined> {
  const api = client.contacts;
  if (!api) return undefined;
  const ledger = await readContactLedger(loaded.stateDir, loaded.file);
  try {
    const id = [...ledger].find(([, ext]) => ext === externalId)?.[0];
    if (id) {
      try {
        return { contact: await api.get(id, signal ? { signal } : {}), ledger };
      } catch (err) {
        if (!(err instanceof ScimNotFoundError)) throw err;
      }
    }
    const found = email ? await api.findByEmail(email, CONTACT_SOURCE_CH, signal) : undefined;
    return { ...(found ? { contact: found } : {}), ledger };
  } catch (err) {
    if (err instanceof ScimNotFoundError) return undefined; // no contacts API there
    throw err;
  }
}

async function selectionsFor(
  config: DirsyncConfig,
  loaded: LoadedConfig,
  source: DirectorySource,
  entry: DirectoryEntry,
  signal?: AbortSignal,
): Promise<Explanation['selections'][number][]> {
  const out: Explanation['selections'][number][] = [];
  for (const kind of KINDS) {
    const s = config.objects[kind];
    const underBaseDn = s.baseDns.some((b) => isUnder(entry.dn, b.value));
    let filterMatches = false;
    if (s.enabled || underBaseDn) filterMatches = !!(await first(source, [entry.dn], s.filter.value, ['1.1'], 'base', signal));
    const ref = s.defaultFilter
      ? undefined
      : configRefOf({ file: basename(loaded.file), lines: loaded.lines }, s.filter, `objects.${kind}.filter`);
    out.push({ kind, enabled: s.enabled, underBaseDn, filterMatches, filter: s.filter.value, ...(ref ? { configRef: ref } : {}) });
  }
  return out;
}

/** Explains one object; see the module comment. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: reads both sides and walks the selections and mappings for one object, in the order the answer shows them.
export async function explainObject(options: EngineOptions & { readonly target: string }): Promise<Explanation> {
  const sessionId = options.sessionId ?? randomUUID();
  const loaded = await loadEngineConfig(options);
  const { config } = loaded;
  const signal = options.signal;
  const source = await openConfiguredDirectory(loaded, signal);
  let cloud: ConfiguredCloud | undefined;
  let client: ScimClient | undefined;
  try {
    cloud = await openConfiguredCloud(loaded, sessionId, options.onEvent);
    client = cloud.client;
    const entry = await findEntry(loaded, source, options.target, signal);
    const messages: string[] = [];
    const selections = entry ? await selectionsFor(config, loaded, source, entry, signal) : [];
    const taken = selections.filter((s) => s.enabled && s.underBaseDn && s.filterMatches);
    // Rooms win over users for room entries, as in the dry run.
    let kind = taken.find((s) => s.kind === 'rooms') ?? taken.find((s) => s.kind !== 'rooms');
    if (kind?.kind === 'users' && entry && config.objects.rooms.enabled && isRoomEntry(config, entry)) kind = undefined;
    const mapped =
      entry && kind
        ? kind.kind === 'groups'
          ? mapGroup(entry)
          : mapEntry(config, loaded.mapping, TYPE[kind.kind] as 'user' | 'room' | 'contact', entry)
        : undefined;
    const lookupName = mapped?.userName || (entry ? undefined : options.target);
    // A contact is a Webex org contact (Organization Contacts API), not a SCIM user.
    const contactSide =
      kind?.kind === 'contacts' && mapped ? await cloudContactFor(client, loaded, mapped.externalId, mapped.userName, signal) : undefined;
    const scimUser =
      kind?.kind === 'groups' || contactSide ? undefined : await cloudUserFor(client, mapped?.externalId, lookupName, signal);
    const contactFields = contactSide?.contact ? fieldsOfContact(contactSide.contact) : undefined;
    const paths = loaded.mapping.users.map((a) => a.scimPath);
    const view = scimUser ? viewCloudUser(scimUser, paths) : undefined;
    if (!entry) messages.push(`${options.target} is not in the directory (under any selection's base DNs)`);
    else if (!kind) messages.push(`${entry.dn} is in the directory but no enabled object selection takes it in`);
    else if (kind.kind === 'rooms' && roomsSkipped(config))
      messages.push(`${entry.dn} is a room: it is not sent to this generic SCIM target (objects.rooms.genericTarget is "skip")`);
    if (contactSide && !contactSide.contact)
      messages.push(`no org contact was synchronized from objectGUID ${mapped?.externalId ?? '—'} or has the email ${lookupName ?? '—'}`);
    else if (!scimUser && kind?.kind !== 'groups' && !contactSide)
      messages.push(`no cloud user has externalId ${mapped?.externalId ?? '—'} or userName ${lookupName ?? '—'}`);
    const attributes =
      mapped && kind?.kind !== 'groups'
        ? (kind?.kind === 'contacts' ? loaded.mapping.contacts : loaded.mapping.users).map((a) => {
            if (a.inverted && entry) {
              // The source attribute's value and the account state it gives, as the preview shows them.
              const source = evaluateExpression(a.expression, entry).trim();
              const known = source !== '' && accountActive(source) !== undefined;
              const error = mapped.errors.find((e) => e.includes(`: ${a.attribute} `));
              return {
                attribute: a.attribute,
                scimPath: a.scimPath,
                expression: a.expressionText,
                value: source === '' ? null : source,
                ...(known ? { active: mapped.active } : {}),
                ...(view ? { cloudActive: view.active } : {}),
                changes: known && (!view || view.active !== mapped.active),
                ...(error ? { error } : {}),
                ...(a.configRef ? { configRef: a.configRef as ConfigRef } : {}),
              };
            }
            const v = a.inverted
              ? mapped.active
              : a.scimPath === 'userName'
                ? mapped.userName
                : a.scimPath === 'externalId'
                  ? mapped.externalId
                  : mapped.values.find((x) => x.attribute === a.attribute)?.value;
            const field = contactFields ? contactFieldOf(a.scimPath) : undefined;
            const cloudValue = contactFields
              ? field
                ? (contactFields[field] ?? null)
                : undefined
              : !view
                ? undefined
                : a.inverted
                  ? view.active
                  : a.scimPath === 'userName'
                    ? view.userName
                    : a.scimPath === 'externalId'
                      ? (view.externalId ?? null)
                      : (view.values[a.scimPath] ?? null);
            const error = mapped.errors.find((e) => e.includes(`: ${a.attribute} `));
            const changes =
              v !== undefined && (cloudValue === undefined ? v !== null : a.resolvesDn ? false : (cloudValue ?? null) !== (v ?? null));
            return {
              attribute: a.attribute,
              scimPath: a.scimPath,
              expression: a.expressionText,
              ...(v !== undefined ? { value: v } : {}),
              ...(cloudValue !== undefined ? { cloudValue } : {}),
              changes,
              ...(error ? { error } : {}),
              ...(a.configRef ? { configRef: a.configRef as ConfigRef } : {}),
            };
          })
        : [];
    let decision: Explanation['decision'];
    if (mapped || scimUser) {
      const contact = contactSide?.contact;
      const plan = await buildPlan({
        config,
        configSha256: loaded.sha256,
        mapping: loaded.mapping,
        directory: entry && kind ? [{ selection: kind.kind, entry }] : [],
        cloudUsers: scimUser ? [scimUser] : [],
        cloudGroups: [],
        ...(contactSide ? { cloudContacts: contact ? [contact] : [], contactLedger: contactSide.ledger } : {}),
        meta: {
          sessionId,
          generatedAt: new Date().toISOString(),
          configFile: loaded.file,
          directory: { url: safeUrl(config.directory.url.value), kind: config.directory.source.kind },
          cloud: { url: safeUrl(config.cloud.url.value), type: config.cloud.type },
        },
      });
      const item =
        plan.report.items.find((i) => (mapped && i.dn === mapped.dn) || (scimUser && i.cloudId === scimUser.id)) ?? plan.report.items[0];
      if (item)
        decision = {
          category: item.category,
          action: item.action,
          ...(item.reason ? { reason: [item.reason, ...(item.errors ?? []), ...(item.warnings ?? [])].join('; ') } : {}),
        };
      if (!item && scimUser)
        decision = {
          category: 'none',
          action: 'none',
          reason: `cloud user ${scimUser.userName} is not owned by this config (its domain is not one of the config's domains)`,
        };
    }
    return {
      query: options.target,
      found: !!entry || !!scimUser,
      ...(kind ? { objectType: TYPE[kind.kind] } : scimUser ? { objectType: 'user' as const } : {}),
      ...(entry ? { dn: entry.dn } : {}),
      ...(mapped?.userName || scimUser ? { userName: mapped?.userName || scimUser!.userName } : {}),
      ...(scimUser?.id ? { cloudId: scimUser.id } : contactSide?.contact ? { cloudId: contactSide.contact.contactId } : {}),
      selections,
      attributes,
      ...(decision ? { decision } : {}),
      messages,
    };
  } finally {
    await source.close().catch(() => undefined);
    await cloud?.close().catch(() => undefined);
  }
}

// The contract in api.ts, checked at compile time.
const explainContract: ExplainFn = explainObject;
void explainContract;
