/**
 * Completion: keys (with whole-section snippets), enum values, booleans, cloud attribute names in
 * `attributes`, AD attribute names inside expressions, filters and avatar patterns, object classes
 * and matching rules inside filters, secret-reference snippets.
 */
import { findNodeAtLocation, findNodeAtOffset, getLocation } from 'jsonc-parser';
import { AD_ATTRIBUTES, AD_OBJECT_CLASSES } from '../domain/adSchema';
import { isCleanTreeOf, type Analysis } from './analysis';
import { CLOUD_ATTRIBUTES, findCloudAttribute } from '../domain/cloudAttributes';
import { escapeJsonStringContent, toDecoded, toDocument, type DecodedString } from './config/jsonString';
import { decodeEmbedded } from './embedded';
import type { TextSource } from './text';
import { CONFIG_SPEC } from './config/spec';
import { describeType, specAt, type ObjectSpec, type Spec } from './config/specTypes';
import { entries, pathOf, rangeOf, type Node } from './config/tree';
import { locationInTree } from './config/treeLocation';
import type { TextRange } from '../../../common/config';
import type { CompletionItem } from './diagnostics';
import { matchingRules } from './ldapFilter/matchingRules';
import { docOfSpec } from './hoverDocs';

const NEW_FILE_SNIPPET = `{
\t"$schema": "./node_modules/dirsync/server/schemas/dirsync.schema.json",
\t"name": "\${1:example.com}",
\t"directory": {
\t\t"type": "adds",
\t\t"url": "\${2:ldaps://dc1.example.com}",
\t\t"bindDn": "\${3:CN=svc-dirsync,OU=Service Accounts,DC=example,DC=com}",
\t\t"password": "\\\${env:DIRSYNC_BIND_PASSWORD}",
\t\t"baseDns": ["\${4:DC=example,DC=com}"]
\t},
\t"cloud": {
\t\t"type": "webex",
\t\t"orgId": "\${5:your-org-id}",
\t\t"token": "\\\${env:DIRSYNC_CLOUD_TOKEN}"
\t},
\t"attributes": {
\t\t"uid": "mail",
\t\t"displayName": "displayName",
\t\t"givenName": "givenName",
\t\t"sn": "sn",
\t\t"ds-pwp-account-disabled": "userAccountControl",
\t\t"externalId": "objectGUID"
\t},
\t"policy": {
\t\t"deleteThreshold": { "count": \${6:50}, "percent": \${7:10} },
\t\t"mismatched": "retain"
\t}
}`;

/**
 * What completion needs of a document: its text and parse tree. A full `Analysis` fits; so does a
 * bare parse (`parseConfigTree`), which is what the server uses right after an edit, before the
 * debounced validation has run.
 */
export type CompletionSource = Pick<Analysis, 'text' | 'root'> & Partial<Pick<Analysis, 'source'>>;

/** Completion items at a document offset. */
export function complete(analysis: CompletionSource, offset: number): CompletionItem[] {
  const root = analysis.root;
  if (root?.type !== 'object') {
    const text = analysis.text;
    if (text.trim() === '' || !root) {
      return [
        {
          label: 'New .dirsync config',
          kind: 'snippet',
          detail: 'directory, cloud, attributes, policy',
          insertText: NEW_FILE_SNIPPET,
          snippet: true,
          replace: { start: 0, end: text.length },
        },
      ];
    }
    return [];
  }
  // Slices of the text only: a document kept in pieces is not built whole for a completion.
  const text: TextSource = analysis.source ?? analysis.text;
  const node = findNodeAtOffset(root, offset, true);
  if (node?.type === 'string' && offset > node.offset && (offset < node.offset + node.length || !closed(text, node))) {
    const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
    if (isKey) {
      const obj = node.parent!.parent!;
      return keyItems(obj, rangeOf(node), !!node.parent!.children?.[1], node.value as string);
    }
    return stringValueItems(analysis, node, offset);
  }
  // From the tree when it is the text's clean parse: getLocation scans the text from its start.
  const loc =
    (isCleanTreeOf(root, analysis.source ?? analysis.text) ? locationInTree(text, root, offset) : undefined) ??
    getLocation(analysis.text, offset);
  const word = wordAt(text, offset);
  if (loc.isAtPropertyKey) {
    const objPath = loc.path.slice(0, -1);
    const obj = objPath.length ? findNodeAtLocation(root, objPath) : root;
    if (obj?.type !== 'object') return [];
    return keyItems(obj, word, false, '');
  }
  const spec = specAt(CONFIG_SPEC, loc.path);
  if (!spec) return [];
  return valueItems(spec, word, loc.path);
}

function closed(text: TextSource, node: Node): boolean {
  return node.length >= 2 && text.charCodeAt(node.offset + node.length - 1) === 0x22 /* " */;
}

/** `/[\w$-]/` of one UTF-16 code unit. */
function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c === 0x2d;
}

function wordAt(text: TextSource, offset: number): TextRange {
  let s = offset;
  while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
  let e = offset;
  while (e < text.length && isWordChar(text.charCodeAt(e))) e++;
  return { start: s, end: e };
}

/** A snippet for a value of this spec. */
function valueSnippet(spec: Spec): string {
  if (spec.insert) return spec.insert;
  switch (spec.type) {
    case 'string':
      if (spec.enum) return `"\${1|${spec.enum.join(',')}|}"`;
      return typeof spec.default === 'string' ? `"\${1:${spec.default}}"` : '"$1"';
    case 'boolean':
      return spec.default === true ? '${1|true,false|}' : '${1|false,true|}';
    case 'integer':
    case 'number':
      return `\${1:${spec.default ?? 0}}`;
    case 'object':
      return '{\n\t$1\n}';
    case 'array':
      return '[$1]';
    case 'oneOf':
      return valueSnippet(spec.options[0]!);
  }
}

function keyItems(obj: Node, replace: TextRange, hasValue: boolean, current: string): CompletionItem[] {
  const path = pathOf(obj);
  const spec = specAt(CONFIG_SPEC, path);
  if (spec?.type !== 'object') return [];
  const present = new Set(
    entries(obj)
      .map((e) => e.key)
      .filter((k) => k !== current),
  );
  const items: CompletionItem[] = [];
  const build = (key: string, detail: string, documentation: string, sortText: string, valueText: string): CompletionItem => ({
    label: key,
    kind: 'property',
    detail,
    documentation,
    insertText: hasValue ? JSON.stringify(key) : `${JSON.stringify(key)}: ${valueText}`,
    snippet: !hasValue,
    replace,
    sortText,
    filterText: JSON.stringify(key),
  });
  for (const [key, child] of Object.entries(spec.properties)) {
    if (present.has(key)) continue;
    const required =
      (spec as ObjectSpec).required?.includes(key) || (path.length === 1 && path[0] === 'policy' && key === 'deleteThreshold');
    items.push(build(key, describeType(child), docOfSpec(child), `${required ? '0' : '1'}${key}`, valueSnippet(child)));
  }
  if (spec.keyKind === 'cloudAttribute') {
    for (const a of CLOUD_ATTRIBUTES) {
      if (present.has(a.name)) continue;
      const suggested = a.suggested?.[0];
      const item = build(
        a.name,
        `→ ${a.scimPath}`,
        cloudAttributeDoc(a.name),
        `${a.required ? '0' : '1'}${a.name}`,
        suggested ? `"\${1:${suggested}}"` : '"$1"',
      );
      items.push({ ...item, kind: 'cloudAttribute' });
    }
  }
  return items;
}

function valueItems(spec: Spec, replace: TextRange, path: ReadonlyArray<string | number>): CompletionItem[] {
  const items: CompletionItem[] = [];
  const specs = spec.type === 'oneOf' ? spec.options : [spec];
  for (const s of specs) {
    if (s.type === 'string' && s.enum) {
      for (const v of s.enum)
        items.push({
          label: JSON.stringify(v),
          kind: 'enum',
          documentation: s.enumDocs?.[v] ?? '',
          insertText: JSON.stringify(v),
          replace,
        });
    } else if (s.type === 'boolean') {
      for (const v of ['true', 'false'])
        items.push({ label: v, kind: 'value', insertText: v, replace, ...(String(s.default) === v ? { detail: 'default' } : {}) });
    } else if (s.type === 'string' && s.format === 'secretRef') {
      items.push(...secretItems(replace, true));
    } else if (s.type === 'string' && (s.format === 'adAttribute' || s.format === 'attrExpr')) {
      items.push(...adAttributeItems(replace, true, preferredFor(path)));
    } else if (s.insert || s.type === 'object' || s.type === 'array') {
      items.push({
        label: s.type === 'object' ? '{…}' : s.type === 'array' ? '[…]' : 'value',
        kind: 'snippet',
        documentation: docOfSpec(s),
        insertText: valueSnippet(s),
        snippet: true,
        replace,
      });
    }
  }
  return items;
}

function secretItems(replace: TextRange, quoted: boolean): CompletionItem[] {
  const q = quoted ? '"' : '';
  return [
    {
      label: '${env:NAME}',
      kind: 'snippet',
      detail: 'environment variable',
      documentation: 'Read the secret from an environment variable.',
      insertText: `${q}\\\${env:\${1:NAME}}${q}`,
      snippet: true,
      replace,
    },
    {
      label: '${secret:KEY}',
      kind: 'snippet',
      detail: 'VS Code SecretStorage',
      documentation: 'Read the secret from VS Code SecretStorage (command "Dirsync: Store Secret"); the CLI reads `DIRSYNC_SECRET_<KEY>`.',
      insertText: `${q}\\\${secret:\${1:KEY}}${q}`,
      snippet: true,
      replace,
    },
  ];
}

/** AD attributes suggested for the cloud attribute at `attributes.<name>`, listed first. */
function preferredFor(path: ReadonlyArray<string | number>): readonly string[] {
  if ((path[0] === 'attributes' || path[0] === 'contactAttributes') && typeof path[1] === 'string')
    return findCloudAttribute(path[1])?.suggested ?? [];
  return [];
}

function adAttributeItems(replace: TextRange, quoted: boolean, preferred: readonly string[] = []): CompletionItem[] {
  return AD_ATTRIBUTES.map((a) => {
    const rank = preferred.indexOf(a.name);
    const insert = quoted ? JSON.stringify(a.name) : escapeJsonStringContent(a.name);
    return {
      label: a.name,
      kind: 'adAttribute' as const,
      detail: `${a.syntax}${a.singleValued ? '' : ', multi-valued'}`,
      documentation: a.description,
      insertText: insert,
      replace,
      sortText: rank >= 0 ? `0${rank}` : `1${a.name.toLowerCase()}`,
      ...(quoted ? { filterText: JSON.stringify(a.name) } : {}),
    };
  });
}

function stringValueItems(analysis: CompletionSource, node: Node, offset: number): CompletionItem[] {
  const path = pathOf(node);
  const spec = specAt(CONFIG_SPEC, path);
  if (!spec) return [];
  const s = spec.type === 'oneOf' ? spec.options.find((o) => o.type === 'string') : spec;
  if (s?.type !== 'string') return [];
  const whole = rangeOf(node);
  if (s.enum) {
    return s.enum.map((v) => ({
      label: v,
      kind: 'enum' as const,
      documentation: s.enumDocs?.[v] ?? '',
      insertText: JSON.stringify(v),
      replace: whole,
      filterText: JSON.stringify(v),
    }));
  }
  const text: TextSource = analysis.source ?? analysis.text;
  const decoded = decodeEmbedded(text, node.offset, node.length);
  const inner = { start: node.offset + 1, end: closed(text, node) ? node.offset + node.length - 1 : node.offset + node.length };
  switch (s.format) {
    case 'secretRef':
      return secretItems(inner, false);
    case 'adAttribute':
      return adAttributeItems(inner, false);
    case 'ldapFilter':
      return filterItems(decoded, toDecoded(decoded, offset));
    case 'attrExpr':
      return expressionItems(decoded, toDecoded(decoded, offset), preferredFor(path));
    case 'avatarUri':
      return avatarItems(decoded, toDecoded(decoded, offset));
    default:
      return [];
  }
}

/** The attribute-name token ending at `k` in decoded text, as a decoded range. */
function tokenBefore(value: string, k: number, chars = /[A-Za-z0-9;.-]/): TextRange {
  let s = k;
  while (s > 0 && chars.test(value[s - 1]!)) s--;
  let e = k;
  while (e < value.length && chars.test(value[e]!)) e++;
  return { start: s, end: e };
}

function filterItems(d: DecodedString, k: number): CompletionItem[] {
  const before = d.value.slice(0, k);
  const rule = /:(?:dn:)?([0-9A-Za-z._]*)$/.exec(before);
  if (rule && /\([^()=]*:[^()=]*$/.test(before)) {
    const replace = toDocument(d, { start: k - rule[1]!.length, end: tokenBefore(d.value, k, /[0-9A-Za-z._]/).end });
    return matchingRules().map((r) => ({
      label: r.name,
      kind: 'matchingRule' as const,
      detail: r.oid,
      documentation: r.description,
      insertText: r.oid,
      replace,
      filterText: [r.name, ...r.aliases, r.oid].join(' '),
    }));
  }
  const cls = /\(\s*(objectClass|objectCategory)\s*=\s*([A-Za-z]*)$/i.exec(before);
  if (cls) {
    const replace = toDocument(d, { start: k - cls[2]!.length, end: tokenBefore(d.value, k, /[A-Za-z]/).end });
    return AD_OBJECT_CLASSES.map((c) => ({ label: c, kind: 'value' as const, insertText: c, replace }));
  }
  const tok = tokenBefore(d.value, k);
  const prev = d.value[tok.start - 1];
  if (tok.start === 0 || prev === '(') return adAttributeItems(toDocument(d, tok), false);
  return [];
}

/** True when decoded offset k is inside a string literal of an attribute expression. */
function insideLiteral(value: string, k: number): boolean {
  let inside = false;
  for (let i = 0; i < k; i++) {
    if (inside && value[i] === '\\') i++;
    else if (value[i] === '"') inside = !inside;
  }
  return inside;
}

function expressionItems(d: DecodedString, k: number, preferred: readonly string[]): CompletionItem[] {
  if (insideLiteral(d.value, k)) return [];
  const tok = tokenBefore(d.value, k, /[A-Za-z0-9;-]/);
  return adAttributeItems(toDocument(d, tok), false, preferred);
}

function avatarItems(d: DecodedString, k: number): CompletionItem[] {
  const before = d.value.slice(0, k);
  const open = before.lastIndexOf('{');
  if (open < 0 || before.lastIndexOf('}') > open || before.slice(open).includes(':')) return [];
  const tok = tokenBefore(d.value, k, /[A-Za-z0-9;-]/);
  return adAttributeItems(toDocument(d, tok), false, ['mail', 'sAMAccountName', 'employeeID', 'userPrincipalName']);
}

/** Markdown docs of a cloud attribute (shared with hover). */
export function cloudAttributeDoc(name: string): string {
  const a = findCloudAttribute(name);
  if (!a) return '';
  const lines = [
    `**${a.name}**${a.required ? ' (required)' : ''} → SCIM \`${a.scimPath}\``,
    '',
    a.notes,
    '',
    `Value: ${a.kind}${a.inverted ? ' (inverted: SCIM `active` is true when the account is not disabled)' : ''}${a.resolvesDn ? ' (a DN, resolved to the cloud user)' : ''}.`,
  ];
  if (a.suggested?.length) lines.push(`Directory Connector's AD attribute: ${a.suggested.map((s) => `\`${s}\``).join(', ')}.`);
  return lines.join('\n');
}
