/** The sync engine the language server's run requests call (the one place that imports it). */
import { applyPlan, dryRun, explainObject, purgeAvatars } from '../sync/index';
import type { RunEngine } from '../live/runService';

export const syncEngine: RunEngine = { dryRun, applyPlan, purgeAvatars, explainObject };
