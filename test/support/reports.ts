/**
 * Deterministic synthetic dry-run reports for the report UI's tests and benchmark: realistic
 * spreads over every category, non-ASCII names, RFC 4514-escaped DNs, attribute changes old → new
 * with SCIM paths and config references, group membership changes, messages, and avatars with
 * tiny real PNG thumbnails (referred to by hash, as saved reports do: {@link FIXTURE_THUMBNAILS}
 * holds their data). Same options, same report, byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  THUMBNAILS_FOLDER,
  thumbnailFileName,
  type ThumbnailRef,
  REPORT_CATEGORIES,
  REPORT_FORMAT,
  REPORT_VERSION,
  type AttributeChange,
  type ConfigRef,
  type ReportCategory,
  type ReportItem,
  type ReportMessage,
  type SyncReport,
} from '../../common/report';
import { countWork } from '../../common/work';
import { tinyPng } from './tinyPng';
import { mulberry32 as prng } from './random';

export interface ReportFixtureOptions {
  /** Number of items (default 1,000). */
  readonly total?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Make the deletion threshold trip (default true when there are deletions over 500). */
  readonly thresholdExceeded?: boolean;
  /** Extra items appended after the generated ones (e.g. XSS payloads). */
  readonly extraItems?: readonly ReportItem[];
  readonly extraMessages?: readonly ReportMessage[];
}

/** Share of each category in a typical first dry run against a populated org (sums to 1). */
const MIX: ReadonlyArray<readonly [ReportCategory, number]> = [
  ['matched', 0.6],
  ['modified', 0.15],
  ['added', 0.08],
  ['avatars', 0.06],
  ['mismatched', 0.03],
  ['groups', 0.02],
  ['deleted', 0.015],
  ['contacts', 0.015],
  ['deactivated', 0.01],
  ['invalid', 0.007],
  ['softDeleted', 0.005],
  ['rooms', 0.003],
];

const GIVEN = [
  'Zoë',
  'Björn',
  'Åsa',
  'José',
  'François',
  'Łukasz',
  'Małgorzata',
  'Søren',
  'İbrahim',
  'Thị Hương',
  'Wei',
  'Dmitry',
  'Ольга',
  'محمد',
  'Γιώργος',
  'Haruto',
  'Siobhán',
  'Núria',
  'Ana',
  'John',
  'Mary',
  'Priya',
  'Olúwaseun',
  'Chloé',
  'Jürgen',
  'Ærin',
  'Ngozi',
  'Ömer',
  'Sanjay',
  'Kateřina',
];
const FAMILY = [
  'Müller',
  'García-López',
  'Nguyễn',
  '王',
  'Ōkubo',
  "O'Brien",
  'Šimić',
  'Çelik',
  'Johansson',
  'Kowalski',
  'Smith',
  'Иванов',
  'Παπαδόπουλος',
  'Dubois',
  'Rossi',
  'Ørsted',
  'Kim',
  'Patel',
  'Adeyemi',
  'Novák',
  'Fernández',
  'Lefèvre',
  'Yılmaz',
  'Schäfer',
  'Van der Berg',
];
const OUS = ['Sales', 'Engineering', 'Finance', 'Support', 'Marketing', 'Legal', 'Operations', 'R&D', 'HR'];
const TITLES = [
  'Engineer',
  'Senior Engineer',
  'Account Manager',
  'Director, Sales',
  'Analyst',
  'Support Specialist',
  'Counsel',
  'Designer',
  'Team Lead',
  'VP Operations',
];
const CITIES = ['San José', 'München', 'Zürich', 'København', 'São Paulo', 'Kraków', 'Tōkyō', 'Reykjavík', 'Montréal', 'Oslo'];
const LANGS = ['en_US', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP', 'pl_PL', 'sv_SE', 'pt_BR'];
const CONFIG_FILE = '/home/admin/dirsync/corp.dirsync';

/** SCIM paths and config lines of the mapped attributes (lines of a realistic corp.dirsync). */
const ATTRS: ReadonlyArray<readonly [attribute: string, scimPath: string, line: number]> = [
  ['displayName', 'displayName', 31],
  ['firstName', 'name.givenName', 32],
  ['lastName', 'name.familyName', 33],
  ['title', 'title', 34],
  ['department', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 35],
  ['telephoneNumber', 'phoneNumbers[type eq "work"].value', 36],
  ['mobile', 'phoneNumbers[type eq "mobile"].value', 37],
  ['city', 'addresses[type eq "work"].locality', 38],
  ['preferredLanguage', 'preferredLanguage', 39],
  ['manager', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 40],
  ['email', 'emails[type eq "work"].value', 41],
  ['sipAddresses;type=enterprise', 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User:sipAddresses[type eq "enterprise"].value', 42],
];

/** RFC 4514 escaping of an attribute value inside a DN. */
export function escapeDnValue(value: string): string {
  return value.replace(/[,+"\\<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

function asciiFold(s: string): string {
  const folded = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ı/g, 'i');
  const ascii = folded.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return ascii;
}

// --- the generator ---------------------------------------------------------------------------------

/** The fixture reports' thumbnails: 24 tiny PNGs, each with its reference and its `data:` URL. */
export const FIXTURE_THUMBNAILS: ReadonlyArray<{ readonly ref: ThumbnailRef; readonly dataUri: string }> = Array.from(
  { length: 24 },
  (_, i) => {
    const dataUri = tinyPng(i * 15);
    const bytes = Buffer.from(dataUri.slice(dataUri.indexOf(',') + 1), 'base64');
    return { ref: { sha256: createHash('sha256').update(bytes).digest('hex'), contentType: 'image/png' }, dataUri };
  },
);

/** The fixture thumbnails as the standalone report embeds them: hash → `data:` URL. */
export function fixtureThumbnailMap(): Record<string, string> {
  return Object.fromEntries(FIXTURE_THUMBNAILS.map((t) => [t.ref.sha256, t.dataUri]));
}

/** Writes the fixture thumbnails into the thumbnails folder of `reportsDir`, as the engine would. */
export function writeFixtureThumbnails(reportsDir: string): void {
  const dir = join(reportsDir, THUMBNAILS_FOLDER);
  mkdirSync(dir, { recursive: true });
  for (const t of FIXTURE_THUMBNAILS) writeFileSync(join(dir, thumbnailFileName(t.ref)), Buffer.from(t.dataUri.split(',')[1]!, 'base64'));
}

function ref(line: number, path: string, column = 5): ConfigRef {
  return { file: CONFIG_FILE, line, column, path };
}

/** Builds a report of `total` items spread over every category like a real first dry run. */
export function makeReport(options: ReportFixtureOptions = {}): SyncReport {
  const total = options.total ?? 1000;
  const rnd = prng(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const thumbs = FIXTURE_THUMBNAILS.map((t) => t.ref);

  // Exact counts per category: floor of the share, remainder to `matched`.
  const counts = new Map<ReportCategory, number>(MIX.map(([c, share]) => [c, Math.floor(total * share)]));
  counts.set('matched', total - [...counts.entries()].filter(([c]) => c !== 'matched').reduce((s, [, n]) => s + n, 0));

  const items: ReportItem[] = [];
  let seq = 0;
  const person = () => {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const ou = pick(OUS);
    const n = seq;
    const userName = `${asciiFold(given) || 'user'}.${asciiFold(family) || 'x'}${n}@example.com`;
    const guid = hex(rnd, 8) + '-' + hex(rnd, 4) + '-' + hex(rnd, 4) + '-' + hex(rnd, 4) + '-' + hex(rnd, 12);
    return {
      displayName: `${given} ${family}`,
      cn: `${family}, ${given} ${n}`,
      userName,
      dn: `CN=${escapeDnValue(`${family}, ${given} ${n}`)},OU=${escapeDnValue(ou)},OU=Users,DC=corp,DC=example,DC=com`,
      objectGuid: guid,
      objectSid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + n}`,
      cloudId: hex(rnd, 8) + '-' + hex(rnd, 4) + '-4' + hex(rnd, 3) + '-a' + hex(rnd, 3) + '-' + hex(rnd, 12),
    };
  };
  const change = (idx: number, old: string | undefined, neu: string | undefined): AttributeChange => {
    const [attribute, scimPath, line] = ATTRS[idx]!;
    return { attribute, scimPath, old, new: neu, configRef: ref(line, `attributes.${attribute}`, 7) };
  };
  const valueFor = (idx: number, p: ReturnType<typeof person>): string => {
    switch (ATTRS[idx]![0]) {
      case 'displayName':
        return p.displayName;
      case 'firstName':
        return p.displayName.split(' ')[0]!;
      case 'lastName':
        return p.displayName.split(' ').slice(1).join(' ');
      case 'title':
        return pick(TITLES);
      case 'department':
        return pick(OUS);
      case 'telephoneNumber':
        return `+1 408 555 ${String(1000 + Math.floor(rnd() * 9000))}`;
      case 'mobile':
        return `+49 151 ${String(1000000 + Math.floor(rnd() * 8999999))}`;
      case 'city':
        return pick(CITIES);
      case 'preferredLanguage':
        return pick(LANGS);
      case 'manager':
        return `CN=${escapeDnValue(`${pick(FAMILY)}, ${pick(GIVEN)}`)},OU=Users,DC=corp,DC=example,DC=com`;
      case 'email':
        return p.userName;
      default:
        return `sip:${p.userName}`;
    }
  };

  for (const category of REPORT_CATEGORIES) {
    const n = counts.get(category) ?? 0;
    for (let k = 0; k < n; k++, seq++) {
      const id = `${category}-${k}`;
      const p = person();
      const base = {
        id,
        category,
        dn: p.dn,
        objectGuid: p.objectGuid,
        objectSid: p.objectSid,
        userName: p.userName,
        displayName: p.displayName,
      };
      switch (category) {
        case 'added': {
          const changes = ATTRS.map((_, i) => i)
            .filter((i) => i < 4 || rnd() < 0.6)
            .map((i) => change(i, undefined, valueFor(i, p)));
          items.push({ ...base, objectType: 'user', action: 'create', changes, configRef: ref(12, 'objects.users.filter') });
          break;
        }
        case 'modified': {
          const picks = new Set<number>();
          const m = 1 + Math.floor(rnd() * 3);
          while (picks.size < m) picks.add(3 + Math.floor(rnd() * (ATTRS.length - 3)));
          const changes = [...picks].sort((a, b) => a - b).map((i) => change(i, valueFor(i, p), valueFor(i, p)));
          const caseOnly = k % 97 === 0;
          if (caseOnly)
            changes.push(
              change(
                10,
                p.userName.replace(/^./, (c) => c.toUpperCase()),
                p.userName,
              ),
            );
          items.push({
            ...base,
            objectType: 'user',
            action: 'update',
            cloudId: p.cloudId,
            changes,
            ...(caseOnly ? { warnings: ['Case-only difference in email: updated, not deleted and re-created.'] } : {}),
          });
          break;
        }
        case 'matched':
          items.push({ ...base, objectType: 'user', action: 'none', cloudId: p.cloudId });
          break;
        case 'mismatched': {
          const retain = k % 3 !== 0;
          const { dn: _dn, objectGuid: _g, objectSid: _s, ...cloudOnly } = base;
          void _dn;
          void _g;
          void _s;
          items.push({
            ...cloudOnly,
            objectType: 'user',
            action: retain ? 'retain' : 'delete',
            cloudId: p.cloudId,
            reason: retain
              ? 'In the cloud, not in AD: retained (mismatched: retain).'
              : 'In the cloud, not in AD: deleted (mismatched: delete).',
            configRef: ref(20, 'mismatched'),
          });
          break;
        }
        case 'deleted':
          items.push({
            ...base,
            objectType: 'user',
            action: 'delete',
            cloudId: p.cloudId,
            reason: 'Removed from AD since the last sync.',
            configRef: ref(20, 'mismatched'),
          });
          break;
        case 'deactivated':
          items.push({
            ...base,
            objectType: 'user',
            action: 'deactivate',
            cloudId: p.cloudId,
            reason: 'Disabled in AD (userAccountControl 0x0202).',
            changes: [{ attribute: 'active', scimPath: 'active', old: true, new: false, configRef: ref(44, 'attributes.active') }],
          });
          break;
        case 'softDeleted':
          items.push({
            ...base,
            objectType: 'user',
            action: 'none',
            cloudId: p.cloudId,
            reason: 'Soft-deleted in the cloud (kept for 7 days, then purged).',
          });
          break;
        case 'rooms':
          items.push({
            id,
            category,
            objectType: 'room',
            action: k % 4 === 0 ? 'update' : 'create',
            dn: `CN=${escapeDnValue(`Room ${pick(CITIES)} ${k}`)},OU=Rooms,DC=corp,DC=example,DC=com`,
            displayName: `Room ${pick(CITIES)} ${k}`,
            userName: `room${k}@example.com`,
            objectGuid: p.objectGuid,
            changes: [change(0, k % 4 === 0 ? `Room ${k}` : undefined, `Room ${pick(CITIES)} ${k}`)],
            configRef: ref(52, 'objects.rooms.filter'),
          });
          break;
        case 'groups': {
          const added = Array.from({ length: Math.floor(rnd() * 6) }, () => person().dn);
          const removed = Array.from({ length: Math.floor(rnd() * 3) }, () => person().dn);
          const name = `${pick(OUS)} ${pick(['Team', 'Managers', 'All', 'Project'])} ${k}`;
          items.push({
            id,
            category,
            objectType: 'group',
            action: k % 10 === 0 ? 'create' : 'update',
            dn: `CN=${escapeDnValue(name)},OU=Groups,DC=corp,DC=example,DC=com`,
            displayName: name,
            objectGuid: p.objectGuid,
            members: { added, removed },
            configRef: ref(24, 'objects.groups.filter'),
          });
          break;
        }
        case 'contacts':
          items.push({
            ...base,
            objectType: 'contact',
            action: k % 5 === 0 ? 'update' : 'create',
            changes: [change(0, undefined, p.displayName), change(10, undefined, p.userName)],
            configRef: ref(28, 'objects.contacts.filter'),
          });
          break;
        case 'avatars': {
          const r = rnd();
          const status = r < 0.55 ? 'upload' : r < 0.8 ? 'unchanged' : r < 0.9 ? 'empty' : r < 0.96 ? 'failed' : 'remove';
          const action =
            status === 'upload'
              ? 'avatarUpload'
              : status === 'remove'
                ? 'avatarRemove'
                : status === 'failed' || status === 'empty'
                  ? 'skip'
                  : 'none';
          const thumb = status === 'upload' || status === 'unchanged' ? pick(thumbs) : undefined;
          items.push({
            ...base,
            objectType: 'user',
            action,
            cloudId: p.cloudId,
            avatar: {
              status,
              ...(status === 'empty'
                ? { reason: 'No image data' }
                : status === 'failed'
                  ? { reason: 'HTTP 404 from the resource server' }
                  : {}),
              source: k % 2 ? 'attribute' : 'resourceServer',
              ...(k % 2 ? {} : { url: `https://photos.corp.example.com/${encodeURIComponent(p.userName)}.jpg` }),
              ...(thumb
                ? {
                    contentType: 'image/jpeg',
                    bytes: 4000 + Math.floor(rnd() * 40000),
                    width: 96,
                    height: 96,
                    sha256: hex(rnd, 64),
                    thumbnail: thumb,
                  }
                : {}),
            },
            configRef: ref(48, 'avatars.uri'),
          });
          break;
        }
        case 'invalid': {
          const which = k % 3;
          const errors = [
            ['phoneNumbers[type eq "work"].value: "ext. n/a" has no digit.'],
            [`userName: "${p.displayName}" is not an email address.`],
            ['preferredLanguage: "english" is not of the form xx_YY.'],
          ][which]!;
          items.push({ ...base, objectType: 'user', action: 'skip', errors, configRef: ref([36, 30, 39][which]!, 'attributes') });
          break;
        }
      }
    }
  }
  for (const extra of options.extraItems ?? []) items.push(extra);

  const summary = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
  for (const item of items) summary[item.category]++;
  const deletions = items.filter((i) => i.action === 'delete').length;
  const owned = summary.matched + summary.modified + summary.mismatched + summary.deleted + summary.deactivated;
  const limitCount = 500;
  const exceeded = options.thresholdExceeded ?? deletions > limitCount;
  const messages: ReportMessage[] = [
    { severity: 'information', message: `Read ${total} objects from ldaps://dc1.corp.example.com:636 in 41.2 s.` },
    {
      severity: 'warning',
      message: 'Attribute "mobile" is empty for 1,204 users; the cloud value is kept.',
      configRef: ref(37, 'attributes.mobile', 7),
    },
  ];
  for (const item of items.filter((i) => i.category === 'invalid').slice(0, 40)) {
    messages.push({
      severity: 'error',
      message: item.errors![0]!,
      ...(item.dn ? { dn: item.dn } : {}),
      ...(item.userName ? { userName: item.userName } : {}),
    });
  }
  for (const item of items.filter((i) => i.warnings?.length).slice(0, 20)) {
    messages.push({ severity: 'warning', message: item.warnings![0]!, ...(item.dn ? { dn: item.dn } : {}) });
  }
  messages.push(...(options.extraMessages ?? []));

  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    sessionId: `s-${(options.seed ?? 1).toString(16).padStart(4, '0')}-${total}`,
    generatedAt: '2025-03-14T09:26:53.000Z',
    mode: 'dryRun',
    config: { file: CONFIG_FILE, name: 'Corp users and groups', sha256: hex(rnd, 64) },
    directory: { url: 'ldaps://dc1.corp.example.com:636', kind: 'ldap', fingerprint: hex(rnd, 16) },
    cloud: {
      url: 'https://webexapis.com/identity/scim/7f3c1d2e-0000-4000-8000-1234567890ab/v2',
      type: 'webex',
      orgId: '7f3c1d2e-0000-4000-8000-1234567890ab',
    },
    summary,
    work: countWork(items),
    threshold: {
      deletions,
      owned,
      limitCount,
      limitPercent: 10,
      disabled: false,
      exceeded,
      ...(exceeded
        ? {
            refusal: `A full sync would delete ${deletions.toLocaleString('en-US')} objects, more than the limit of ${limitCount} (deletion threshold); nothing will be written.`,
          }
        : {}),
    },
    items,
    messages,
  };
}

function hex(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
  return s;
}

/** Script-injection payloads that must show as text. */
export const XSS_PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  "'><iframe src=javascript:alert(1)></iframe>",
  '</script><script>alert(1)</script>',
  '\u2028<!--<script>alert(1)//',
] as const;

/** Items whose every untrusted field carries one of the payloads, in every category. */
export function xssItems(): ReportItem[] {
  const out: ReportItem[] = [];
  XSS_PAYLOADS.forEach((payload, i) => {
    const category = REPORT_CATEGORIES[i % REPORT_CATEGORIES.length]!;
    out.push({
      id: `xss-${i}`,
      category,
      objectType: 'user',
      action: 'update',
      dn: `CN=${escapeDnValue(payload)},OU=Users,DC=corp,DC=example,DC=com`,
      userName: payload,
      displayName: payload,
      cloudId: payload,
      reason: payload,
      warnings: [payload],
      errors: [payload],
      changes: [
        {
          attribute: 'title',
          scimPath: 'title',
          old: payload,
          new: `${payload} (new)`,
          configRef: { file: `javascript:alert(${i})`, line: 3, column: 1, path: payload },
        },
      ],
      members: { added: [payload], removed: [payload] },
      avatar: {
        status: 'upload',
        reason: payload,
        url: 'javascript:alert(1)',
        // Hostile thumbnails in both forms: a version 2 report's inline URL, and a reference whose
        // hash would break out of a selector or a file name.
        thumbnail: (i % 3 === 2
          ? { sha256: `"] , img[src*="x"], x[a="../../${payload}`, contentType: 'image/svg+xml' }
          : i % 2
            ? 'javascript:alert(1)'
            : `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')}`) as unknown as ThumbnailRef,
      },
      configRef: { file: payload, line: 1, column: 1, path: payload },
    });
  });
  return out;
}

/** Messages carrying the payloads. */
export function xssMessages(): ReportMessage[] {
  return XSS_PAYLOADS.map((payload) => ({ severity: 'warning' as const, message: payload, dn: payload, userName: payload }));
}
