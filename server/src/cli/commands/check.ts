/**
 * `dirsync check <files…>`: the language server's diagnostics for each file, for CI.
 *
 *   text (default): `file:line:col severity code message`, 1-based, one line per diagnostic
 *   --format json:  one JSON array of {file, line, column, endLine, endColumn, severity, code, message}
 *
 * Exit codes: 0 no errors (warnings allowed), 1 any error, an unreadable or unanalysable file, or a usage error.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyze, type LineIndex, type Diagnostic, type Severity } from '../../language/service';
import { UsageError, type CliCommand } from '../command';

export interface CheckRecord {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

const LEVELS: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export const checkCommand: CliCommand = {
  name: 'check',
  summary: "Check .dirsync files: the editor's diagnostics, for CI",
  usage: `Usage: dirsync check [options] <files…>

Checks each config (JSONC syntax, keys and types, LDAP filters, attribute expressions, avatar URI
patterns, cross-field rules) without contacting the directory or the cloud.

Options:
  --format text|json   text (default): file:line:col severity code message (1-based)
                       json: one JSON array of {file, line, column, endLine, endColumn,
                       severity, code, message}
  --min-severity LEVEL hide diagnostics below LEVEL (error|warning|information|hint; default hint)
  -h, --help           show this help

Exit codes: 0 no errors, 1 errors found, a file could not be read or analysed, or bad usage.`,
  options: {
    format: { type: 'string' },
    'min-severity': { type: 'string' },
  },
  async run(args, io) {
    const format = (args.values['format'] as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
    const min = (args.values['min-severity'] as Severity | undefined) ?? 'hint';
    if (!LEVELS.includes(min)) throw new UsageError(`--min-severity must be one of ${LEVELS.join(', ')}`);
    if (args.positionals.length === 0) throw new UsageError('name at least one .dirsync file');
    const shown = new Set(LEVELS.slice(0, LEVELS.indexOf(min) + 1));
    const records: CheckRecord[] = [];
    let failed = false;
    for (const file of args.positionals) {
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, file), 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? 'no such file'
            : code === 'EISDIR'
              ? 'is a directory'
              : code === 'EACCES'
                ? 'permission denied'
                : (err as Error).message;
        io.stderr.write(`dirsync check: cannot read ${file}: ${why}\n`);
        failed = true;
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const analysis = analyze(text);
      // Whatever could not be analysed fails the check: it was not checked.
      for (const e of analysis.internalErrors) io.stderr.write(`dirsync check: ${file}: internal: ${e.split('\n', 1)[0]}\n`);
      if (analysis.internalErrors.length) failed = true;
      for (const d of analysis.diagnostics) {
        if (d.severity === 'error') failed = true;
        if (shown.has(d.severity)) records.push(toRecord(file, analysis.lines, d));
      }
    }
    if (format === 'json') io.stdout.write(JSON.stringify(records, null, 2) + '\n');
    else for (const r of records) io.stdout.write(`${r.file}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}\n`);
    return failed ? 1 : 0;
  },
};

function toRecord(file: string, lines: LineIndex, d: Diagnostic): CheckRecord {
  const s = lines.positionAt(d.range.start);
  const e = lines.positionAt(d.range.end);
  return {
    file,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}
