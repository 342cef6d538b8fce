/**
 * The SCIM filter and PATCH path syntax tree (RFC 7644 §3.4.2.2, §3.5.2). Produced by
 * `parseScimFilter` / `parseScimPatchPath`, consumed by `matchesScimFilter`, written back to text
 * by `formatScimFilter`. Plain data: safe to log, compare and build by hand (see `build.ts`).
 */

/** `urn:…:User:name.givenName` → `{ uri: 'urn:…:User', name: 'name', sub: 'givenName' }`. */
export interface AttrPath {
  /** The schema URI of an extension attribute, without the trailing colon. */
  readonly uri?: string;
  readonly name: string;
  readonly sub?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** A comparison value: JSON string, number, boolean or null. */
export type CompValue = string | number | boolean | null;

export type ScimFilter =
  | { readonly kind: 'compare'; readonly path: AttrPath; readonly op: CompareOp; readonly value: CompValue }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | { readonly kind: 'and'; readonly left: ScimFilter; readonly right: ScimFilter }
  | { readonly kind: 'or'; readonly left: ScimFilter; readonly right: ScimFilter }
  | { readonly kind: 'not'; readonly filter: ScimFilter }
  /**
   * `emails[type eq "work" and value co "x"]`: true when one element of the multi-valued
   * attribute matches `filter`, whose paths are relative to the element (RFC 7644 §3.4.2.2).
   */
  | { readonly kind: 'valuePath'; readonly path: AttrPath; readonly filter: ScimFilter };

/**
 * A PATCH operation's target (RFC 7644 §3.5.2): `attr` alone (`name.givenName` has `attr.sub`),
 * or a value path `emails[type eq "work"]` with an optional `sub` (`.value`).
 */
export interface PatchPath {
  readonly attr: AttrPath;
  readonly filter?: ScimFilter;
  /** Sub-attribute after a value filter: `emails[type eq "work"].value` → `value`. */
  readonly sub?: string;
}

/** A filter or PATCH path that does not parse. `offset` is 0-based into the text. */
export class ScimFilterSyntaxError extends Error {
  override readonly name = 'ScimFilterSyntaxError';
  constructor(
    message: string,
    readonly text: string,
    readonly offset: number,
    readonly expected: string,
  ) {
    super(message);
  }
}

/** A filter that parses but cannot be evaluated (e.g. `active gt true`); a 400 `invalidFilter`. */
export class ScimFilterEvalError extends Error {
  override readonly name = 'ScimFilterEvalError';
}
