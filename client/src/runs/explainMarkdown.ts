/**
 * An {@link Explanation} as Markdown for the preview: which object selection took the object in
 * or left it out, which mapping produced each cloud value (old → new), what the plan does. Every
 * value comes from AD or the cloud and is untrusted: it is escaped so it shows as text, never as
 * markup or a link.
 */
import type { Explanation } from '../../../common/engine';

/** Escapes text for Markdown (CommonMark's backslash escapes; `<` and `&` as entities; no line breaks). */
export function mdText(value: unknown): string {
  const s = value === null ? 'null' : value === undefined ? '—' : String(value);
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`);
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function explanationMarkdown(e: Explanation): string {
  const out: string[] = [`# Explain ${mdText(e.query)}`, ''];
  if (!e.found) out.push(`**Not found** in the directory or the cloud.`, '');
  const identity: Array<[string, unknown]> = [
    ['Object type', e.objectType],
    ['DN', e.dn],
    ['userName', e.userName],
    ['Cloud id', e.cloudId],
  ];
  for (const [k, v] of identity) if (v !== undefined) out.push(`- **${k}:** ${mdText(v)}`);
  if (e.decision) {
    out.push('', '## Decision', '', `- **Category:** ${mdText(e.decision.category)}`, `- **Action:** ${mdText(e.decision.action)}`);
    if (e.decision.reason) out.push(`- **Why:** ${mdText(e.decision.reason)}`);
  }
  out.push('', '## Object selections', '');
  if (e.selections.length === 0) out.push('No object selection applies.');
  else {
    out.push('| selection | enabled | under a base DN | filter matches | filter | config |', '|---|---|---|---|---|---|');
    for (const s of e.selections) {
      const where = s.configRef ? `line ${s.configRef.line}` : '';
      out.push(
        `| ${s.kind} | ${yesNo(s.enabled)} | ${yesNo(s.underBaseDn)} | ${yesNo(s.filterMatches)} | ${mdText(s.filter)} | ${where} |`,
      );
    }
  }
  out.push('', '## Attributes', '');
  if (e.attributes.length === 0) out.push('No mapped attribute.');
  else {
    out.push('| attribute | SCIM path | expression | cloud now | → new | changes | config |', '|---|---|---|---|---|---|---|');
    for (const a of e.attributes) {
      const state = (active: boolean | undefined) => (active === undefined ? '' : active ? 'active' : 'inactive');
      // The account state: the source value (userAccountControl "514") and the state it gives.
      const now = a.cloudActive !== undefined ? state(a.cloudActive) : a.cloudValue === undefined ? '—' : mdText(a.cloudValue);
      const next = a.error
        ? `error: ${mdText(a.error)}`
        : a.active !== undefined
          ? `${mdText(a.value)} (${state(a.active)})`
          : mdText(a.value);
      out.push(
        `| ${mdText(a.attribute)} | ${mdText(a.scimPath)} | ${mdText(a.expression)} | ${now} | ${next} | ${a.changes ? '**yes**' : 'no'} | ${a.configRef ? `line ${a.configRef.line}` : ''} |`,
      );
    }
  }
  if (e.messages.length) {
    out.push('', '## Notes', '');
    for (const m of e.messages) out.push(`- ${mdText(m)}`);
  }
  return `${out.join('\n')}\n`;
}
