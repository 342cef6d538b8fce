/**
 * Every handler runs through `guard`: an exception becomes one log line and a safe fallback, so a
 * broken config (or a bug) never takes the language server down (STYLE.md principle 2).
 */
import type { Connection } from 'vscode-languageserver';

export function guard<P extends unknown[], R>(connection: Connection, name: string, fallback: R, fn: (...args: P) => R | Promise<R>) {
  return async (...args: P): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      connection.console.error(`dirsync: ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}
