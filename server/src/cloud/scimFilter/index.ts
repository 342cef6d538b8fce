/** SCIM filters and PATCH paths: syntax tree, parser (Ohm), evaluator, builders and formatter. */
export * from './ast';
export { parseScimFilter, parseScimPatchPath, parseScimAttrPath } from './parse';
export {
  matchesScimFilter,
  resolveAttrPath,
  getAttribute,
  filterAttributes,
  isCoreSchemaUri,
  DEFAULT_CASE_EXACT,
  type MatchOptions,
} from './evaluate';
export { scimFilter, scimPath, attrPath, formatScimFilter, formatPatchPath, formatAttrPath, formatCompValue } from './build';
