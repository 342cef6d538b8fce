/**
 * Switchable fault injection for reliability tests. Each rule fires for a share of matching
 * requests (`rate`) or for exactly the next N (`next`); rules are checked in order per SCIM
 * request (admin and public avatar requests are never faulted):
 *
 *   { kind: 'status', status: 429, retryAfter: 2 }        answer 429 with `Retry-After: 2`
 *   { kind: 'status', status: 429, retryAfter: 2, retryAfterDate: true }   … as an HTTP-date
 *   { kind: 'status', status: 503, rate: 0.2 }            answer 503 to 20 % of requests
 *   { kind: 'latency', latencyMs: 300, rate: 1 }          wait 300 ms before handling
 *   { kind: 'drop', next: 3 }                             close the connection without answering
 *   { kind: 'drop', phase: 'after', next: 1 }             handle (commit!) then close unanswered
 *
 * `methods` (['POST']) and `pathPattern` (a regex on the path after `/v2`, e.g. `^/Users`) narrow
 * a rule. Random choices come from a seeded generator, so a run can be repeated exactly.
 */

export interface FaultRule {
  readonly kind: 'status' | 'latency' | 'drop';
  /** kind `status`: 429, 423, 500, 502, 503 or 504. */
  readonly status?: number;
  /** Seconds for `Retry-After` (status faults). */
  readonly retryAfter?: number;
  /** Send `Retry-After` as an HTTP-date (now + retryAfter) instead of delta-seconds. */
  readonly retryAfterDate?: boolean;
  /** kind `latency`: added delay. */
  readonly latencyMs?: number;
  /** kind `drop`: `before` handling (default; nothing happened) or `after` (the write happened). */
  readonly phase?: 'before' | 'after';
  /** Probability per matching request, 0…1. */
  readonly rate?: number;
  /** Fire for exactly the next N matching requests, then stop. */
  readonly next?: number;
  readonly methods?: readonly string[];
  readonly pathPattern?: string;
}

export interface FaultState extends FaultRule {
  readonly id: string;
  /** How often the rule fired so far. */
  readonly fired: number;
  /** For `next` rules: how many firings are left. */
  readonly remaining?: number;
}

export interface FaultDecision {
  latencyMs: number;
  status?: { status: number; headers: Record<string, string> };
  drop?: 'before' | 'after';
  /** Ids of the rules that fired. */
  fired: string[];
}

interface Live {
  id: string;
  rule: FaultRule;
  regex?: RegExp;
  methods?: Set<string>;
  fired: number;
  remaining?: number;
}

/** mulberry32: a small, fast seeded PRNG; reproducible fault patterns, not cryptography. Tests use it too. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = new Set([429, 423, 500, 502, 503, 504]);

/** Checks a rule from JSON (admin endpoint); throws a TypeError naming the problem. */
export function validateFaultRule(input: unknown): FaultRule {
  if (!input || typeof input !== 'object') throw new TypeError('a fault rule must be an object');
  const r = input as Record<string, unknown>;
  if (r['kind'] !== 'status' && r['kind'] !== 'latency' && r['kind'] !== 'drop')
    throw new TypeError(`fault kind must be status, latency or drop, not ${JSON.stringify(r['kind'])}`);
  if (r['kind'] === 'status' && !STATUSES.has(Number(r['status'])))
    throw new TypeError(`a status fault needs status 429, 423, 500, 502, 503 or 504`);
  if (r['kind'] === 'latency' && !(typeof r['latencyMs'] === 'number' && r['latencyMs'] >= 0))
    throw new TypeError('a latency fault needs latencyMs ≥ 0');
  if (r['rate'] !== undefined && !(typeof r['rate'] === 'number' && r['rate'] >= 0 && r['rate'] <= 1))
    throw new TypeError('rate must be a number from 0 to 1');
  if (r['next'] !== undefined && !(Number.isInteger(r['next']) && (r['next'] as number) > 0))
    throw new TypeError('next must be a positive integer');
  if (r['rate'] === undefined && r['next'] === undefined) throw new TypeError('a fault rule needs rate or next');
  if (r['retryAfter'] !== undefined && !(typeof r['retryAfter'] === 'number' && r['retryAfter'] >= 0))
    throw new TypeError('retryAfter must be seconds ≥ 0');
  if (r['phase'] !== undefined && r['phase'] !== 'before' && r['phase'] !== 'after') throw new TypeError('phase must be before or after');
  if (r['pathPattern'] !== undefined) new RegExp(String(r['pathPattern']));
  if (r['methods'] !== undefined && !(Array.isArray(r['methods']) && r['methods'].every((m) => typeof m === 'string')))
    throw new TypeError('methods must be an array of HTTP methods');
  return r as unknown as FaultRule;
}

export class FaultInjector {
  private rules: Live[] = [];
  private random: () => number;
  private counter = 0;

  constructor(
    seed = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.random = mulberry32(seed);
  }

  /** Restarts the random sequence (for an exactly repeatable run). */
  reseed(seed: number): void {
    this.random = mulberry32(seed);
  }

  /** Adds a rule; returns its id. */
  add(rule: FaultRule): string {
    const r = validateFaultRule(rule);
    const live: Live = { id: `f${++this.counter}`, rule: r, fired: 0 };
    if (r.pathPattern) live.regex = new RegExp(r.pathPattern);
    if (r.methods) live.methods = new Set(r.methods.map((m) => m.toUpperCase()));
    if (r.next !== undefined) live.remaining = r.next;
    this.rules.push(live);
    return live.id;
  }

  /** Replaces every rule. */
  set(rules: readonly FaultRule[]): string[] {
    rules.forEach(validateFaultRule);
    this.rules = [];
    return rules.map((r) => this.add(r));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultState[] {
    return this.rules.map((r) => ({
      ...r.rule,
      id: r.id,
      fired: r.fired,
      ...(r.remaining !== undefined ? { remaining: r.remaining } : {}),
    }));
  }

  /** Total firings across rules (including removed ones is not tracked). */
  get totalFired(): number {
    return this.rules.reduce((n, r) => n + r.fired, 0);
  }

  /** What to do to this request. */
  decide(method: string, path: string): FaultDecision {
    const d: FaultDecision = { latencyMs: 0, fired: [] };
    if (this.rules.length === 0) return d;
    for (const r of this.rules) {
      if (r.methods && !r.methods.has(method)) continue;
      if (r.regex && !r.regex.test(path)) continue;
      if (r.rule.kind !== 'latency' && (d.status || d.drop)) continue;
      let fire: boolean;
      if (r.remaining !== undefined) fire = r.remaining > 0;
      else fire = this.random() < (r.rule.rate ?? 0);
      if (!fire) continue;
      if (r.remaining !== undefined) r.remaining--;
      r.fired++;
      d.fired.push(r.id);
      if (r.rule.kind === 'latency') d.latencyMs += r.rule.latencyMs ?? 0;
      else if (r.rule.kind === 'drop') d.drop = r.rule.phase ?? 'before';
      else {
        const headers: Record<string, string> = {};
        if (r.rule.retryAfter !== undefined) {
          headers['retry-after'] = r.rule.retryAfterDate
            ? new Date(this.now() + r.rule.retryAfter * 1000).toUTCString()
            : String(r.rule.retryAfter);
        }
        d.status = { status: r.rule.status!, headers };
      }
    }
    return d;
  }
}
