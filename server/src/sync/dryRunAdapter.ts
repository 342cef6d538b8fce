/**
 * The plan half as the apply half calls it (runSync, applySavedPlan, and the end-to-end tests):
 * `dryRun` from engine.ts.
 */
export { dryRun } from './engine';

/** True: the plan half is part of this build (the end-to-end suites run). */
export const dryRunAvailable: boolean = true;
