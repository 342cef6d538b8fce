/** LSP cancellation → AbortSignal (STYLE.md principle 8: long work takes an AbortSignal). */
import type { CancellationToken } from 'vscode-languageserver';

export function toSignal(token: CancellationToken | undefined): AbortSignal | undefined {
  if (!token) return undefined;
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
