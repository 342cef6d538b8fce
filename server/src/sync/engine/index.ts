/** The sync engine: the pure planner, its parts, and the entry points the CLI and the server call. */
export {
  buildPlan,
  planHasChanges,
  type AvatarCandidate,
  type AvatarPlanner,
  type DirectoryItem,
  type OperationDraft,
  type PlanInput,
} from '../plan/build';
export {
  compileMapping,
  mapEntry,
  mapGroup,
  scimUserBody,
  attributesNeeded,
  validateValue,
  isRoomEntry,
  type CompiledMapping,
  type MappedObject,
  type MappedValue,
} from '../plan/mapping';
export { CloudIndex, viewCloudUser, viewCloudGroup, caseOnly, type CloudUserView, type CloudGroupView } from '../plan/match';
export { computeThreshold } from '../plan/threshold';
export { Ownership, domainOfDn, domainOfUserName } from '../plan/ownership';
export { readScimPath, writeScimPath } from '../plan/scimPath';
export * from '../contract';
export type * from '../contract';
export { dryRun, saveReport, type DryRunOptions } from './dryRun';
export { explainObject } from './explain';
export { onAuthWarning, type AuthWarning } from './cloudClient';
export { loadEngineConfig, EngineError, type LoadedConfig } from './load';
export {
  planAvatars,
  type AvatarPlanUser,
  type AvatarPlanInput,
  type AvatarPlanOptions,
  type AvatarPlanResult,
  type AvatarOperation,
} from '../avatars/plan';
export { applyAvatarOperation, type AvatarApplyContext, type AvatarOperationResult } from '../avatars/apply';
export { AvatarStateStore, avatarStatePath } from '../avatars/stateFile';
export { purgeAvatars } from '../avatars/purge';
export { applyPlan, runSync, applySavedPlan, type ApplyExtras } from './sync';
export {
  executePlan,
  type AvatarApplyHook,
  type AvatarApplyContext as ApplyAvatarContext,
  type AvatarOperation as ApplyAvatarOperation,
} from '../apply/execute';
export { ApplyRefusedError, ApplyCancelledError } from '../apply/errors';
export { readSyncState, decideMode, incrementalFilter, settingsHash, type SyncState, type ModeDecision } from './syncState';
