/**
 * DS5xx checks of `objects` (seed 001, "Choose Active Directory Objects to Synchronize"): no user
 * filter in the groups filter, base DNs present and inside the directory's, rooms searchable.
 */
import { findAdAttribute } from '../../domain/adSchema';
import { lazyFix, setValueEdits } from '../config/edits';
import { isUnderDn } from '../../domain/dn';
import { toDocument } from '../config/jsonString';
import type { ObjectKind } from '../../../../common/config';
import { embeddedRange, type EmbeddedValue } from '../embedded';
import type { FilterNode } from '../ldapFilter/index';
import { blame, keyRange, nodeAt, report, type SemanticContext } from './context';
import { rangeOf } from '../config/tree';

const KINDS: readonly ObjectKind[] = ['users', 'groups', 'contacts', 'rooms'];
const USER_CLASSES = new Set(['user', 'person', 'inetorgperson', 'organizationalperson']);

export function checkObjects(ctx: SemanticContext): void {
  const { objects, directory } = ctx.config;
  for (const kind of KINDS) {
    const sel = objects[kind];
    if (sel.enabled && sel.baseDns.length === 0) {
      report(
        ctx,
        'DS521',
        nodeAt(ctx, ['objects', kind]) ? blame(ctx, ['objects', kind, 'baseDns']) : blame(ctx, ['directory', 'baseDns']),
        `${kind} are enabled but have no base DNs: set \`objects.${kind}.baseDns\` or \`directory.baseDns\``,
        [lazyFix({ title: 'Add `directory.baseDns`' }, () => setValueEdits(ctx.text, ['directory', 'baseDns'], ['DC=example,DC=com']))],
      );
    }
    // A selection's own base DNs should lie inside the directory's (when those are given).
    const own = nodeAt(ctx, ['objects', kind, 'baseDns']);
    if (own && directory.baseDns.length) {
      for (const dn of sel.baseDns) {
        if (!directory.baseDns.some((b) => isUnderDn(dn.value, b.value))) {
          report(ctx, 'DS526', dn.range, `\`${dn.value}\` is outside every \`directory.baseDns\``);
        }
      }
    }
  }
  checkGroupsFilter(ctx);
  checkFilterAttributes(ctx);
  checkRoomsOnGenericTarget(ctx);
  // Rooms are only useful with a SIP address (seed 001, "Synchronize On-Premises Room Information");
  // a generic SCIM target gets no SIP address (DS537), so there the mapping is not asked for.
  if (
    objects.rooms.enabled &&
    ctx.config.cloud.type === 'webex' &&
    !ctx.config.attributes.some((m) => m.cloud.value.toLowerCase() === 'sipaddresses;type=enterprise')
  ) {
    report(
      ctx,
      'DS512',
      keyRange(ctx, ['objects', 'rooms', 'enabled']) ?? blame(ctx, ['objects', 'rooms']),
      'Rooms are enabled but `sipAddresses;type=enterprise` is not mapped: rooms without a SIP address are not searchable (map msRTCSIP-PrimaryUserAddress, or ipPhone)',
      [
        lazyFix({ title: 'Map `sipAddresses;type=enterprise` to `msRTCSIP-PrimaryUserAddress`', preferred: true }, () =>
          setValueEdits(ctx.text, ['attributes', 'sipAddresses;type=enterprise'], 'msRTCSIP-PrimaryUserAddress'),
        ),
      ],
    );
  }
}

/** `objects.rooms.genericTarget` only means something on a generic SCIM target. */
function checkRoomsOnGenericTarget(ctx: SemanticContext): void {
  if (ctx.config.cloud.type !== 'webex') return;
  const key = keyRange(ctx, ['objects', 'rooms', 'genericTarget']);
  if (!key) return;
  const msg = '`objects.rooms.genericTarget` has no effect with `cloud.type: "webex"`: rooms are Webex rooms there';
  report(ctx, 'DS538', key, msg, undefined, { unnecessary: true });
}

function filterValue(ctx: SemanticContext, kind: ObjectKind): EmbeddedValue | undefined {
  return ctx.embedded.find((e) => e.format === 'ldapFilter' && e.path[0] === 'objects' && e.path[1] === kind && e.path[2] === 'filter');
}

/** Positive (not negated) equality tests, with their ranges in the filter text. */
function positiveTests(
  node: FilterNode,
  negated = false,
  out: Array<{ attr: string; value: string; range: { start: number; end: number } }> = [],
) {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const f of node.filters) positiveTests(f, negated, out);
      break;
    case 'not':
      positiveTests(node.filter, !negated, out);
      break;
    case 'equality':
    case 'approx':
      if (!negated) out.push({ attr: node.attribute.name, value: node.value.text, range: node.range });
      break;
    default:
      break;
  }
  return out;
}

/** Seed 001, Object Selection step 4: "Do not add a user sync LDAP filter to the Groups field." */
function checkGroupsFilter(ctx: SemanticContext): void {
  const value = filterValue(ctx, 'groups');
  if (!value) return;
  let hits: Array<{ range: { start: number; end: number }; text: string }> = [];
  if (value.result?.ok && value.format === 'ldapFilter') {
    hits = positiveTests(value.result.value)
      .filter((t) => isUserTest(t.attr, t.value))
      .map((t) => ({ range: embeddedRange(value, t.range), text: `${t.attr}=${t.value}` }));
  } else if (!value.result) {
    // The grammar is unavailable: a textual scan for `(objectClass=user)` not directly negated.
    const re = /(!\s*)?\(\s*(objectClass|objectCategory|sAMAccountType)\s*=\s*([^)]*)\)/gi;
    for (const m of value.decoded.value.matchAll(re)) {
      if (m[1] || !isUserTest(m[2]!, m[3]!)) continue;
      const start = m.index + (m[1]?.length ?? 0);
      hits.push({ range: toDocument(value.decoded, { start, end: m.index + m[0].length }), text: `${m[2]}=${m[3]}` });
    }
  }
  for (const h of hits) {
    report(
      ctx,
      'DS504',
      h.range,
      `\`${h.text}\` selects users: the groups filter must select groups only (do not add a user sync LDAP filter to the Groups field)`,
    );
  }
}

function isUserTest(attr: string, value: string): boolean {
  const a = attr.toLowerCase();
  const v = value.trim().toLowerCase();
  if (a === 'objectclass' || a === 'objectcategory') return USER_CLASSES.has(v) || /^cn=person,/.test(v);
  return a === 'samaccounttype' && v === '805306368';
}

/** DS519 for filter attributes that are not in the built-in schema (OIDs are fine). */
function checkFilterAttributes(ctx: SemanticContext): void {
  for (const value of ctx.embedded) {
    if (value.format !== 'ldapFilter' || !value.result?.ok) continue;
    const visit = (n: FilterNode): void => {
      switch (n.type) {
        case 'and':
        case 'or':
          n.filters.forEach(visit);
          return;
        case 'not':
          visit(n.filter);
          return;
        default: {
          const attr = n.attribute;
          if (attr && !/^\d/.test(attr.name) && !findAdAttribute(attr.name)) {
            report(
              ctx,
              'DS519',
              embeddedRange(value, attr.range),
              `\`${attr.name}\` is not in the built-in AD schema list; check the spelling (schema extensions are fine)`,
            );
          }
        }
      }
    };
    visit(value.result.value);
  }
  const id = nodeAt(ctx, ['objects', 'rooms', 'identifyBy', 'attribute']);
  if (id?.type === 'string' && !findAdAttribute(id.value as string)) {
    report(
      ctx,
      'DS519',
      rangeOf(id),
      `\`${id.value}\` is not in the built-in AD schema list; check the spelling (schema extensions are fine)`,
    );
  }
}
