/**
 * What a config does to one directory entry, without contacting the cloud: every mapped cloud
 * attribute's value (the attribute expression evaluated, step by step) and the avatar (the URI
 * pattern resolved, or the photo attribute's bytes described). Pure: the editor's inlay hints and
 * hovers, the CodeLens sample list and `dirsync preview` all use it.
 */
import { isUacDisabled } from '../../domain/adValues';
import { evaluateExpression, explainExpression, type ExplainStep, type Expression } from '../attrExpr/index';
import { resolveAvatarUri, type AvatarUriPattern } from '../avatarUri/index';
import { findCloudAttribute } from '../../domain/cloudAttributes';
import type { AttributeMapping, DirsyncConfig, TextRange } from '../../../../common/config';
import { parseEmbedded } from '../embedded';
import type { DirectoryEntry } from '../../domain/entry';

export interface MappingPreview {
  /** The cloud attribute as written (`displayName`, `sipAddresses;type=enterprise`). */
  readonly cloud: string;
  /** Where it goes in SCIM, when the attribute is a known one. */
  readonly scimPath?: string;
  readonly expression: string;
  /** The expression's value on the entry; '' when it reads nothing. Absent when it does not parse. */
  readonly value?: string;
  /** For the account-state mapping (`ds-pwp-account-disabled`): whether the cloud user is active. */
  readonly active?: boolean;
  /** The evaluation step by step (attribute reads, then each operator). */
  readonly steps?: readonly ExplainStep[];
  /** Why there is no value: the expression has errors. */
  readonly error?: string;
  /** The mapping's value in the document; absent for the built-in default mapping. */
  readonly valueRange?: TextRange;
}

/** `userAccountControl` numbers and `TRUE`/`FALSE` flags → active; undefined for anything else. */
export function accountActive(value: string): boolean | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return !isUacDisabled(v);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() !== 'true';
  return undefined;
}

function parsed(text: string): Expression | string {
  const { result, error } = parseEmbedded('attrExpr', text);
  if (error || !result) return error ?? 'the expression could not be parsed';
  if (!result.ok) return result.problems.find((p) => p.severity === 'error')?.message ?? 'the expression has errors';
  return result.value as Expression;
}

/** Each mapping of `attributes` (or `contactAttributes`) evaluated on `entry`. */
export function previewMappings(mappings: readonly AttributeMapping[], entry: DirectoryEntry): MappingPreview[] {
  return mappings.map((m) => {
    const info = findCloudAttribute(m.cloud.value);
    const base = {
      cloud: m.cloud.value,
      ...(info ? { scimPath: info.scimPath } : {}),
      expression: m.expression.value,
      ...(m.isDefault ? {} : { valueRange: m.expression.range }),
    };
    const expr = parsed(m.expression.value);
    if (typeof expr === 'string') return { ...base, error: expr };
    const value = evaluateExpression(expr, entry);
    const active = info?.inverted ? accountActive(value) : undefined;
    return { ...base, value, steps: explainExpression(expr, entry, m.expression.value), ...(active !== undefined ? { active } : {}) };
  });
}

/** The mappings that apply to an entry of a selection: contacts use `contactAttributes`. */
export function mappingsFor(config: DirsyncConfig, kind: 'users' | 'groups' | 'contacts' | 'rooms'): readonly AttributeMapping[] {
  if (kind === 'contacts') return config.contactAttributes;
  if (kind === 'groups') return [];
  return config.attributes;
}

/** What an image inspector found: the format and size from the bytes' headers, or why not. */
export type ImageFacts =
  | { readonly ok: true; readonly format: string; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly problem: string };

/** Reads image headers (injected: the language service does no image work itself). */
export type ImageInspector = (bytes: Uint8Array) => ImageFacts | undefined;

export type AvatarPreview =
  | { readonly source: 'resourceServer'; readonly ok: true; readonly url: string }
  | { readonly source: 'resourceServer'; readonly ok: false; readonly reason: string }
  | { readonly source: 'attribute'; readonly attribute: string; readonly ok: true; readonly bytes: number; readonly image?: ImageFacts }
  | { readonly source: 'attribute'; readonly attribute: string; readonly ok: false; readonly reason: string };

/** The avatar of an entry per the config; undefined when avatars are off (or there is no pattern). */
export function previewAvatar(config: DirsyncConfig, entry: DirectoryEntry, inspect?: ImageInspector): AvatarPreview | undefined {
  const a = config.avatar;
  if (!a.enabled) return undefined;
  if (a.source === 'resourceServer') {
    if (!a.uriPattern) return undefined;
    const { result, error } = parseEmbedded('avatarUri', a.uriPattern.value);
    if (error || !result?.ok) return { source: 'resourceServer', ok: false, reason: 'the avatar URI pattern has errors' };
    const r = resolveAvatarUri(result.value as AvatarUriPattern, entry);
    if (r.ok) return { source: 'resourceServer', ok: true, url: r.url };
    return {
      source: 'resourceServer',
      ok: false,
      reason:
        r.reason === 'missingAttribute'
          ? `${r.attribute} is empty: no avatar URI`
          : `the regex does not match ${r.attribute}: no avatar URI`,
    };
  }
  const attribute = a.attribute?.value ?? 'thumbnailPhoto';
  const v = entry.attributes[attribute.toLowerCase()]?.[0];
  if (v === undefined) return { source: 'attribute', attribute, ok: false, reason: `${attribute} is empty: no photo` };
  const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : v;
  const image = inspect?.(bytes);
  return { source: 'attribute', attribute, ok: true, bytes: bytes.length, ...(image ? { image } : {}) };
}

/** `12.3 KB`, `812 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line about an avatar preview, for hints, hovers and the CLI. */
export function describeAvatar(p: AvatarPreview): string {
  if (!p.ok) return p.reason;
  if (p.source === 'resourceServer') return p.url;
  const img = p.image
    ? p.image.ok
      ? `${p.image.format.toUpperCase()} ${p.image.width}×${p.image.height}, `
      : `not a usable image (${p.image.problem}), `
    : '';
  return `${p.attribute}: ${img}${formatBytes(p.bytes)}`;
}
