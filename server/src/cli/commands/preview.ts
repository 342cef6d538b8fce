/**
 * `dirsync preview <config> [--sample N] [--json]`: what the config does to real entries, from the
 * terminal — per object selection, how many entries the filter matches and N sample entries with
 * every mapped cloud attribute's computed value and the avatar. Reads the directory only (live AD
 * or an LDIF export); never contacts the cloud.
 *
 * Exit codes: 0 previewed (every enabled selection read), 1 the config has errors in the sections a
 * preview uses, the directory could not be opened (bind failure, unreachable, missing secret), a
 * selection's search failed, or bad usage.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import { DirectoryError, openDirectory } from '../../directory/index';
import { analyze, formatDiagnostic, type Diagnostic } from '../../language/service';
import { countOf, formatBytes } from '../../language/live/index';
import type { Node } from '../../language/config/tree';
import { inspectImage } from '../../live/avatarCheck';
import { runPreview } from '../../live/runPreview';
import { PREVIEW_FORMAT, PREVIEW_VERSION, type PreviewAvatar, type PreviewResult, type PreviewSelection } from '../../../../common/preview';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { oneLine } from '../terminal';

/** Top-level sections a preview reads; errors elsewhere (cloud, policy, …) do not stop it. */
const PREVIEW_SECTIONS = new Set(['directory', 'objects', 'attributes', 'contactAttributes', 'avatar']);

function sectionOf(root: Node | undefined, offset: number): string | undefined {
  for (const p of root?.children ?? []) {
    if (offset >= p.offset && offset < p.offset + p.length) return String(p.children?.[0]?.value);
  }
  return undefined;
}

function avatarText(a: PreviewAvatar): string {
  if (a.source === 'attribute' && a.ok) {
    const img = a.format ? `${a.format.toUpperCase()} ${a.width}×${a.height}, ` : a.problem ? `not a usable image (${a.problem}), ` : '';
    return `${a.attribute}: ${img}${formatBytes(a.bytes)}`;
  }
  return a.ok ? a.url : a.reason;
}

function printText(io: CliIo, result: PreviewResult): void {
  // One line per call: a value's own line breaks are shown, not obeyed.
  const w = (s: string) => io.stdout.write(oneLine(s) + '\n');
  w(`${result.name ?? result.config} — ${result.directory.url}`);
  for (const s of result.selections) {
    w('');
    if (!s.enabled) {
      w(`${s.kind}: off (objects.${s.kind}.enabled is false)`);
      continue;
    }
    if (s.error) {
      w(`${s.kind}: ERROR ${s.error}`);
      continue;
    }
    const n = s.count ?? 0;
    w(`${s.kind}: ${s.complete === false ? 'at least ' : ''}${countOf(n, s.kind)} ${n === 1 ? 'matches' : 'match'} ${s.filter}`);
    w(`  under ${s.baseDns.join('; ')}`);
    (s.sample ?? []).forEach((e, i) => {
      w(`  ${i + 1}. ${e.name} — ${e.dn}${e.members !== undefined ? ` (${e.members} member${e.members === 1 ? '' : 's'})` : ''}`);
      const width = Math.max(8, ...e.attributes.map((a) => a.cloud.length));
      for (const a of e.attributes) {
        const value = a.error
          ? `(error: ${a.error})`
          : `${JSON.stringify(a.value)}${a.active === undefined ? '' : a.active ? ' (active)' : ' (inactive)'}`;
        w(`       ${a.cloud.padEnd(width)}  ${value}`);
      }
      if (e.avatar) w(`       ${'avatar'.padEnd(width)}  ${avatarText(e.avatar)}`);
    });
  }
}

export const previewCommand: CliCommand = {
  name: 'preview',
  summary: 'Show what a config does to real directory entries (counts, mapped values, avatars)',
  usage: `Usage: dirsync preview [options] <config>

Reads the config's directory (live AD or an ldif: export) and prints, per object selection
(users, groups, contacts, rooms), how many entries its filter matches under its base DNs and
the first N entries with every mapped cloud attribute's computed value (attribute expressions
evaluated) and the resolved avatar URL (or the photo attribute's format and size). Never
contacts the cloud. Secrets come from the environment: \${env:NAME} reads NAME,
\${secret:KEY} reads DIRSYNC_SECRET_<KEY>.

Options:
  --sample N    sample entries per selection (default 3; 0 prints counts only)
  --json        one JSON object {format: "dirsync-preview", version: 1, config, name,
                directory: {url, kind}, selections: [{kind, enabled, baseDns, filter, count,
                complete, sample: [{dn, name, attributes: [{cloud, scimPath, expression, value,
                active}], members, avatar}], error}]}
  -h, --help    show this help

Exit codes: 0 previewed, 1 config errors in directory/objects/attributes/avatar, the directory
could not be opened or a search failed (the message names the URL and DN), or bad usage.`,
  options: {
    sample: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync file');
    const sampleText = (args.values['sample'] as string | undefined) ?? '3';
    if (!/^\d+$/.test(sampleText) || Number(sampleText) > 1000)
      throw new UsageError(`--sample must be a whole number from 0 to 1000, not '${sampleText}'`);
    const sample = Number(sampleText);
    const file = args.positionals[0]!;
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr.write(
        `dirsync preview: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}\n`,
      );
      return 1;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const analysis = analyze(text);
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    const blocking = errors.filter((d) => {
      const s = sectionOf(analysis.root, d.range.start);
      // Outside every section: a syntax error, or a missing section (the file's start is blamed).
      return s === undefined ? d.code === 'DS100' || d.code === 'DS109' : PREVIEW_SECTIONS.has(s);
    });
    if (blocking.length) {
      for (const d of blocking) io.stderr.write(`${formatDiagnostic(file, analysis.lines, d as Diagnostic)}\n`);
      io.stderr.write(
        `dirsync preview: ${file} has ${blocking.length} error${blocking.length === 1 ? '' : 's'} in the sections a preview reads; fix them first.\n`,
      );
      return 1;
    }
    if (errors.length)
      io.stderr.write(
        `dirsync preview: note: ${errors.length} error${errors.length === 1 ? '' : 's'} in other sections (run \`dirsync check ${file}\`); previewing anyway.\n`,
      );
    const config = analysis.config;
    if (!config.directory.url.value.trim()) {
      io.stderr.write(`dirsync preview: ${file} has no \`directory.url\`: nothing to preview.\n`);
      return 1;
    }
    const secrets = envSecretResolver(io.env);
    let source: Awaited<ReturnType<typeof openDirectory>>;
    try {
      source = await openDirectory(config.directory, { configDir: dirname(path), resolveSecret: secrets, signal: io.signal });
    } catch (err) {
      io.stderr.write(
        `dirsync preview: ${err instanceof DirectoryError ? err.message : err instanceof Error ? err.message : String(err)}\n`,
      );
      return 1;
    }
    let selections: PreviewSelection[];
    try {
      selections = await runPreview(config, source, { sample, inspect: inspectImage, signal: io.signal });
    } catch (err) {
      io.stderr.write(`dirsync preview: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    } finally {
      await source.close();
    }
    const result: PreviewResult = {
      format: PREVIEW_FORMAT,
      version: PREVIEW_VERSION,
      config: file,
      ...(config.name ? { name: config.name } : {}),
      directory: { url: config.directory.url.value, kind: config.directory.source.kind },
      selections,
    };
    if (args.values['json']) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else printText(io, result);
    const failed = selections.filter((s) => s.error);
    for (const s of failed) if (args.values['json']) io.stderr.write(`dirsync preview: ${s.kind}: ${s.error}\n`);
    return failed.length ? 1 : 0;
  },
};
