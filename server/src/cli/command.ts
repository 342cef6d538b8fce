/**
 * The CLI's command contract. Each command lives in its own file under `cli/commands/` and is
 * listed once in `cli/commands/index.ts`. Commands get their I/O injected so tests can run them
 * in-process; the process entry (`cli.ts`) wires the real ones.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly and stay resumable. */
  readonly signal: AbortSignal;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `dirsync help`. */
  readonly summary: string;
  /** Full usage text for `dirsync help <name>` and `--help`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code. Exit codes are part of the interface: document them in usage. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
  /**
   * The command prints the cloud token's warnings itself (`serve`, with its timestamps); every
   * other command gets them on stderr from `runCli`.
   */
  readonly printsAuthWarnings?: true;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  readonly positionals: string[];
}

/** A usage error: printed with the command's usage, exit code 1 (terraform-like: 1 = error). */
export class UsageError extends Error {}

export function parseCommandArgs(command: CliCommand, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
