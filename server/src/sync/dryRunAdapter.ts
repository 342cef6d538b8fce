/**
 * The plan half as the apply half calls it. Until `sync/engine.ts` (dryRun) is merged this
 * adapter is the one place that knows where it lives; runSync and applySavedPlan go through it.
 * Once merged, this file becomes `export { dryRun } from './engine'; export const dryRunAvailable = true;`.
 */
import type { DryRunFn } from './api';

export const dryRunAvailable: boolean = false;

export const dryRun: DryRunFn = async () => {
  throw new Error('dry run is not available in this build: sync/engine.ts (the plan half) is missing');
};
