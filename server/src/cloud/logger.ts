/**
 * The SCIM client's log interface: structured events, one object each, ready to be written as a
 * JSON line in the sync's event log. The client never puts the token, the Authorization header or
 * request bodies into an event; filters are left out too (they can carry personal data).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * One event. `event` is a stable name:
 * - `scim.request`  every HTTP exchange: method, path, status, ms, trackingId, serverTrackingId, attempt
 * - `scim.retry`    a retry is scheduled: reason, delayMs, attempt, trackingId
 * - `scim.recovered` a POST whose outcome was unknown turned out to have created the object
 * - `scim.error`    an operation failed for good (the ScimError's JSON)
 */
export interface CloudLogEvent {
  readonly level: LogLevel;
  readonly event: string;
  readonly [field: string]: unknown;
}

export interface CloudLogger {
  log(event: CloudLogEvent): void;
}

/** Drops everything. */
export const silentLogger: CloudLogger = { log() {} };

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Writes each event as one JSON line `{"time":…,"level":…,"event":…,…}` through `write`.
 * Events below `minLevel` (default `info`) are dropped.
 */
export function jsonLinesLogger(
  write: (line: string) => void,
  options: { minLevel?: LogLevel; fields?: Record<string, unknown>; now?: () => number } = {},
): CloudLogger {
  const min = RANK[options.minLevel ?? 'info'];
  const now = options.now ?? Date.now;
  return {
    log(e) {
      if (RANK[e.level] < min) return;
      write(JSON.stringify({ time: new Date(now()).toISOString(), ...options.fields, ...e }) + '\n');
    },
  };
}

/** Keeps events in memory (tests, and the language server's output channel buffer). */
export class MemoryLogger implements CloudLogger {
  readonly events: CloudLogEvent[] = [];
  log(e: CloudLogEvent): void {
    this.events.push(e);
  }
  named(event: string): CloudLogEvent[] {
    return this.events.filter((e) => e.event === event);
  }
}
