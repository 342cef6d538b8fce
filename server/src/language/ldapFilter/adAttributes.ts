/**
 * The little AD schema knowledge the filter checks and the evaluator need: which attributes hold
 * distinguished names (syntax 2.5.5.1 Object(DS-DN)), where AD neither matches substrings nor
 * compares case-sensitively. Lower-case names.
 */
export const DN_SYNTAX_ATTRIBUTES: ReadonlySet<string> = new Set([
  'distinguishedname',
  'member',
  'memberof',
  'manager',
  'directreports',
  'managedby',
  'managedobjects',
  'objectcategory',
  'defaultobjectcategory',
  'secretary',
  'assistant',
  'seealso',
  'owner',
  'homemdb',
  'homemta',
  'altrecipient',
  'publicdelegates',
  'publicdelegatesbl',
  'msexchdelegatelistlink',
  'msexchcomanagedbylink',
  'msds-authenticatedatdc',
  'serverreference',
  'serverreferencebl',
  'frscomputerreference',
  'masteredby',
  'subrefs',
  'msds-revealedusers',
  'msds-keycredentiallink',
]);

/** True when the attribute's values are DNs in AD's schema. Options (`;range=…`) are ignored. */
export function isDnAttribute(name: string): boolean {
  return DN_SYNTAX_ATTRIBUTES.has(name.split(';')[0]!.toLowerCase());
}
