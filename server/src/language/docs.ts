/**
 * Markdown for README.md written from the code: the config reference (every key with its type,
 * default and meaning, from spec.ts) and the diagnostic codes table (from codes.ts). Pure.
 */
import { CLOUD_ATTRIBUTES } from '../domain/cloudAttributes';
import { CODES, LIVE_CODES } from './codes';
import { CONFIG_SPEC } from './config/spec';
import { describeType, type Spec } from './config/specTypes';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

function defaultOf(spec: Spec): string {
  if (spec.defaultText) return spec.defaultText;
  if (spec.default !== undefined) return `\`${JSON.stringify(spec.default)}\``;
  return '—';
}

function rows(spec: Spec, prefix: string, out: string[]): void {
  if (spec.type === 'object') {
    for (const [key, child] of Object.entries(spec.properties)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const required = spec.required?.includes(key) || path === 'policy' || path === 'policy.deleteThreshold' ? ' **(required)**' : '';
      out.push(`| \`${path}\`${required} | ${cell(describeType(child))} | ${cell(defaultOf(child))} | ${cell(child.doc)} |`);
      rows(child, path, out);
    }
    if (spec.additional)
      out.push(
        `| \`${prefix}.<cloud attribute>\` | ${cell(describeType(spec.additional))} | — | ${cell(spec.additional.doc)} See the cloud attribute table below. |`,
      );
  } else if (spec.type === 'oneOf') {
    for (const o of spec.options) rows(o, prefix, out);
  } else if (spec.type === 'array') {
    rows(spec.items, `${prefix}[]`, out);
  }
}

/** The key-by-key reference and the cloud attribute table. */
export function renderConfigReference(): string {
  const out = ['| key | type | default | meaning |', '|---|---|---|---|'];
  rows(CONFIG_SPEC, '', out);
  out.push(
    '',
    '**Cloud attribute names** (keys of `attributes` and `contactAttributes`; Directory Connector\'s "Active Directory and cloud attributes"):',
    '',
  );
  out.push("| cloud attribute | SCIM path | value | Directory Connector's AD attribute | notes |", '|---|---|---|---|---|');
  for (const a of CLOUD_ATTRIBUTES) {
    if (/^extensionAttribute([2-9]|1[0-4])$/.test(a.name)) continue;
    const name = a.name === 'extensionAttribute1' ? 'extensionAttribute1 … extensionAttribute15' : a.name;
    const path = a.name === 'extensionAttribute1' ? a.scimPath.replace('extensionAttribute1', 'extensionAttributeN') : a.scimPath;
    out.push(
      `| \`${name}\`${a.required ? ' **(required)**' : ''} | \`${cell(path)}\` | ${a.kind} | ${(a.suggested ?? []).map((s) => `\`${s}\``).join(', ') || '—'} | ${cell(a.notes)} |`,
    );
  }
  return out.join('\n');
}

/** The table of every diagnostic code (`live`: the DS6xx live-directory codes instead). */
export function renderCodesTable(live = false): string {
  const out = ['| code | severity | meaning |', '|---|---|---|'];
  for (const c of Object.values(live ? LIVE_CODES : CODES)) out.push(`| ${c.code} | ${c.severity} | ${cell(c.description)} |`);
  return out.join('\n');
}
