/**
 * The live-directory part of the language service, pure like the rest: every function takes the
 * document's analysis and data the server read from the bound directory (`LiveFacts`, entries,
 * schema names), never a connection. See README § Directory side, "Live previews in the editor".
 */
export { countOf, formatCount, type LiveFacts, type SelectionCount } from './facts';
export { liveSelections, SELECTION_KINDS, type LiveSelection } from './selections';
export { attributeReferences, baseDnValues, type AttributeReference, type BaseDnValue } from './references';
export { liveDiagnostics, mergeLiveDiagnostics } from './diagnostics';
export { isSuspiciousCount, selectionLensTitle, type SelectionLens } from './lenses';
export {
  accountActive,
  describeAvatar,
  formatBytes,
  mappingsFor,
  previewAvatar,
  previewMappings,
  type AvatarPreview,
  type ImageFacts,
  type ImageInspector,
  type MappingPreview,
} from './mappings';
export { explainMarkdown, liveInlayHints, type LiveInlayHint, type PreviewEntries } from './inlay';
export { liveCompletionNeeds, parentDnText, withLiveItems, type LiveCompletionData, type LiveCompletionNeed } from './completion';
export { liveHover, type LiveHover, type LiveHoverInput } from './hover';
