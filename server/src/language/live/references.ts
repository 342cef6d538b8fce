/**
 * Everything in a document that names something the live directory can confirm: attribute
 * references (in expressions, filters, avatar patterns and attribute-name settings) and base DNs.
 */
import { findNodeAtLocation } from 'jsonc-parser';
import type { Analysis } from '../analysis';
import { expressionReferences } from '../attrExpr/index';
import { rangeOf } from '../config/tree';
import type { TextRange } from '../../../../common/config';
import { embeddedRange } from '../embedded';
import type { FilterNode } from '../ldapFilter/index';

export interface AttributeReference {
  /** As written, options (`;binary`, `;range=…`) included. */
  readonly name: string;
  /** The name without options: what the schema lists. */
  readonly base: string;
  readonly range: TextRange;
}

/**
 * Names a filter may use that are not schema attributes: AD's ambiguous name resolution (`anr`),
 * and the `1.1` / `*` of attribute lists. Numeric OIDs are skipped separately.
 */
const NOT_SCHEMA = new Set(['anr', '1.1', '*']);

function reference(name: string, range: TextRange): AttributeReference | undefined {
  const base = name.split(';')[0]!.trim();
  if (base === '' || /^\d/.test(base) || NOT_SCHEMA.has(base.toLowerCase())) return undefined;
  return { name, base, range };
}

function filterAttributes(node: FilterNode, out: Array<{ name: string; range: TextRange }>): void {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const f of node.filters) filterAttributes(f, out);
      return;
    case 'not':
      filterAttributes(node.filter, out);
      return;
    default:
      if (node.attribute) out.push({ name: node.attribute.name, range: node.attribute.range });
  }
}

/** Every attribute reference of the document whose text parsed, with its document range. */
export function attributeReferences(analysis: Pick<Analysis, 'root' | 'embedded'>): AttributeReference[] {
  const out: AttributeReference[] = [];
  const push = (r: AttributeReference | undefined) => void (r && out.push(r));
  for (const ev of analysis.embedded) {
    if (!ev.result?.ok) continue;
    if (ev.format === 'attrExpr') {
      for (const r of expressionReferences(ev.result.value)) push(reference(r.name, embeddedRange(ev, r.range)));
    } else if (ev.format === 'ldapFilter') {
      const attrs: Array<{ name: string; range: TextRange }> = [];
      filterAttributes(ev.result.value, attrs);
      for (const a of attrs) push(reference(a.name, embeddedRange(ev, a.range)));
    } else {
      for (const p of ev.result.value.parts)
        if (p.type === 'placeholder') push(reference(p.attribute, embeddedRange(ev, p.attributeRange)));
    }
  }
  if (analysis.root) {
    for (const path of [
      ['avatar', 'attribute'],
      ['objects', 'rooms', 'identifyBy', 'attribute'],
    ]) {
      const node = findNodeAtLocation(analysis.root, path);
      if (node?.type === 'string') {
        const r = rangeOf(node);
        push(reference(node.value as string, { start: r.start + 1, end: r.end - 1 }));
      }
    }
  }
  return out;
}

export interface BaseDnValue {
  readonly dn: string;
  readonly range: TextRange;
  /** `directory.baseDns` or `objects.<kind>.baseDns`. */
  readonly path: string;
}

/** The base DNs written in the document (`directory.baseDns`, `objects.*.baseDns`), as written. */
export function baseDnValues(analysis: Pick<Analysis, 'root'>): BaseDnValue[] {
  const out: BaseDnValue[] = [];
  if (!analysis.root) return out;
  const lists: string[][] = [['directory', 'baseDns'], ...['users', 'groups', 'contacts', 'rooms'].map((k) => ['objects', k, 'baseDns'])];
  for (const path of lists) {
    const list = findNodeAtLocation(analysis.root, path);
    if (list?.type !== 'array') continue;
    for (const item of list.children ?? []) {
      if (item.type === 'string' && (item.value as string).trim() !== '')
        out.push({ dn: item.value as string, range: rangeOf(item), path: path.join('.') });
    }
  }
  return out;
}
