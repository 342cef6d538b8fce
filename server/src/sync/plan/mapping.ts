/**
 * AD entry → SCIM resource, per the config's `attributes` (users, rooms) and `contactAttributes`
 * (contacts). Expressions are compiled once per run (`compileMapping`), then evaluated per entry
 * (`mapEntry`). Values are kept flat, keyed by the SCIM path of the cloud attribute table
 * (domain/cloudAttributes.ts), which is what the planner compares with the cloud and what
 * `scimUserBody` and PATCH operations write.
 *
 * Fixed by the product (seed 001 "Active Directory and cloud attributes"): externalId = objectGUID
 * unless the config maps `externalId`; `active` from `ds-pwp-account-disabled` (inverted;
 * userAccountControl bit 2, or AD LDS's flags when unmapped); rooms are SCIM users with
 * `userType: "room"`, always active (Exchange room mailboxes are disabled AD accounts), keeping their
 * SIP address. Invalid values make the object `invalid` (errors name the DN); it is never sent.
 */
import { isAccountDisabled } from '../../domain/accountState';
import { isEmailAddress } from '../../domain/email';
import { controlCharacter, shown } from '../../domain/text';
import { guidProblem } from '../../domain/adValues';
import { accountActive } from '../../language/live/mappings';
import { expressionReferences, evaluateExpression, type Expression } from '../../language/attrExpr/index';
import { findCloudAttribute, SCIM_CISCO, type CloudValueKind } from '../../domain/cloudAttributes';
import type { AttributeMapping, DirsyncConfig, Located } from '../../../../common/config';
import { parseEmbedded } from '../../language/embedded';
import { firstText, type DirectoryEntry } from '../../domain/entry';
import type { LineIndex } from '../../language/positions';
import type { ConfigRef, ObjectType } from '../../../../common/report';
import { SCHEMA } from '../../cloud/schemas';
import { ownString } from '../../domain/dn';
import type { Mutable } from '../../domain/mutable';
import { writeScimPath } from './scimPath';

/** One mapping line, compiled. */
export interface CompiledAttribute {
  /** Cloud attribute as written (`displayName`, `sipAddresses;type=enterprise`). */
  readonly attribute: string;
  readonly scimPath: string;
  readonly kind: CloudValueKind;
  readonly expressionText: string;
  readonly expression: Expression;
  /** `active` ← not disabled. */
  readonly inverted: boolean;
  /** The AD value is a DN resolved to the cloud object's id (manager). */
  readonly resolvesDn: boolean;
  readonly configRef?: ConfigRef;
}

export interface CompiledMapping {
  readonly users: readonly CompiledAttribute[];
  readonly contacts: readonly CompiledAttribute[];
  /** Mappings that could not be compiled (unknown cloud attribute, bad expression), as messages. */
  readonly problems: readonly string[];
}

/** Where config values come from, for ConfigRefs (`file:line:col`). */
export interface ConfigSource {
  /** The config file as the report names it. */
  readonly file: string;
  readonly lines: LineIndex;
}

/** A ConfigRef for a located config value. */
export function configRefOf(src: ConfigSource | undefined, located: Located<unknown> | undefined, path: string): ConfigRef | undefined {
  if (!src || !located) return undefined;
  const p = src.lines.positionAt(located.range.start);
  return { file: src.file, line: p.line + 1, column: p.character + 1, path };
}

function compileList(
  list: readonly AttributeMapping[],
  section: string,
  src: ConfigSource | undefined,
  problems: string[],
  cloudType: 'webex' | 'scim',
): CompiledAttribute[] {
  const out: CompiledAttribute[] = [];
  for (const m of list) {
    const info = findCloudAttribute(m.cloud.value);
    const where = `${section}.${m.cloud.value}`;
    if (!info) {
      problems.push(`${where}: unknown cloud attribute, not synchronized`);
      continue;
    }
    // Cisco's extension is Webex's: a generic SCIM server does not know it (and may refuse it).
    if (cloudType === 'scim' && info.scimPath.startsWith(`${SCIM_CISCO}:`)) {
      if (!m.isDefault) problems.push(`${where}: in Cisco's Webex extension, not sent to a generic SCIM target`);
      continue;
    }
    const { result, error } = parseEmbedded('attrExpr', m.expression.value);
    if (error || !result?.ok) {
      problems.push(`${where}: the expression has errors`);
      continue;
    }
    const ref = m.isDefault ? undefined : configRefOf(src, m.expression, where);
    out.push({
      attribute: m.cloud.value,
      scimPath: info.scimPath,
      kind: info.kind,
      expressionText: m.expression.value,
      expression: result.value as Expression,
      inverted: !!info.inverted,
      resolvesDn: !!info.resolvesDn,
      ...(ref ? { configRef: ref } : {}),
    });
  }
  return out;
}

/** Compiles `attributes` and `contactAttributes` once for a run. */
export function compileMapping(config: DirsyncConfig, src?: ConfigSource): CompiledMapping {
  const problems: string[] = [];
  return {
    users: compileList(config.attributes, 'attributes', src, problems, config.cloud.type),
    contacts: compileList(config.contactAttributes, 'contactAttributes', src, problems, config.cloud.type),
    problems,
  };
}

/** The AD attributes a selection's search must return (only these are requested). */
export function attributesNeeded(
  config: DirsyncConfig,
  mapping: CompiledMapping,
  kind: 'users' | 'groups' | 'contacts' | 'rooms',
  extra: readonly string[] = [],
): string[] {
  const set = new Set<string>(['objectGUID', 'objectSid', 'cn', 'displayName', 'mail']);
  if (kind === 'groups') set.add('member');
  else {
    for (const a of kind === 'contacts' ? mapping.contacts : mapping.users)
      for (const r of expressionReferences(a.expression)) set.add(r.name);
    set.add('userAccountControl');
    if (config.directory.type === 'adlds') ['msDS-UserAccountDisabled', 'ds-pwp-account-disabled'].forEach((a) => set.add(a));
    if (kind === 'users' || kind === 'rooms') set.add(config.objects.rooms.identifyBy.attribute);
  }
  for (const e of extra) set.add(e);
  return [...set];
}

/**
 * The attributes an incremental sync's identity-only read requests (entries unchanged since the
 * USN mark): what the planner needs to recognise the object as present — objectGUID (and the
 * externalId mapping's sources), the userName mapping's sources (matching, ownership), the room
 * identity attribute; for groups their name (displayName, cn). No member, no mapped value.
 */
export function identityAttributes(
  config: DirsyncConfig,
  mapping: CompiledMapping,
  kind: 'users' | 'groups' | 'contacts' | 'rooms',
): string[] {
  const set = new Set<string>(['objectGUID']);
  if (kind === 'groups') ['displayName', 'cn'].forEach((a) => set.add(a));
  else {
    for (const a of kind === 'contacts' ? mapping.contacts : mapping.users) {
      if (a.scimPath === 'userName' || a.scimPath === 'externalId') for (const r of expressionReferences(a.expression)) set.add(r.name);
    }
    if (kind === 'users' || kind === 'rooms') set.add(config.objects.rooms.identifyBy.attribute);
  }
  return [...set];
}

/**
 * Maps an identity-only entry (incremental sync, unchanged since the mark): externalId, userName
 * and DN only — no value, so nothing to compare; `identityOnly` tells the planner so.
 */
export function mapIdentity(
  mapping: CompiledMapping,
  objectType: 'user' | 'room' | 'contact' | 'group',
  entry: DirectoryEntry,
): MappedObject {
  if (objectType === 'group') return { ...mapGroup(entry), values: [], members: [], identityOnly: true };
  const list = objectType === 'contact' ? mapping.contacts : mapping.users;
  const errors: string[] = [];
  const badGuid = guidProblem(entry.attributes['objectguid']?.[0]);
  if (badGuid) errors.push(`${shown(entry.dn)}: ${badGuid}: the object cannot be linked to the cloud`);
  let externalId = badGuid ? '' : (firstText(entry, 'objectGUID') ?? '');
  let userName = '';
  for (const a of list) {
    if (a.scimPath !== 'userName' && a.scimPath !== 'externalId') continue;
    const raw = evaluateExpression(a.expression, entry).trim();
    if (a.scimPath === 'externalId') {
      if (raw) externalId = raw;
    } else {
      userName = raw;
      if (!raw || validateValue('email', raw) || controlCharacter(raw))
        errors.push(`${shown(entry.dn)}: ${a.attribute} ← ${a.expressionText} is not a valid userName`);
    }
  }
  if (!externalId && !badGuid) errors.push(`${shown(entry.dn)}: no objectGUID: the object cannot be linked to the cloud`);
  return {
    objectType,
    dn: ownString(entry.dn),
    externalId: externalId.toLowerCase(),
    userName: ownString(userName),
    active: true,
    values: [],
    errors,
    warnings: [],
    identityOnly: true,
  };
}

/** One mapped value; `null` means "empty in AD" (the cloud value is removed). */
export interface MappedValue {
  readonly attribute: string;
  readonly scimPath: string;
  readonly value: string | boolean | null;
  readonly resolvesDn?: boolean;
  readonly configRef?: ConfigRef;
}

/** An AD object as the planner needs it: identity, flat values, validation results. Compact on purpose. */
export interface MappedObject {
  readonly objectType: ObjectType;
  readonly dn: string;
  /** objectGUID text (or the mapped externalId); '' when the entry has none (then invalid). */
  readonly externalId: string;
  readonly objectSid?: string;
  /** SCIM userName (users, rooms, contacts) or group displayName. */
  readonly userName: string;
  readonly displayName?: string;
  readonly active: boolean;
  readonly values: readonly MappedValue[];
  /** Member DNs (groups). */
  readonly members?: readonly string[];
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Incremental sync: only the identity was read (unchanged since the USN mark); nothing to compare. */
  readonly identityOnly?: boolean;
}

const LANGUAGE = /^[a-z]{2,3}[_-][A-Z]{2}$/;
const SIP = /^[^@\s]+@[^@\s]+$/;

/** Why a value is not acceptable for its kind, or undefined. */
export function validateValue(kind: CloudValueKind, value: string): string | undefined {
  switch (kind) {
    case 'email':
      return isEmailAddress(value) ? undefined : 'is not an email address';
    case 'phone':
      return /\d/.test(value) ? undefined : 'has no digit: not a phone number';
    case 'language':
      return LANGUAGE.test(value) ? undefined : 'is not a language tag of the form xx_YY (en_US, fr-CA)';
    case 'sip':
      // Directory Connector's value check: something, then `@`, then something (`sip:` prefix allowed).
      return SIP.test(value) ? undefined : 'is not a SIP address (user@domain, as `sip:room1@example.com`)';
    default:
      return undefined;
  }
}

function roomIdentity(config: DirsyncConfig, entry: DirectoryEntry): boolean {
  const { attribute, value } = config.objects.rooms.identifyBy;
  const want = value.toLowerCase();
  return (entry.attributes[attribute.toLowerCase()] ?? []).some((v) => typeof v === 'string' && v.toLowerCase() === want);
}

/** True when an entry is a room per `objects.rooms.identifyBy`. */
export { roomIdentity as isRoomEntry };

/** Maps one user, room or contact entry. */
export function mapEntry(
  config: DirsyncConfig,
  mapping: CompiledMapping,
  objectType: 'user' | 'room' | 'contact',
  entry: DirectoryEntry,
): MappedObject {
  const list = objectType === 'contact' ? mapping.contacts : mapping.users;
  const errors: string[] = [];
  const warnings: string[] = [];
  const values: MappedValue[] = [];
  // Messages name the object by its DN, cut when it is absurdly long.
  const dn = shown(entry.dn);
  const badGuid = guidProblem(entry.attributes['objectguid']?.[0]);
  if (badGuid) errors.push(`${dn}: ${badGuid}: the object cannot be linked to the cloud`);
  let externalId = badGuid ? '' : (firstText(entry, 'objectGUID') ?? '');
  let userName = '';
  let active: boolean | undefined;
  for (const a of list) {
    const raw = evaluateExpression(a.expression, entry).trim();
    if (a.inverted) {
      if (raw === '') continue;
      const act = accountActive(raw);
      if (act === undefined)
        errors.push(
          `${dn}: ${a.attribute} ← ${a.expressionText} is ${JSON.stringify(shown(raw))}, neither a userAccountControl number nor TRUE/FALSE`,
        );
      else active = act;
      continue;
    }
    if (a.scimPath === 'externalId') {
      if (raw) externalId = raw;
      continue;
    }
    const control = controlCharacter(raw);
    if (control) {
      errors.push(`${dn}: ${a.attribute} contains the control character ${control}; fix the value in the directory`);
      continue;
    }
    if (a.scimPath === 'userName') {
      userName = raw;
      if (!raw) errors.push(`${dn}: ${a.attribute} ← ${a.expressionText} is empty: the object has no cloud userName`);
      else if (validateValue('email', raw)) errors.push(`${dn}: ${a.attribute} ${JSON.stringify(shown(raw))} is not an email address`);
      continue;
    }
    if (raw !== '') {
      const why = validateValue(a.kind, raw);
      if (why) {
        errors.push(`${dn}: ${a.attribute} ${JSON.stringify(shown(raw))} ${why}`);
        continue;
      }
    }
    // Optional fields assigned, not spread (V8's slow path for every value of every entry); same key order.
    const value: Mutable<MappedValue> = { attribute: a.attribute, scimPath: a.scimPath, value: raw === '' ? null : raw };
    if (a.resolvesDn) value.resolvesDn = true;
    if (a.configRef) value.configRef = a.configRef;
    values.push(value);
  }
  if (active === undefined) active = !isAccountDisabled(entry, config.directory.type);
  if (objectType === 'room') active = true;
  if (!externalId && !badGuid) errors.push(`${dn}: no objectGUID: the object cannot be linked to the cloud`);
  const displayName = values.find((v) => v.scimPath === 'displayName')?.value;
  const sid = firstText(entry, 'objectSid');
  // Optional fields assigned, not spread (V8's slow path for every entry); the same key order.
  const mapped = { objectType, dn: ownString(entry.dn), externalId: externalId.toLowerCase() } as Mutable<MappedObject>;
  if (sid) mapped.objectSid = sid;
  mapped.userName = ownString(userName);
  if (typeof displayName === 'string') mapped.displayName = ownString(displayName);
  mapped.active = active;
  mapped.values = values;
  mapped.errors = errors;
  mapped.warnings = warnings;
  return mapped;
}

/** Maps a group entry: displayName (or cn), externalId, member DNs. */
export function mapGroup(entry: DirectoryEntry): MappedObject {
  const dn = shown(entry.dn);
  const badGuid = guidProblem(entry.attributes['objectguid']?.[0]);
  const externalId = badGuid ? '' : (firstText(entry, 'objectGUID') ?? '').toLowerCase();
  const name = ownString(firstText(entry, 'displayName') || firstText(entry, 'cn') || '');
  const errors: string[] = [];
  if (badGuid) errors.push(`${dn}: ${badGuid}: the group cannot be linked to the cloud`);
  else if (!externalId) errors.push(`${dn}: no objectGUID: the group cannot be linked to the cloud`);
  if (!name) errors.push(`${dn}: no displayName or cn: the group has no cloud name`);
  const control = controlCharacter(name);
  if (control) errors.push(`${dn}: the group's name contains the control character ${control}; fix it in the directory`);
  const members = (entry.attributes['member'] ?? []).flatMap((m) => (typeof m === 'string' ? [ownString(m)] : []));
  const sid = firstText(entry, 'objectSid');
  return {
    objectType: 'group',
    dn: ownString(entry.dn),
    externalId,
    ...(sid ? { objectSid: sid } : {}),
    userName: name,
    displayName: name,
    active: true,
    values: [{ attribute: 'displayName', scimPath: 'displayName', value: name }],
    members,
    errors,
    warnings: [],
  };
}

/**
 * The SCIM body that creates a mapped user. `resolved` gives DN-valued attributes (manager) their
 * cloud id; values it cannot resolve are left out. On Webex (`dialect` "webex") every create says
 * what it is — `userType` "room" for rooms, "user" otherwise (required by Webex's Users API, an
 * enum there: nothing else is mapped onto it) — `schemas` lists the extensions the body uses, and
 * Cisco's extension, when written, carries the `accountStatus` Webex requires with it. A generic
 * target gets no `userType`: RFC 7643 §4.1.1 makes it the user's relationship to the organization
 * (Employee, Contractor, …), which a room does not have, so a room there is a plain user.
 */
export function scimUserBody(
  obj: MappedObject,
  resolved: (v: MappedValue) => string | undefined = () => undefined,
  dialect: 'webex' | 'scim' = 'webex',
): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SCHEMA.user], userName: obj.userName, externalId: obj.externalId, active: obj.active };
  if (dialect === 'webex') body['userType'] = obj.objectType === 'room' ? 'room' : 'user';
  for (const v of obj.values) {
    if (v.value === null) continue;
    const value = v.resolvesDn ? resolved(v) : v.value;
    if (value === undefined) continue;
    writeScimPath(body, v.scimPath, value);
  }
  if (dialect === 'webex') {
    const schemas = body['schemas'] as string[];
    for (const urn of [SCHEMA.enterpriseUser, SCHEMA.webexUser]) if (body[urn] && !schemas.includes(urn)) schemas.push(urn);
    const cisco = body[SCHEMA.webexUser] as Record<string, unknown> | undefined;
    if (cisco && cisco['accountStatus'] === undefined) cisco['accountStatus'] = WEBEX_NEW_ACCOUNT_STATUS;
  }
  return body;
}

/** The account state a create writes into Cisco's extension (Webex's Users API requires one there). */
export const WEBEX_NEW_ACCOUNT_STATUS = 'active';

export { SCIM_CISCO };
