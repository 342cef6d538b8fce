/** The sync engine the language server's run requests call (the one place that imports it). */
import { applyPlan, dryRun, explainObject, onAuthWarning, purgeAvatars } from '../sync/engine/index';
import type { RunEngine } from '../runs/service';

export const syncEngine: RunEngine = { dryRun, applyPlan, purgeAvatars, explainObject, onAuthWarning };
