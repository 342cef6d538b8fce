/** The sync engine: the pure planner, its parts, and the entry points the CLI and the server call. */
export { buildPlan, planHasChanges, type AvatarCandidate, type AvatarPlanner, type DirectoryItem, type OperationDraft, type PlanInput } from './plan';
export { compileMapping, mapEntry, mapGroup, scimUserBody, attributesNeeded, validateValue, isRoomEntry, type CompiledMapping, type MappedObject, type MappedValue } from './mapping';
export { CloudIndex, viewCloudUser, viewCloudGroup, caseOnly, type CloudUserView, type CloudGroupView } from './match';
export { computeThreshold } from './threshold';
export { Ownership, domainOfDn, domainOfUserName } from './ownership';
export { readScimPath, writeScimPath } from './scimPath';
export * from './types';
export type * from './api';
export { dryRun, saveReport, type DryRunOptions } from './engine';
export { explainObject } from './explain';
export { loadEngineConfig, EngineError, type LoadedConfig } from './load';
export { planAvatars, type AvatarPlanUser, type AvatarPlanInput, type AvatarPlanOptions, type AvatarPlanResult, type AvatarOperation } from './avatarPlan';
export { applyAvatarOperation, type AvatarApplyContext, type AvatarOperationResult } from './avatarApply';
export { AvatarStateStore, avatarStatePath } from './avatarState';
export { purgeAvatars } from './avatarPurge';
