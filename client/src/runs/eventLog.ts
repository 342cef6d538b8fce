/**
 * The engine's event log in the "Dirsync" LogOutputChannel: one line per event, prefixed with the
 * run's session id so the lines of one run can be found (and matched with the CLI's `--log` file).
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RunEventNotification, type RunEventParams } from '../../../common/requests';

export function eventLine(p: RunEventParams): string {
  const e = p.event;
  const who = e.dn ? ` (${e.dn})` : e.userName ? ` (${e.userName})` : '';
  return `[${e.sessionId}] ${e.event}: ${e.message}${who}`;
}

export function logRunEvents(client: LanguageClient, output: vscode.LogOutputChannel): vscode.Disposable {
  return client.onNotification(RunEventNotification.method, (p: RunEventParams) => {
    const line = eventLine(p);
    switch (p.event.level) {
      case 'error':
        output.error(line);
        break;
      case 'warning':
        output.warn(line);
        break;
      case 'debug':
        output.debug(line);
        break;
      default:
        output.info(line);
    }
  });
}
