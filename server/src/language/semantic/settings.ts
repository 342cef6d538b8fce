/**
 * DS5xx checks of the connection, avatar, policy, schedule and notification sections: TLS that
 * does not verify, Webex without orgId, page sizes, settings an LDIF source ignores, avatar source
 * completeness, the required delete threshold, schedules and recipients, duplicate list entries.
 */
import { findAdAttribute } from '../../domain/adSchema';
import { lazyFix, setValueEdits } from '../config/edits';
import { dnKey } from '../../domain/dn';
import { TextMemo } from '../memo';
import { DuplicateFinder } from './duplicates';
import { rangeOf } from '../config/tree';
import { listDelta } from '../config/modelLists';
import type { Located } from '../../../../common/config';
import { embeddedRange } from '../embedded';
import type { AvatarUriPattern } from '../avatarUri/index';
import { blame, keyRange, nodeAt, report, type SemanticContext } from './context';

export function checkConnection(ctx: SemanticContext): void {
  const { directory, cloud } = ctx.config;
  const src = directory.source;
  const verify = nodeAt(ctx, ['directory', 'tls', 'verify']);
  if (src.kind === 'ldap' && (src.secure || directory.tls.startTls) && verify?.value === false) {
    report(
      ctx,
      'DS510',
      rangeOf(verify),
      'Certificate verification is off: anyone between here and the domain controller can read the bind password. Give the CA in `tls.caFile` instead',
    );
  }
  if (
    src.kind === 'ldap' &&
    !src.secure &&
    !directory.tls.startTls &&
    (nodeAt(ctx, ['directory', 'password']) || nodeAt(ctx, ['directory', 'bindDn'])) &&
    directory.url.value
  ) {
    report(
      ctx,
      'DS528',
      directory.url.range,
      'Plain `ldap://` without StartTLS sends the bind password in clear text: use `ldaps://` or set `tls.startTls`',
      [
        {
          title: 'Use `ldaps://`',
          edits: [
            {
              range: directory.url.range,
              newText: JSON.stringify(directory.url.value.replace(/^ldap:\/\//i, 'ldaps://').replace(/:389\b/, ':636')),
            },
          ],
          preferred: true,
        },
        lazyFix({ title: 'Set `tls.startTls`' }, () => setValueEdits(ctx.text, ['directory', 'tls', 'startTls'], true)),
      ],
    );
  }
  const pageSize = nodeAt(ctx, ['directory', 'pageSize']);
  if (pageSize?.type === 'number' && (pageSize.value as number) > 1000) {
    report(
      ctx,
      'DS516',
      rangeOf(pageSize),
      'AD returns at most 1000 entries a page (MaxPageSize); a larger page size is capped by the server',
      [{ title: 'Change to 1000', edits: [{ range: rangeOf(pageSize), newText: '1000' }], preferred: true }],
    );
  }
  if (src.kind === 'ldif') {
    for (const key of ['bindDn', 'password', 'tls', 'pageSize', 'sizeLimit', 'timeLimitSeconds', 'connectTimeoutSeconds']) {
      const r = keyRange(ctx, ['directory', key]);
      if (r) report(ctx, 'DS517', r, `\`${key}\` has no effect with an \`ldif:\` source`, undefined, { unnecessary: true });
    }
  }
  const cloudNode = nodeAt(ctx, ['cloud']);
  if (cloudNode) {
    const template = nodeAt(ctx, ['cloud', 'url'])?.value ?? (cloud.type === 'webex' ? '{orgId}' : '');
    if (cloud.type === 'scim' && !nodeAt(ctx, ['cloud', 'url'])) {
      report(ctx, 'DS515', blame(ctx, ['cloud', 'url']), 'A generic SCIM cloud needs `url` (its SCIM base URL)', [
        lazyFix({ title: 'Add `url`', preferred: true }, () => setValueEdits(ctx.text, ['cloud', 'url'], 'https://scim.example.com/v2')),
      ]);
    } else if (String(template).includes('{orgId}') && !cloud.orgId) {
      report(ctx, 'DS515', blame(ctx, ['cloud', 'orgId']), 'The cloud URL needs `orgId` (the Webex organization ID from Control Hub)', [
        lazyFix({ title: 'Add `orgId`', preferred: true }, () => setValueEdits(ctx.text, ['cloud', 'orgId'], 'your-org-id')),
      ]);
    }
  }
}

export function checkAvatar(ctx: SemanticContext): void {
  const a = ctx.config.avatar;
  if (!nodeAt(ctx, ['avatar'])) return;
  if (a.source === 'attribute' && a.enabled && !nodeAt(ctx, ['avatar', 'attribute'])) {
    report(
      ctx,
      'DS513',
      blame(ctx, ['avatar', 'source']),
      'No `avatar.attribute`: thumbnailPhoto is used. Say which attribute holds the photos',
      [
        lazyFix({ title: 'Add `"attribute": "thumbnailPhoto"`', preferred: true }, () =>
          setValueEdits(ctx.text, ['avatar', 'attribute'], 'thumbnailPhoto'),
        ),
      ],
    );
  }
  if (a.source === 'attribute' && a.attribute && nodeAt(ctx, ['avatar', 'attribute'])) {
    const ad = findAdAttribute(a.attribute.value);
    if (ad && ad.syntax !== 'binary') {
      report(
        ctx,
        'DS518',
        a.attribute.range,
        `\`${ad.name}\` is not a photo attribute (it holds ${ad.syntax} values); use thumbnailPhoto or jpegPhoto, or source "resourceServer" with a URI pattern`,
      );
    } else if (!ad) {
      report(
        ctx,
        'DS519',
        a.attribute.range,
        `\`${a.attribute.value}\` is not in the built-in AD schema list; check the spelling (schema extensions are fine)`,
      );
    }
  }
  if (a.source === 'resourceServer' && !a.uriPattern) {
    report(
      ctx,
      'DS514',
      blame(ctx, ['avatar', 'uriPattern']),
      'Source "resourceServer" needs `uriPattern`, e.g. `http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg`',
      [
        lazyFix({ title: 'Add `uriPattern`', preferred: true }, () =>
          setValueEdits(ctx.text, ['avatar', 'uriPattern'], 'https://photos.example.com/{mail: .*?(?=@.*)}.jpg'),
        ),
      ],
    );
  }
  if (a.enabled && a.source === 'attribute' && ctx.config.cloud.type === 'webex' && !a.publish) {
    report(
      ctx,
      'DS523',
      blame(ctx, ['avatar', 'enabled']),
      'Webex reads profile pictures from a URL: images from an AD attribute need `avatar.publish` (where to put them)',
    );
  }
  if (a.enabled && ctx.config.cloud.type === 'scim' && !a.publish) {
    report(
      ctx,
      'DS541',
      blame(ctx, ['avatar', 'enabled']),
      "Without `avatar.publish`, pictures are uploaded with `PUT /Users/{id}/avatar`, which SCIM 2.0 does not have (only dirsync's local cloud serves it): publish them, and users' `photos` point at them",
    );
  }
  // Placeholders of the URI pattern read AD attributes too.
  const pattern = ctx.embedded.find((e) => e.format === 'avatarUri');
  if (pattern?.format === 'avatarUri' && pattern.result?.ok) {
    const parts = (pattern.result.value as AvatarUriPattern).parts;
    for (const p of parts) {
      if (p.type === 'placeholder' && !findAdAttribute(p.attribute)) {
        report(
          ctx,
          'DS519',
          embeddedRange(pattern, p.attributeRange),
          `\`${p.attribute}\` is not in the built-in AD schema list; check the spelling (schema extensions are fine)`,
        );
      }
    }
  }
}

/** DN comparison keys by text: thousands of protected DNs are keyed on every keystroke. */
const dnKeys = new TextMemo(dnKey);
const normalizeDn = (dn: string) => dnKeys.get(dn);
const lowerCase = (v: string) => v.toLowerCase();

export function checkPolicy(ctx: SemanticContext): void {
  const threshold = nodeAt(ctx, ['policy', 'deleteThreshold']);
  if (!threshold) {
    const fix = lazyFix({ title: 'Add a delete threshold (50 objects or 10 %)', preferred: true }, () =>
      setValueEdits(ctx.text, ['policy', 'deleteThreshold'], { count: 50, percent: 10 }),
    );
    report(
      ctx,
      'DS508',
      blame(ctx, ['policy', 'deleteThreshold']),
      '`policy.deleteThreshold` is required: say how many deletions one sync may do (`{ "count": 50, "percent": 10 }`) or `"disabled"`',
      [fix],
    );
  } else if (
    threshold.type === 'object' &&
    !ctx.config.policy.deleteThreshold &&
    !nodeAt(ctx, ['policy', 'deleteThreshold', 'count']) &&
    !nodeAt(ctx, ['policy', 'deleteThreshold', 'percent'])
  ) {
    report(ctx, 'DS508', rangeOf(threshold), '`deleteThreshold` needs `count`, `percent` or both');
  } else if (ctx.config.policy.deleteThreshold?.disabled) {
    report(ctx, 'DS509', rangeOf(threshold), 'The delete threshold is disabled: one sync may delete any number of cloud objects');
  }
  const n = ctx.config.notification;
  if (n.enabled && n.recipients.length === 0) {
    report(ctx, 'DS524', blame(ctx, ['notification', 'recipients']), 'Notifications are enabled but `recipients` is empty');
  }
  if (n.enabled && !n.smtp && !nodeAt(ctx, ['notification', 'smtp'])) {
    report(
      ctx,
      'DS535',
      blame(ctx, ['notification', 'enabled']),
      'Notifications are enabled but `notification.smtp` is missing: add the mail server (`host`, `from`, and `username`/`password` to sign in)',
    );
  }
  const security = nodeAt(ctx, ['notification', 'smtp', 'security']);
  if (n.smtp?.security === 'none' && security && !/^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i.test(n.smtp.host.value)) {
    report(
      ctx,
      'DS536',
      rangeOf(security),
      `\`security: "none"\` sends the password and the report to ${n.smtp.host.value} in clear text: use "starttls" (or "tls")`,
    );
  }
  const s = ctx.config.schedule;
  const full = nodeAt(ctx, ['schedule', 'fullInterval']);
  const inc = nodeAt(ctx, ['schedule', 'incrementalInterval']);
  if (full && s.fullIntervalSeconds !== undefined && s.fullIntervalSeconds < s.incrementalIntervalSeconds) {
    report(ctx, 'DS525', rangeOf(full), 'The full-sync interval is shorter than the incremental interval');
  }
  if (inc && s.incrementalIntervalSeconds < 300) {
    report(
      ctx,
      'DS525',
      rangeOf(inc),
      'An incremental sync more often than every 5 minutes loads the domain controllers and the cloud for little gain',
    );
  }
  const lists: Array<readonly [string, ReadonlyArray<Located<string>>, (v: string) => string]> = [
    ['directory.baseDns', ctx.config.directory.baseDns, normalizeDn],
    ['notification.recipients', n.recipients, lowerCase],
    ['policy.protected.userNames', ctx.config.policy.protected.userNames, lowerCase],
    ['policy.protected.dns', ctx.config.policy.protected.dns, normalizeDn],
    ['policy.ownedDomains', ctx.config.policy.ownedDomains, lowerCase],
  ];
  for (const kind of ['users', 'groups', 'contacts', 'rooms'] as const) {
    if (nodeAt(ctx, ['objects', kind, 'baseDns'])) lists.push([`objects.${kind}.baseDns`, ctx.config.objects[kind].baseDns, normalizeDn]);
  }
  for (const [name, list, norm] of lists) {
    for (const i of duplicates.repeats(name, list, norm, textOf, listDelta(list))) {
      const item = list[i]!;
      report(
        ctx,
        'DS527',
        item.range,
        `\`${item.value}\` is already in \`${name}\``,
        [lazyFix({ title: 'Remove the duplicate' }, removeLater(ctx, item.range))],
        { unnecessary: true },
      );
    }
  }
}

const textOf = (l: Located<string>) => l.value;
/** Duplicate keys by list, kept across keystrokes (the protected lists hold thousands of items). */
const duplicates = new DuplicateFinder();

/** Edits removing one array item and the comma before it. */
/** The removal of a duplicate, made when asked; the range is copied now (the model's items move with later edits). */
function removeLater(ctx: SemanticContext, range: { start: number; end: number }): () => ReturnType<typeof removeArrayItem> {
  const at = { start: range.start, end: range.end };
  return () => removeArrayItem(ctx.text, at);
}

function removeArrayItem(text: string, range: { start: number; end: number }) {
  let start = range.start;
  while (start > 0 && /\s/.test(text[start - 1]!)) start--;
  if (text[start - 1] === ',') start--;
  return [{ range: { start, end: range.end }, newText: '' }];
}
