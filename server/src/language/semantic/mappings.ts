/**
 * DS5xx checks of `attributes` and `contactAttributes` (seed 001, "Map User Attributes" and
 * "Active Directory and cloud attributes"): uid mapped and in email format, the account state
 * mapped, no two mappings writing one SCIM path, hyphen typos, unknown AD attributes, syntax fit.
 */
import { findAdAttribute } from '../../domain/adSchema';
import { findCloudAttribute, SCIM_CISCO } from '../../domain/cloudAttributes';
import { escapeJsonStringContent } from '../config/jsonString';
import { lazyFix, setValueEdits } from '../config/edits';
import { embeddedRange, type EmbeddedValue } from '../embedded';
import type { AttributeMapping } from '../../../../common/config';
import { blame, report, type SemanticContext } from './context';
import { literalsOf, referencesOf, singleReference, unwrap } from './expressions';

const DISABLED_SOURCES = ['useraccountcontrol', 'msds-useraccountdisabled', 'ds-pwp-account-disabled'];

function embeddedFor(ctx: SemanticContext, section: string, key: string): EmbeddedValue | undefined {
  return ctx.embedded.find((e) => e.format === 'attrExpr' && e.path.length === 2 && e.path[0] === section && e.path[1] === key);
}

export function checkMappings(ctx: SemanticContext): void {
  checkSection(ctx, 'attributes', ctx.config.attributes, true);
  checkSection(ctx, 'contactAttributes', ctx.config.contactAttributes, false);
}

function checkSection(
  ctx: SemanticContext,
  section: 'attributes' | 'contactAttributes',
  mappings: readonly AttributeMapping[],
  users: boolean,
): void {
  const written = mappings.filter((m) => !m.isDefault);
  if (users) checkRequired(ctx, section, mappings);
  // Two names for one SCIM path (aliases, case variants) write the same cloud value twice.
  const byTarget = new Map<string, AttributeMapping>();
  for (const m of written) {
    const target = findCloudAttribute(m.cloud.value)?.scimPath ?? m.cloud.value.toLowerCase();
    const first = byTarget.get(target);
    if (first && first.cloud.value !== m.cloud.value) {
      report(ctx, 'DS505', m.cloud.range, `\`${m.cloud.value}\` writes the same cloud attribute (${target}) as \`${first.cloud.value}\``);
    }
    if (!first) byTarget.set(target, m);
  }
  for (const m of written) checkExpression(ctx, section, m);
  if (ctx.config.cloud.type === 'scim') {
    for (const m of written) {
      if (!findCloudAttribute(m.cloud.value)?.scimPath.startsWith(`${SCIM_CISCO}:`)) continue;
      const msg = `\`${m.cloud.value}\` is in Cisco's Webex extension: a generic SCIM target (cloud.type "scim") does not get it`;
      report(ctx, 'DS537', m.cloud.range, msg, undefined, { unnecessary: true });
    }
  }
}

function checkRequired(ctx: SemanticContext, section: string, mappings: readonly AttributeMapping[]): void {
  const get = (name: string) => mappings.find((m) => findCloudAttribute(m.cloud.value)?.name === name);
  const uid = get('uid');
  if (!uid) {
    report(
      ctx,
      'DS501',
      blame(ctx, [section]),
      '`uid` is not mapped: it is required (map `mail`, or `userPrincipalName` in email format)',
      [lazyFix({ title: 'Map `uid` to `mail`', preferred: true }, () => setValueEdits(ctx.text, [section, 'uid'], 'mail'))],
    );
  } else if (!uid.isDefault) {
    const value = embeddedFor(ctx, section, uid.cloud.value);
    const single = singleReference(value, uid.expression.value);
    const ad = single ? findAdAttribute(single) : undefined;
    const literals = value?.result?.ok && value.format === 'attrExpr' ? literalsOf(value.result.value) : [];
    const builtWithAt = literals.some((l) => l.includes('@'));
    if (ad && !ad.emailFormat && ad.syntax === 'string') {
      report(
        ctx,
        'DS502',
        uid.expression.range,
        `\`uid\` comes from \`${ad.name}\`, which is not in email format; use \`mail\` or \`userPrincipalName\` (the cloud user name must be an email address)`,
        [
          { title: 'Use `mail`', edits: [{ range: uid.expression.range, newText: '"mail"' }], preferred: true },
          { title: 'Use `userPrincipalName`', edits: [{ range: uid.expression.range, newText: '"userPrincipalName"' }] },
        ],
      );
    } else if (!single && value?.result?.ok && !builtWithAt) {
      const refs = referencesOf(ctx, value, uid.expression.value);
      if (!refs.some((r) => findAdAttribute(r.name)?.emailFormat)) {
        report(
          ctx,
          'DS502',
          uid.expression.range,
          '`uid` is built by an expression that neither reads an email attribute nor adds an `@domain`: it may not be in email format',
        );
      }
    }
  }
  const disabled = get('ds-pwp-account-disabled');
  const adlds = ctx.config.directory.type === 'adlds';
  const preferred = adlds ? 'msDS-UserAccountDisabled' : 'userAccountControl';
  if (!disabled) {
    report(
      ctx,
      'DS503',
      blame(ctx, [section]),
      `The account state is not mapped: map \`ds-pwp-account-disabled\` to \`${preferred}\` or users disabled in AD stay active in the cloud`,
      [
        lazyFix({ title: `Map \`ds-pwp-account-disabled\` to \`${preferred}\``, preferred: true }, () =>
          setValueEdits(ctx.text, [section, 'ds-pwp-account-disabled'], preferred),
        ),
      ],
    );
  } else if (!disabled.isDefault) {
    const single = singleReference(embeddedFor(ctx, section, disabled.cloud.value), disabled.expression.value);
    if (!single || !DISABLED_SOURCES.includes(single.toLowerCase())) {
      report(
        ctx,
        'DS503',
        disabled.expression.range,
        `\`ds-pwp-account-disabled\` should come from \`${preferred}\` (the account-disabled flag), not \`${disabled.expression.value}\``,
        [
          {
            title: `Use \`${preferred}\``,
            edits: [{ range: disabled.expression.range, newText: JSON.stringify(preferred) }],
            preferred: true,
          },
        ],
      );
    }
  }
}

function checkExpression(ctx: SemanticContext, section: string, m: AttributeMapping): void {
  const value = embeddedFor(ctx, section, m.cloud.value);
  const refs = referencesOf(ctx, value, m.expression.value);
  const toDoc = (r: { start: number; end: number }) =>
    value ? embeddedRange(value, r) : { start: m.expression.range.start + 1 + r.start, end: m.expression.range.start + 1 + r.end };
  for (const ref of refs) {
    if (findAdAttribute(ref.name)) continue;
    const split = hyphenSplit(ref.name);
    if (split) {
      const range = toDoc(ref.range);
      report(
        ctx,
        'DS511',
        range,
        `\`${ref.name}\` is not a known AD attribute, but \`${split[0]}\` and \`${split[1]}\` are. Did you mean \`${split[0]} - ${split[1]}\` (the "cut from" operator)?`,
        [
          {
            title: `Change to \`${split[0]} - ${split[1]}\``,
            edits: [{ range, newText: escapeJsonStringContent(`${split[0]} - ${split[1]}`) }],
            preferred: true,
          },
        ],
      );
      continue;
    }
    report(
      ctx,
      'DS519',
      toDoc(ref.range),
      `\`${ref.name}\` is not in the built-in AD schema list; check the spelling (schema extensions are fine)`,
    );
  }
  // Syntax fit: only for a plain attribute mapping, where the AD value lands unchanged.
  const cloud = findCloudAttribute(m.cloud.value);
  const single = singleReference(value, m.expression.value);
  const ad = single ? findAdAttribute(single) : undefined;
  if (cloud && ad) {
    if (ad.syntax === 'binary' && cloud.name !== 'externalId') {
      report(ctx, 'DS520', m.expression.range, `\`${ad.name}\` holds binary data; \`${cloud.name}\` takes text`);
    } else if (cloud.kind === 'dn' && ad.syntax !== 'dn') {
      report(
        ctx,
        'DS520',
        m.expression.range,
        `\`${cloud.name}\` expects a DN (the engine resolves it to a cloud user), but \`${ad.name}\` is not a DN attribute`,
      );
    } else if (cloud.kind !== 'dn' && ad.syntax === 'dn' && cloud.name !== 'ds-pwp-account-disabled') {
      report(ctx, 'DS520', m.expression.range, `\`${ad.name}\` holds a DN; \`${cloud.name}\` would get the DN text`);
    }
  }
  // preferredLanguage/locale from a constant: the seed's formats xx_YY or xx-YY.
  if (cloud?.kind === 'language' && value?.format === 'attrExpr' && value.result?.ok) {
    const e = unwrap(value.result.value);
    if (e.type === 'string' && !/^[a-z]{2,3}(?:[_-][A-Za-z]{2})?$/.test(e.value)) {
      report(
        ctx,
        'DS529',
        m.expression.range,
        `\`${e.value}\` is not \`xx_YY\` or \`xx-YY\` (e.g. en_US, fr-CA); Webex falls back to the organization's language`,
      );
    }
  }
}

/** `givenName-sn` → [givenName, sn] when the whole is unknown but both sides are known AD attributes. */
export function hyphenSplit(name: string): [string, string] | undefined {
  for (let i = name.indexOf('-'); i > 0; i = name.indexOf('-', i + 1)) {
    const left = name.slice(0, i);
    const right = name.slice(i + 1);
    if (right && findAdAttribute(left) && findAdAttribute(right)) return [left, right];
  }
  return undefined;
}
