/**
 * Live-directory diagnostics (DS6xx, codes.ts LIVE_CODES): what the bound directory says about
 * the document. Pure: `liveDiagnostics(analysis, facts)` reads only the facts it is given, so a
 * check whose fact is not known yet simply does not fire (no flicker of "unknown" states).
 */
import type { Analysis } from '../analysis';
import { LIVE_CODES } from '../codes';
import type { TextRange } from '../../../../common/config';
import type { Diagnostic } from '../diagnostics';
import type { LiveFacts } from './facts';
import { canonicalDnKey as dnKey } from '../../domain/dn';
import { attributeReferences, baseDnValues } from './references';
import { liveSelections } from './selections';

function diag(code: keyof typeof LIVE_CODES & string, range: TextRange, message: string): Diagnostic {
  return { code, severity: LIVE_CODES[code]!.severity, range, message };
}

/** The DS6xx diagnostics of a document, given what the live directory said. */
export function liveDiagnostics(analysis: Pick<Analysis, 'root' | 'config' | 'embedded'>, facts: LiveFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = facts.kind === 'ldif' ? `the export ${facts.location}` : facts.location;
  if (facts.unavailable) {
    const url = analysis.config.directory.url;
    const range = url.range.end > url.range.start ? url.range : liveSelections(analysis)[0]!.anchor;
    out.push(diag('DS601', range, `Live directory checks are off: ${facts.unavailable.message}`));
    return out;
  }
  if (facts.schema && facts.schema.size > 0) {
    for (const ref of attributeReferences(analysis)) {
      if (facts.schema.has(ref.base.toLowerCase())) continue;
      out.push(
        diag(
          'DS602',
          ref.range,
          facts.kind === 'ldif'
            ? `\`${ref.base}\` is not an attribute of any entry in ${where}`
            : `\`${ref.base}\` is not in the schema of ${where} (check the spelling, or that the schema extension is installed)`,
        ),
      );
    }
  }
  // Entries counted under a selection's only base DN prove that it exists, whatever a base search
  // said (an export may leave out the container it was taken from): never "does not exist" beside
  // a CodeLens that counts entries under it.
  const proven = new Set<string>();
  for (const s of liveSelections(analysis)) {
    const c = facts.counts?.[s.kind];
    if (s.runnable && s.baseDns.length === 1 && c?.state === 'counted' && c.count > 0) proven.add(dnKey(s.baseDns[0]!));
  }
  const seen = new Set<string>();
  for (const b of baseDnValues(analysis)) {
    const exists = facts.baseDns?.get(dnKey(b.dn));
    const at = `${b.range.start}:${b.range.end}`;
    if (exists !== false || seen.has(at) || proven.has(dnKey(b.dn))) continue;
    seen.add(at);
    out.push(diag('DS603', b.range, `\`${b.dn}\` does not exist in ${where} (\`${b.path}\`)`));
  }
  for (const s of liveSelections(analysis)) {
    const c = facts.counts?.[s.kind];
    if (!s.runnable || !c) continue;
    if (c.state === 'counted' && c.count === 0) {
      out.push(
        diag(
          'DS604',
          s.filterRange,
          `The ${s.kind} filter matches no entry under ${s.baseDns.map((d) => `\`${d}\``).join(', ')} in ${where} right now`,
        ),
      );
    } else if (c.state === 'failed' && c.code !== 'noSuchBase') {
      // A missing base DN is DS603 on the DN itself; other refusals are about the search.
      out.push(diag('DS605', s.filterRange, `The ${s.kind} search failed: ${c.message}`));
    }
  }
  return out;
}

/**
 * The static diagnostics with the live ones merged in: DS519 ("not in the built-in schema list")
 * is dropped for attributes the live directory's schema has — the directory is the better
 * authority — and the DS6xx diagnostics are added. Sorted by position.
 */
export function mergeLiveDiagnostics(
  staticDiagnostics: readonly Diagnostic[],
  live: readonly Diagnostic[],
  facts: LiveFacts | undefined,
): Diagnostic[] {
  const schema = facts && !facts.unavailable ? facts.schema : undefined;
  const kept = schema
    ? staticDiagnostics.filter((d) => {
        if (d.code !== 'DS519') return true;
        const name = /^`([^`]+)`/.exec(d.message)?.[1];
        return !name || !schema.has(name.split(';')[0]!.toLowerCase());
      })
    : [...staticDiagnostics];
  return [...kept, ...live].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code));
}
