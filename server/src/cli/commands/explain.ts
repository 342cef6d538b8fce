/**
 * `dirsync explain <config> <DN or userName> [--json]`: why an object is (or is not) synchronized —
 * which object selection took it in or left it out, which mapping produced each cloud value
 * (old → new, with the config line), and what the plan does with it.
 *
 * Exit codes: 0 explained (the object was found in AD or the cloud), 1 not found anywhere, or an
 * error (config errors, directory or cloud unreachable, missing secret, bad usage).
 */
import { resolve } from 'node:path';
import { envSecretResolver } from '../../avatars/credentials';
import type { Explanation } from '../../sync/contract';
import { explainObject } from '../../sync/engine/explain';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { oneLine } from '../terminal';

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));
const state = (active: boolean | undefined) => (active === undefined ? '—' : active ? 'active' : 'inactive');

/** A mapped value, old → new; the account state reads as the source value and the state it gives. */
function valueText(a: Explanation['attributes'][number]): string {
  if (a.active !== undefined || a.cloudActive !== undefined) {
    const now = a.active === undefined ? show(a.value) : `${show(a.value)} (${state(a.active)})`;
    return a.changes ? `${now}: the cloud user goes from ${state(a.cloudActive)} to ${state(a.active)}` : now;
  }
  return a.changes ? `${show(a.cloudValue)} → ${show(a.value)}` : show(a.value);
}

function printText(io: CliIo, e: Explanation): void {
  // One line per call: a value's own line breaks are shown, not obeyed.
  const w = (s: string) => io.stdout.write(oneLine(s) + '\n');
  w(
    `${e.query}: ${e.found ? `${e.objectType ?? 'object'}${e.dn ? ` ${e.dn}` : ''}${e.userName ? ` (${e.userName})` : ''}${e.cloudId ? `, cloud id ${e.cloudId}` : ''}` : 'not found'}`,
  );
  if (e.selections.length) w('Selections:');
  for (const s of e.selections) {
    const verdict = !s.enabled
      ? 'off'
      : !s.underBaseDn
        ? 'not under its base DNs'
        : !s.filterMatches
          ? 'filter does not match'
          : 'TAKES IT IN';
    w(
      `  ${s.kind.padEnd(8)} ${verdict}  ${s.filter}${s.configRef ? `  (${s.configRef.file}:${s.configRef.line}:${s.configRef.column})` : ''}`,
    );
  }
  if (e.attributes.length) w('Attributes:');
  for (const a of e.attributes) {
    const where = a.configRef ? `  (${a.configRef.file}:${a.configRef.line}:${a.configRef.column})` : '  (default mapping)';
    w(`  ${a.attribute} ← ${a.expression}: ${valueText(a)}${a.error ? `  ERROR ${a.error}` : ''}${where}`);
  }
  if (e.decision) w(`Decision: ${e.decision.category} / ${e.decision.action}${e.decision.reason ? ` — ${e.decision.reason}` : ''}`);
  for (const m of e.messages) w(`note: ${m}`);
}

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: "Explain one object: selections, mapped values old → new, the plan's decision",
  usage: `Usage: dirsync explain [options] <config> <DN or userName>

Finds the object in the directory (by DN, or by the attributes the uid mapping reads) and in
the cloud (by externalId, then userName), and prints which object selection takes it in or
leaves it out, each mapped cloud attribute's value old → new with the config line that maps
it, and what a sync does with it and why.

Options:
  --json        print the explanation as JSON (the format is in the sync engine
                documentation, "Dry run and explain on the command line")
  -h, --help    show this help

Exit codes: 0 explained, 1 not found in the directory nor the cloud, or an error.`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    if (args.positionals.length !== 2) throw new UsageError('name a .dirsync file and a DN or userName');
    const configFile = resolve(io.cwd, args.positionals[0]!);
    let e: Explanation;
    try {
      e = await explainObject({ configFile, target: args.positionals[1]!, secrets: envSecretResolver(io.env), signal: io.signal });
    } catch (err) {
      io.stderr.write(`dirsync explain: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    if (args.values['json']) io.stdout.write(JSON.stringify(e, null, 2) + '\n');
    else printText(io, e);
    return e.found ? 0 : 1;
  },
};
