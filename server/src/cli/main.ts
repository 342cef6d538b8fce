/** Dispatches `dirsync <command> …` to a command; prints help; maps failures to exit codes. */
import { commands } from './commands/index';
import { parseCommandArgs, UsageError, type CliIo } from './command';
import { safeStream } from './terminal';
import { onAuthWarning } from '../sync/engine/cloudClient';

export const VERSION = '0.1.0';

function help(io: CliIo): void {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  io.stdout.write(
    `dirsync ${VERSION} — directory synchronization as code\n\nUsage: dirsync <command> [options]\n\nCommands:\n` +
      commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') +
      `\n\nRun \`dirsync help <command>\` for a command's options.\n`,
  );
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[], raw: CliIo): Promise<number> {
  // Directory values reach the terminal only through these (terminal.ts).
  const io: CliIo = { ...raw, stdout: safeStream(raw.stdout), stderr: safeStream(raw.stderr) };
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const target = rest[0] && commands.find((c) => c.name === rest[0]);
    if (target) io.stdout.write(target.usage.trimEnd() + '\n');
    else help(io);
    return 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`dirsync: unknown command '${name}'. Run \`dirsync help\`.\n`);
    return 1;
  }
  // A cloud token's warning — a rotated refresh token that could not be kept (the next run may be
  // refused), a kept one that could not be removed — is said on stderr, event log or not.
  const stopWarnings = command.printsAuthWarnings
    ? undefined
    : onAuthWarning((w) => io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[2K' : ''}dirsync ${command.name}: warning: ${w.message}\n`));
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values['help']) {
      io.stdout.write(command.usage.trimEnd() + '\n');
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`dirsync ${command.name}: ${err.message}\n\n${command.usage.trimEnd()}\n`);
      return 1;
    }
    io.stderr.write(`dirsync ${command.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env['DIRSYNC_DEBUG'] && err instanceof Error && err.stack) io.stderr.write(err.stack + '\n');
    return 1;
  } finally {
    stopWarnings?.();
  }
}
