/**
 * Process entry of the language server (`dist/server.js`, `dirsync-language-server`). The
 * transport comes from argv, as vscode-languageserver reads it: `--stdio`, `--node-ipc` (what the
 * VS Code client uses) or `--socket=<port>`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: dirsync-language-server --stdio | --node-ipc | --socket=<port>\n');
  process.exit(0);
}
if (
  !process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe')) &&
  !process.send
) {
  process.stderr.write('dirsync-language-server: choose a transport, e.g. --stdio\n');
  process.exit(1);
}

const connection = createConnection(ProposedFeatures.all);
// Last line of defence: log and keep serving (handlers are guarded; this catches timers and bugs).
process.on('uncaughtException', (err) => connection.console.error(`dirsync: uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => connection.console.error(`dirsync: unhandled rejection: ${String(err)}`));
startServer(connection);
