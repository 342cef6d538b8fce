/**
 * Reviewed plans waiting for the user's confirmation. A dry run hands the client a random token;
 * the confirmed apply sends it back and gets exactly the plan that was shown — never a plan
 * recomputed after the dialog. A token is bound to one document and to the config text the plan
 * was made from, expires after a while, and is forgotten once its plan has been applied (a
 * cancelled or failed apply keeps it, so the same plan and session can be resumed).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SyncMode } from '../sync/contract';
import type { SyncPlan } from '../sync/contract';

export type PlanPurpose = 'sync' | 'purgeAvatars';

export interface PendingPlan {
  readonly uri: string;
  readonly purpose: PlanPurpose;
  readonly mode: SyncMode;
  readonly plan: SyncPlan;
  /** SHA-256 of the config text the plan was made from. */
  readonly configSha256: string;
  readonly createdAt: number;
}

export type TakeResult = { readonly pending: PendingPlan } | { readonly stale: string };

/** SHA-256 (hex) of a config text, to notice an edit between review and apply. */
export function textSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class PlanTokens {
  private readonly plans = new Map<string, PendingPlan>();

  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps a plan for confirmation and returns its token (128 random bits, base64url). */
  issue(pending: Omit<PendingPlan, 'createdAt'>): string {
    this.sweep();
    const token = randomBytes(16).toString('base64url');
    this.plans.set(token, { ...pending, createdAt: this.now() });
    return token;
  }

  /**
   * The plan behind `token` if it may still be applied: same document, same purpose, config text
   * unchanged since the plan was made. Otherwise why not, in one sentence.
   */
  check(token: string, uri: string, purpose: PlanPurpose, configSha256: string): TakeResult {
    this.sweep();
    const pending = this.plans.get(token);
    if (!pending)
      return {
        stale:
          'The reviewed plan is no longer available (it expired, was applied, or the server restarted). Run it again to review a fresh plan.',
      };
    if (pending.uri !== uri || pending.purpose !== purpose) return { stale: 'The plan token belongs to another document or command.' };
    if (pending.configSha256 !== configSha256) {
      this.plans.delete(token);
      return { stale: 'The config changed since the plan was reviewed; nothing was applied. Run it again to review a fresh plan.' };
    }
    return { pending };
  }

  /** Forgets a token (its plan was applied). */
  consume(token: string): void {
    this.plans.delete(token);
  }

  get size(): number {
    return this.plans.size;
  }

  private sweep(): void {
    const limit = this.now() - this.ttlMs;
    for (const [token, p] of this.plans) if (p.createdAt < limit) this.plans.delete(token);
  }
}
