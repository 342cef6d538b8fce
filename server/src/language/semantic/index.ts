/** Runs every DS5xx check. Each check is guarded: one failing check costs only its own findings. */
import { checkAvatarDelivery } from './avatarDelivery';
import { checkCloudAuth } from './cloudAuth';
import { checkMappings } from './mappings';
import { checkObjects } from './objects';
import { checkAvatar, checkConnection, checkPolicy } from './settings';
import type { SemanticContext } from './context';

const CHECKS: ReadonlyArray<readonly [string, (ctx: SemanticContext) => void]> = [
  ['mappings', checkMappings],
  ['objects', checkObjects],
  ['connection', checkConnection],
  ['cloud credentials', checkCloudAuth],
  ['avatar', checkAvatar],
  ['avatar delivery', checkAvatarDelivery],
  ['policy', checkPolicy],
];

export function runSemanticChecks(ctx: SemanticContext): void {
  for (const [name, check] of CHECKS) {
    try {
      check(ctx);
    } catch (err) {
      ctx.internalErrors.push(`semantic check ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
}

export type { SemanticContext } from './context';
