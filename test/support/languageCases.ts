/**
 * Fluent helpers for language-service tests: `|` cursor markers, `«…»` expected ranges, and a
 * valid base config to patch.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../server/src/language/analysis';
import type { TextRange } from '../../common/config';

/** Strips one cursor marker (default `|`) and returns the text and the cursor offset. */
export function cursor(src: string, marker = '|'): { text: string; offset: number } {
  const offset = src.indexOf(marker);
  if (offset < 0 || src.indexOf(marker, offset + 1) >= 0) throw new Error(`need exactly one ${marker} in ${src}`);
  return { text: src.slice(0, offset) + src.slice(offset + marker.length), offset };
}

/** Strips `«`/`»` markers and returns the text and the marked ranges, in order. */
export function ranged(src: string): { text: string; ranges: TextRange[] } {
  const ranges: TextRange[] = [];
  let text = '';
  let open = -1;
  for (const ch of src) {
    if (ch === '«') open = text.length;
    else if (ch === '»') {
      ranges.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return { text, ranges };
}

/** A valid config: every test patches it into the case it needs. */
export const BASE = {
  directory: { url: 'ldaps://dc1.example.com', password: '${env:P}', bindDn: 'CN=svc,DC=example,DC=com', baseDns: ['DC=example,DC=com'] },
  cloud: { type: 'webex', orgId: 'org1', token: '${env:T}' },
  attributes: { uid: 'mail', displayName: 'displayName', 'ds-pwp-account-disabled': 'userAccountControl', externalId: 'objectGUID' },
  policy: { deleteThreshold: { count: 10 } },
};

type Patch = Record<string, unknown>;

function merge(a: unknown, b: unknown): unknown {
  if (b === undefined) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Patch) };
    for (const [k, v] of Object.entries(b as Patch)) {
      const m = merge(out[k], v);
      if (m === undefined) delete out[k];
      else out[k] = m;
    }
    return out;
  }
  return b;
}

/** BASE with a patch applied (a key set to `undefined` is removed), as pretty JSON. */
export function configText(patch: Patch = {}): string {
  return JSON.stringify(merge(BASE, patch), null, 2);
}

export function analyzed(patch: Patch = {}): Analysis {
  return analyze(configText(patch));
}

/** Codes of an analysis's diagnostics (optionally only some severities). */
export function codes(a: Analysis, severities = ['error', 'warning', 'information', 'hint']): string[] {
  return a.diagnostics.filter((d) => severities.includes(d.severity)).map((d) => d.code);
}

/** Applies text edits (offsets into `text`) and returns the new text. */
export function applyEdits(text: string, edits: ReadonlyArray<{ range: TextRange; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

export const SAMPLES_ROOT = join(__dirname, '../../sample-configs');

/** Every `.dirsync` file under sample-configs/ (valid and invalid). */
export function sampleFiles(dir = SAMPLES_ROOT): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sampleFiles(p) : f.endsWith('.dirsync') ? [p] : [];
    });
}
