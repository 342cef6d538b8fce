/**
 * `dirsync purge-avatars <config> [--apply] [--json]` (issue 7; seed 000, "Manage Profile
 * Pictures"): prints the purge plan — every in-scope user whose avatar source is empty and whose
 * cloud user shows a picture, and why ("No image data") — and with `--apply` removes those
 * pictures and prints the event lines an admin searches for.
 *
 * Exit codes, like `dirsync plan`: 0 nothing to purge, 2 a purge is pending (or was applied), 1 an
 * error (config, directory, cloud, a removal that failed, bad usage).
 */
import { resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import type { EngineEvent } from '../../sync/contract';
import { purgeAvatars } from '../../sync/avatars/purge';
import type { ApplyResult, SyncPlan } from '../../sync/contract';
import { UsageError, type CliCommand, type CliIo } from '../command';

function printPlan(io: CliIo, plan: SyncPlan): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  const r = plan.report;
  w(`${r.config.name ?? r.config.file} — avatar purge plan (session ${r.sessionId})`);
  w(`directory ${r.directory.url} → cloud ${r.cloud.url}`);
  for (const m of r.messages) w(`${m.severity}: ${m.message}`);
  const removals = r.items.filter((i) => i.avatar?.status === 'remove');
  const failed = r.items.filter((i) => i.avatar?.status === 'failed');
  w('');
  if (removals.length === 0) w('Nothing to purge: no in-scope user with an empty avatar source has a picture in the cloud.');
  else {
    w(`${removals.length} picture${removals.length === 1 ? '' : 's'} to remove:`);
    for (const i of removals)
      w(`  - remove avatar  ${i.userName ?? '(no userName)'}  ${i.dn}  Reason: ${i.avatar?.reason ?? 'No image data'}`);
  }
  if (failed.length) {
    w(`${failed.length} user${failed.length === 1 ? '' : 's'} whose source could not be read (left alone):`);
    for (const i of failed) w(`  ! ${i.userName ?? '(no userName)'}  ${i.dn}  ${i.avatar?.reason ?? ''}`);
  }
}

function printResult(io: CliIo, result: ApplyResult): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  w('');
  w(`Applied: ${result.applied} removed, ${result.failed} failed, ${result.skipped} skipped (the source has a picture again).`);
  for (const f of result.failures) w(`  ! ${f.label}: ${f.message}`);
}

export const purgeAvatarsCommand: CliCommand = {
  name: 'purge-avatars',
  summary: 'Plan (and with --apply, do) the removal of cloud pictures whose avatar source is empty',
  usage: `Usage: dirsync purge-avatars [options] <config>

Reads the config's in-scope users from the directory and the cloud users that show a picture,
and prints the purge plan: every user whose avatar source is empty (the attribute is cleared, or
the resource server answers 404) and whose cloud picture will be removed, with the reason
("No image data"). Users whose source cannot be read are listed and left alone. Nothing is
written unless --apply is given. A re-run after --apply finds nothing to purge.
Secrets come from the environment: \${env:NAME} reads NAME, \${secret:KEY} reads DIRSYNC_SECRET_<KEY>.

Options:
  --apply       remove the pictures, then print Directory Connector's event lines ("Avatar
                Plugin: detected deleteAvatar flag, … Reason:No Image Data" and "Avatar Plugin:
                No image data for AD entry '<GUID=…>;<SID=…>;<DN>'"), one pair per user
  --json        print the plan as the report JSON (mode "purgeAvatars", category "avatars");
                with --apply, event lines go to stderr as JSON lines
  -h, --help    show this help

Exit codes: 0 nothing to purge, 2 a purge is pending (or was applied), 1 an error (config,
directory or cloud unreachable, a removal that failed, bad usage).`,
  options: {
    apply: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('name exactly one .dirsync file');
    const json = args.values['json'] === true;
    const apply = args.values['apply'] === true;
    const events: EngineEvent[] = [];
    const onEvent = (e: EngineEvent): void => {
      if (e.event !== 'avatar.deleteFlag' && e.event !== 'avatar.noImageData' && e.level !== 'warning' && e.level !== 'error') return;
      events.push(e);
      if (json) io.stderr.write(JSON.stringify(e) + '\n');
    };
    let out: Awaited<ReturnType<typeof purgeAvatars>>;
    try {
      out = await purgeAvatars({
        configFile: resolve(io.cwd, args.positionals[0]!),
        secrets: envSecretResolver(io.env),
        signal: io.signal,
        apply,
        onEvent,
      });
    } catch (err) {
      io.stderr.write(`dirsync purge-avatars: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    if (json) io.stdout.write(JSON.stringify(out.result?.report ?? out.plan.report, null, 2) + '\n');
    else {
      printPlan(io, out.plan);
      if (out.result) {
        if (events.length) io.stdout.write('\n');
        for (const e of events) io.stdout.write(`[sessionId: ${e.sessionId}] ${e.message}\n`);
        printResult(io, out.result);
      }
    }
    if (out.result && out.result.failed > 0) return 1;
    return out.plan.payload.operations.length > 0 ? 2 : 0;
  },
};
