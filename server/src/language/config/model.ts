/**
 * Builds the typed `DirsyncConfig` from a parsed tree, filling every default (defaults.ts, spec.ts).
 * It never fails: values of the wrong type are replaced by their defaults (the structural pass has
 * reported them), so the editor features always have a model. Whether a config is fit to run is
 * decided by its diagnostics (`loadConfig` in ../service.ts).
 */
import {
  DEFAULT_AVATAR_ATTRIBUTE,
  DEFAULT_AVATAR_MAX_BYTES,
  DEFAULT_CONTACT_ATTRIBUTES,
  DEFAULT_ENABLED,
  DEFAULT_FILTERS,
  DEFAULT_INCREMENTAL_INTERVAL_SECONDS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_ROOM_IDENTITY,
  DEFAULT_ROOMS_GENERIC_TARGET,
  DEFAULT_USER_ATTRIBUTES,
  WEBEX_DEFAULT_URL,
  WEBEX_TOKEN_URL,
} from './defaults';
import { parseDirectoryUrl, parseDuration } from './formats';
import { dnToDomain } from '../../domain/dn';
import { parseSecretRef } from '../../../../common/secretRef';
import { bool, entries, num, prop, rangeOf, str, type Node } from './tree';
import { locatedList, withListEdits } from './modelLists';
import type {
  AttributeMapping,
  AvatarConfig,
  AvatarCredentials,
  CloudAuthConfig,
  CloudConfig,
  DeleteThreshold,
  DirectoryConfig,
  DirsyncConfig,
  Located,
  ObjectKind,
  ObjectSelection,
  ObjectsConfig,
  PolicyConfig,
  RoomSelection,
  SecretRef,
  SmtpConfig,
  TextRange,
} from '../../../../common/config';

const NOWHERE: TextRange = { start: 0, end: 0 };

function located(node: Node | undefined): Located<string> | undefined {
  const v = str(node);
  return v === undefined ? undefined : { value: v, range: rangeOf(node!) };
}

function secret(node: Node | undefined): Located<SecretRef> | undefined {
  const v = str(node);
  if (v === undefined) return undefined;
  const ref = parseSecretRef(v);
  return typeof ref === 'object' && !('error' in ref) ? { value: ref, range: rangeOf(node!) } : undefined;
}

function int(node: Node | undefined, fallback: number, min = -Infinity, max = Infinity): number {
  const v = num(node);
  return v !== undefined && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** Builds the model from the document root (an object node; anything else gives all defaults). */
/** `notification.smtp`, when it names a host and a sender. */
function smtpOf(node: Node | undefined): { smtp?: SmtpConfig } {
  const host = located(prop(node, 'host'));
  const from = located(prop(node, 'from'));
  if (!host || !from) return {};
  const s = str(prop(node, 'security'));
  const security: SmtpConfig['security'] = s === 'tls' || s === 'none' ? s : 'starttls';
  const username = str(prop(node, 'username'));
  const password = secret(prop(node, 'password'));
  const caFile = located(prop(node, 'caFile'));
  return {
    smtp: {
      host,
      port: int(prop(node, 'port'), security === 'tls' ? 465 : security === 'none' ? 25 : 587, 1, 65535),
      security,
      ...(username !== undefined ? { username } : {}),
      ...(password ? { password } : {}),
      from,
      ...(caFile ? { caFile } : {}),
    },
  };
}

/**
 * `edits`: for a tree edited in place, the number of this walk of it and the strings changed since
 * the last one (see `TreeEdits` in structure.ts): lists kept from the previous walk are updated
 * where they changed rather than built again.
 */
export function buildConfig(
  root: Node | undefined,
  edits?: { readonly walk: number; readonly changed?: ReadonlySet<Node> },
): DirsyncConfig {
  return withListEdits(edits, () => buildModel(root));
}

function buildModel(root: Node | undefined): DirsyncConfig {
  const r = root?.type === 'object' ? root : undefined;
  const directory = buildDirectory(prop(r, 'directory'));
  return {
    version: int(prop(r, 'version'), 1),
    ...(str(prop(r, 'name')) !== undefined ? { name: str(prop(r, 'name'))! } : {}),
    directory,
    cloud: buildCloud(prop(r, 'cloud')),
    objects: buildObjects(prop(r, 'objects'), directory),
    attributes: buildMappings(prop(r, 'attributes'), DEFAULT_USER_ATTRIBUTES),
    contactAttributes: buildMappings(prop(r, 'contactAttributes'), DEFAULT_CONTACT_ATTRIBUTES),
    avatar: buildAvatar(prop(r, 'avatar')),
    policy: buildPolicy(prop(r, 'policy')),
    schedule: buildSchedule(prop(r, 'schedule')),
    notification: {
      enabled: bool(prop(prop(r, 'notification'), 'enabled')) ?? false,
      recipients: locatedList(prop(prop(r, 'notification'), 'recipients')),
      onlyOnFailure: bool(prop(prop(r, 'notification'), 'onlyOnFailure')) ?? false,
      ...smtpOf(prop(prop(r, 'notification'), 'smtp')),
    },
  };
}

function buildDirectory(d: Node | undefined): DirectoryConfig {
  const url = located(prop(d, 'url')) ?? { value: '', range: d ? { start: d.offset, end: d.offset } : NOWHERE };
  const parsed = parseDirectoryUrl(url.value);
  const tls = prop(d, 'tls');
  const type = str(prop(d, 'type'));
  const caFile = located(prop(tls, 'caFile'));
  const serverName = str(prop(tls, 'serverName'));
  const bindDn = located(prop(d, 'bindDn'));
  const password = secret(prop(d, 'password'));
  return {
    type: type === 'adlds' ? 'adlds' : 'adds',
    url,
    source: 'error' in parsed ? { kind: 'ldap', secure: true, host: '', port: 636 } : parsed,
    ...(bindDn ? { bindDn } : {}),
    ...(password ? { password } : {}),
    tls: {
      ...(caFile ? { caFile } : {}),
      startTls: bool(prop(tls, 'startTls')) ?? false,
      verify: bool(prop(tls, 'verify')) ?? true,
      ...(serverName !== undefined ? { serverName } : {}),
    },
    baseDns: locatedList(prop(d, 'baseDns')),
    pageSize: int(prop(d, 'pageSize'), DEFAULT_PAGE_SIZE, 1),
    sizeLimit: int(prop(d, 'sizeLimit'), 0, 0),
    timeLimitSeconds: int(prop(d, 'timeLimitSeconds'), 0, 0),
    connectTimeoutSeconds: int(prop(d, 'connectTimeoutSeconds'), 10, 1),
  };
}

function buildCloud(c: Node | undefined): CloudConfig {
  const type = str(prop(c, 'type')) === 'scim' ? 'scim' : 'webex';
  const orgId = located(prop(c, 'orgId'));
  const written = located(prop(c, 'url'));
  const template = written ?? { value: type === 'webex' ? WEBEX_DEFAULT_URL : '', range: c ? { start: c.offset, end: c.offset } : NOWHERE };
  const url = {
    value: orgId ? template.value.replaceAll('{orgId}', encodeURIComponent(orgId.value)) : template.value,
    range: template.range,
  };
  const token = secret(prop(c, 'token'));
  const auth = buildCloudAuth(prop(c, 'auth'));
  const proxy = prop(c, 'proxy');
  const proxyUrl = located(prop(proxy, 'url'));
  const proxyPassword = secret(prop(proxy, 'password'));
  const proxyUser = str(prop(proxy, 'username'));
  return {
    type,
    url,
    ...(orgId ? { orgId } : {}),
    ...(token ? { token } : {}),
    ...(auth ? { auth } : {}),
    concurrency: int(prop(c, 'concurrency'), 4, 1, 64),
    pageSize: int(prop(c, 'pageSize'), 1000, 1, 1000),
    timeoutSeconds: int(prop(c, 'timeoutSeconds'), 30, 1),
    maxRetries: int(prop(c, 'maxRetries'), 6, 0, 20),
    ...(proxyUrl
      ? {
          proxy: {
            url: proxyUrl,
            ...(proxyUser !== undefined ? { username: proxyUser } : {}),
            ...(proxyPassword ? { password: proxyPassword } : {}),
          },
        }
      : {}),
  };
}

function buildCloudAuth(a: Node | undefined): CloudAuthConfig | undefined {
  const clientId = secret(prop(a, 'clientId'));
  const clientSecret = secret(prop(a, 'clientSecret'));
  const refreshToken = secret(prop(a, 'refreshToken'));
  if (!clientId || !clientSecret || !refreshToken) return undefined;
  const tokenUrl = located(prop(a, 'tokenUrl')) ?? { value: WEBEX_TOKEN_URL, range: { start: a!.offset, end: a!.offset } };
  return { clientId, clientSecret, refreshToken, tokenUrl };
}

function buildSelection(kind: ObjectKind, node: Node | undefined, directory: DirectoryConfig): ObjectSelection {
  const own = locatedList(prop(node, 'baseDns'));
  const filter = located(prop(node, 'filter'));
  return {
    kind,
    enabled: bool(prop(node, 'enabled')) ?? DEFAULT_ENABLED[kind],
    baseDns: own.length ? own : directory.baseDns,
    filter: filter ?? { value: DEFAULT_FILTERS[kind], range: node ? { start: node.offset, end: node.offset } : NOWHERE },
    defaultFilter: !filter,
  };
}

function buildObjects(o: Node | undefined, directory: DirectoryConfig): ObjectsConfig {
  const rooms = prop(o, 'rooms');
  const id = prop(rooms, 'identifyBy');
  const roomSelection: RoomSelection = {
    ...buildSelection('rooms', rooms, directory),
    kind: 'rooms',
    identifyBy: {
      attribute: str(prop(id, 'attribute')) ?? DEFAULT_ROOM_IDENTITY.attribute,
      value: str(prop(id, 'value')) ?? DEFAULT_ROOM_IDENTITY.value,
    },
    genericTarget: str(prop(rooms, 'genericTarget')) === 'skip' ? 'skip' : DEFAULT_ROOMS_GENERIC_TARGET,
  };
  return {
    users: buildSelection('users', prop(o, 'users'), directory),
    groups: buildSelection('groups', prop(o, 'groups'), directory),
    contacts: buildSelection('contacts', prop(o, 'contacts'), directory),
    rooms: roomSelection,
  };
}

function buildMappings(node: Node | undefined, defaults: ReadonlyArray<readonly [string, string]>): AttributeMapping[] {
  if (node?.type !== 'object') {
    return defaults.map(([cloud, ad]) => ({
      cloud: { value: cloud, range: NOWHERE },
      expression: { value: ad, range: NOWHERE },
      isDefault: true,
    }));
  }
  // Later duplicates replace earlier ones, as in JSON.parse (DS105 reports them).
  const byKey = new Map<string, AttributeMapping>();
  for (const { key, keyNode, value } of entries(node)) {
    if (value?.type !== 'string') continue;
    byKey.delete(key);
    byKey.set(key, { cloud: { value: key, range: rangeOf(keyNode) }, expression: { value: value.value as string, range: rangeOf(value) } });
  }
  return [...byKey.values()];
}

function buildCredentials(node: Node | undefined): AvatarCredentials | undefined {
  const type = str(prop(node, 'type'));
  if (type === 'basic') {
    const password = secret(prop(node, 'password'));
    const username = str(prop(node, 'username'));
    return password && username !== undefined ? { type: 'basic', username, password } : undefined;
  }
  if (type === 'bearer') {
    const token = secret(prop(node, 'token'));
    return token ? { type: 'bearer', token } : undefined;
  }
  return undefined;
}

function buildAvatar(a: Node | undefined): AvatarConfig {
  const source = str(prop(a, 'source')) === 'resourceServer' ? 'resourceServer' : 'attribute';
  const attribute =
    located(prop(a, 'attribute')) ??
    (source === 'attribute' ? { value: DEFAULT_AVATAR_ATTRIBUTE, range: a ? { start: a.offset, end: a.offset } : NOWHERE } : undefined);
  const uriPattern = located(prop(a, 'uriPattern'));
  const credentials = buildCredentials(prop(a, 'credentials'));
  const publish = prop(a, 'publish');
  const publishUrl = located(prop(publish, 'url'));
  const publicUrl = located(prop(publish, 'publicUrl'));
  const publishCredentials = buildCredentials(prop(publish, 'credentials'));
  return {
    enabled: bool(prop(a, 'enabled')) ?? false,
    source,
    ...(attribute ? { attribute } : {}),
    ...(uriPattern ? { uriPattern } : {}),
    ...(credentials ? { credentials } : {}),
    removeWhenSourceEmpty: bool(prop(a, 'removeWhenSourceEmpty')) ?? false,
    maxBytes: int(prop(a, 'maxBytes'), DEFAULT_AVATAR_MAX_BYTES, 1),
    timeoutSeconds: int(prop(a, 'timeoutSeconds'), 30, 1),
    concurrency: int(prop(a, 'concurrency'), 4, 1, 64),
    ...(publishUrl
      ? {
          publish: {
            url: publishUrl,
            ...(publicUrl ? { publicUrl } : {}),
            ...(publishCredentials ? { credentials: publishCredentials } : {}),
          },
        }
      : {}),
  };
}

function buildThreshold(node: Node | undefined): DeleteThreshold | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.value === 'disabled' ? { disabled: true, range: rangeOf(node) } : undefined;
  if (node.type !== 'object') return undefined;
  const count = num(prop(node, 'count'));
  const percent = num(prop(node, 'percent'));
  const okCount = count !== undefined && Number.isInteger(count) && count >= 0;
  const okPercent = percent !== undefined && percent >= 0 && percent <= 100;
  if (!okCount && !okPercent) return undefined;
  return { ...(okCount ? { count } : {}), ...(okPercent ? { percent } : {}), disabled: false, range: rangeOf(node) };
}

function buildPolicy(p: Node | undefined): PolicyConfig {
  const threshold = buildThreshold(prop(p, 'deleteThreshold'));
  const prot = prop(p, 'protected');
  return {
    ...(threshold ? { deleteThreshold: threshold } : {}),
    mismatched: str(prop(p, 'mismatched')) === 'delete' ? 'delete' : 'retain',
    protected: {
      admins: bool(prop(prot, 'admins')) ?? true,
      userNames: locatedList(prop(prot, 'userNames')),
      dns: locatedList(prop(prot, 'dns')),
    },
    ownedDomains: locatedList(prop(p, 'ownedDomains')),
  };
}

function buildSchedule(s: Node | undefined) {
  const inc = str(prop(s, 'incrementalInterval'));
  const full = str(prop(s, 'fullInterval'));
  const fullSeconds = full !== undefined ? parseDuration(full) : undefined;
  return {
    enabled: bool(prop(s, 'enabled')) ?? true,
    incrementalIntervalSeconds: (inc !== undefined ? parseDuration(inc) : undefined) ?? DEFAULT_INCREMENTAL_INTERVAL_SECONDS,
    ...(fullSeconds !== undefined ? { fullIntervalSeconds: fullSeconds } : {}),
  };
}

/** The config's display name: `name`, else the domain of the first base DN, else the directory host. */
export function configLabel(config: DirsyncConfig): string {
  if (config.name) return config.name;
  const dn = config.directory.baseDns[0]?.value;
  const domain = dn ? dnToDomain(dn) : undefined;
  if (domain) return domain;
  return config.directory.source.kind === 'ldap' ? config.directory.source.host : config.directory.source.path;
}
