/**
 * Parses SCIM filters and PATCH paths with the Ohm grammar `grammars/scimFilter.ohm`
 * (bundled by `npm run grammars`). Pure: no I/O.
 */
import type { NonterminalNode } from 'ohm-js';
import grammar from '../../../../grammars/scimFilter.ohm-bundle';
import { ScimFilterSyntaxError, type AttrPath, type CompareOp, type CompValue, type PatchPath, type ScimFilter } from './ast';

const semantics = grammar.createSemantics();

semantics.addOperation<unknown>('ast', {
  Filter(e) {
    return e['ast']();
  },
  OrExp_or(left, _or, right) {
    return { kind: 'or', left: left['ast'](), right: right['ast']() } satisfies ScimFilter;
  },
  AndExp_and(left, _and, right) {
    return { kind: 'and', left: left['ast'](), right: right['ast']() } satisfies ScimFilter;
  },
  UnaryExp_not(_not, _open, f, _close) {
    return { kind: 'not', filter: f['ast']() } satisfies ScimFilter;
  },
  UnaryExp_paren(_open, f, _close) {
    return f['ast']();
  },
  ValuePath(path, _open, f, _close) {
    return valuePath(path, f);
  },
  AttrExp_present(path, _pr) {
    return { kind: 'present', path: path['ast']() } satisfies ScimFilter;
  },
  AttrExp_compare(path, op, value) {
    return {
      kind: 'compare',
      path: path['ast'](),
      op: op.sourceString.toLowerCase() as CompareOp,
      value: value['ast'](),
    } satisfies ScimFilter;
  },
  PatchPath_valuePath(path, _open, f, _close, sub) {
    const attr = path['ast']() as AttrPath;
    if (attr.sub !== undefined) {
      throw new ScimFilterSyntaxError(
        `a value filter applies to a multi-valued attribute, not to the sub-attribute '${attr.name}.${attr.sub}'`,
        path.source.sourceString,
        path.source.startIdx,
        'a multi-valued attribute name',
      );
    }
    const filter = nestedFilter(f);
    const subNode = sub.children[0];
    const result: PatchPath = { attr, filter };
    return subNode ? { ...result, sub: subNode['ast']() as string } : result;
  },
  PatchPath_attr(path) {
    return { attr: path['ast']() } satisfies PatchPath;
  },
  attrPath(uri, name, sub) {
    const path: { uri?: string; name: string; sub?: string } = { name: name.sourceString };
    const uriNode = uri.children[0];
    // Drop the colon that separates the schema URI from the attribute name.
    if (uriNode) path.uri = uriNode.sourceString.slice(0, -1);
    const subNode = sub.children[0];
    if (subNode) path.sub = subNode['ast']() as string;
    return path satisfies AttrPath;
  },
  subAttr(_dot, name) {
    return name.sourceString;
  },
  compValue(v) {
    return v['ast']();
  },
  string(_open, _chars, _close) {
    // The grammar admits exactly JSON strings, so JSON.parse decodes the escapes.
    return JSON.parse(this.sourceString) as string;
  },
  number(_sign, _int, _frac, _exp) {
    return Number(this.sourceString);
  },
  true(_) {
    return true;
  },
  false(_) {
    return false;
  },
  null(_) {
    return null;
  },
});

function valuePath(path: NonterminalNode, f: NonterminalNode): ScimFilter {
  const attr = path['ast']() as AttrPath;
  if (attr.sub !== undefined) {
    throw new ScimFilterSyntaxError(
      `a value filter applies to a multi-valued attribute, not to the sub-attribute '${attr.name}.${attr.sub}'`,
      path.source.sourceString,
      path.source.startIdx,
      'a multi-valued attribute name',
    );
  }
  return { kind: 'valuePath', path: attr, filter: nestedFilter(f) };
}

/** RFC 7644 §3.4.2.2: a value filter's expressions address the element's sub-attributes. */
function nestedFilter(f: NonterminalNode): ScimFilter {
  const inner = f['ast']() as ScimFilter;
  const check = (n: ScimFilter): void => {
    switch (n.kind) {
      case 'valuePath':
        throw new ScimFilterSyntaxError(
          'value filters cannot be nested',
          f.source.sourceString,
          f.source.startIdx,
          'an attribute expression',
        );
      case 'and':
      case 'or':
        check(n.left);
        check(n.right);
        return;
      case 'not':
        check(n.filter);
        return;
      default:
        return;
    }
  };
  check(inner);
  return inner;
}

function run<T>(text: string, start: 'Filter' | 'PatchPath', what: string): T {
  const match = grammar.match(text, start);
  if (match.failed()) {
    const offset = match.getRightmostFailurePosition();
    const expected = match.getExpectedText();
    throw new ScimFilterSyntaxError(`invalid ${what} at column ${offset + 1}: expected ${expected}`, text, offset, expected);
  }
  return semantics(match)['ast']() as T;
}

/**
 * Parses a filter such as `userName eq "a@b.c" and emails[type eq "work"]`.
 * @throws ScimFilterSyntaxError with the 0-based offset and what was expected there.
 */
export function parseScimFilter(text: string): ScimFilter {
  return run<ScimFilter>(text, 'Filter', 'filter');
}

/**
 * Parses a PATCH path such as `emails[type eq "work"].value` or `members`.
 * @throws ScimFilterSyntaxError
 */
export function parseScimPatchPath(text: string): PatchPath {
  return run<PatchPath>(text, 'PatchPath', 'PATCH path');
}

/** Parses an attribute path (`name.givenName`, `urn:…:User:employeeNumber`) as used by sortBy. */
export function parseScimAttrPath(text: string): AttrPath {
  const path = run<PatchPath>(text, 'PatchPath', 'attribute path');
  if (path.filter) {
    throw new ScimFilterSyntaxError('invalid attribute path: a value filter is not allowed here', text, 0, 'an attribute path');
  }
  return path.attr;
}

export type { CompValue };
