/**
 * The JSON Schema (draft-07) of the format, generated from spec.ts, for editors without the
 * language server (`"$schema": …` or `json.schemas`). It checks structure only: embedded languages
 * and cross-field rules need the language server or `dirsync check`.
 */
import { CLOUD_ATTRIBUTES } from '../../domain/cloudAttributes';
import { CONFIG_SPEC } from './spec';
import { FORMAT_NAMES, type Spec } from './specTypes';

type Json = Record<string, unknown>;

const PATTERNS: Partial<Record<string, string>> = {
  secretRef: '^\\$\\{(env:[A-Za-z_][A-Za-z0-9_]*|secret:[A-Za-z0-9][A-Za-z0-9_./-]*)\\}$',
  directoryUrl: '^(ldaps?://[^/\\s]+/?|ldif:.+)$',
  httpUrl: '^https?://',
  duration: '^(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$',
};

function convert(spec: Spec): Json {
  const base: Json = { description: spec.doc.replace(/`/g, ''), markdownDescription: spec.doc };
  if (spec.default !== undefined) base['default'] = spec.default;
  switch (spec.type) {
    case 'object': {
      const properties: Json = {};
      for (const [k, v] of Object.entries(spec.properties)) properties[k] = convert(v);
      if (spec.keyKind === 'cloudAttribute') {
        for (const a of CLOUD_ATTRIBUTES)
          properties[a.name] = {
            ...convert(spec.additional!),
            description: `${a.notes} → SCIM ${a.scimPath}`.replace(/`/g, ''),
            markdownDescription: `${a.notes}\n\nSCIM: \`${a.scimPath}\``,
          };
      }
      const out: Json = { ...base, type: 'object', properties, additionalProperties: spec.additional ? convert(spec.additional) : false };
      if (spec.required?.length) out['required'] = [...spec.required];
      if (spec.discriminator) {
        const d = spec.discriminator;
        out['allOf'] = Object.entries(d.variants).map(([tag, v]) => ({
          if: { properties: { [d.key]: { const: tag } }, required: [d.key] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
          then: { required: [...v.required] },
        }));
      }
      return out;
    }
    case 'array':
      return { ...base, type: 'array', items: convert(spec.items) };
    case 'string': {
      const out: Json = { ...base, type: 'string' };
      if (spec.enum) out['enum'] = [...spec.enum];
      if (spec.enumDocs && spec.enum) out['markdownEnumDescriptions'] = spec.enum.map((e) => spec.enumDocs?.[e] ?? '');
      if (spec.format) {
        const p = PATTERNS[spec.format];
        if (p) out['pattern'] = p;
        if (spec.format === 'email') out['format'] = 'email';
        out['description'] = `${base['description']} (${FORMAT_NAMES[spec.format]})`;
      }
      return out;
    }
    case 'integer':
    case 'number': {
      const out: Json = { ...base, type: spec.type };
      if (spec.minimum !== undefined) out['minimum'] = spec.minimum;
      if (spec.maximum !== undefined) out['maximum'] = spec.maximum;
      return out;
    }
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'oneOf':
      return { ...base, oneOf: spec.options.map(convert) };
  }
}

/** The whole schema document. */
export function toJsonSchema(): Json {
  const root = convert(CONFIG_SPEC);
  // The delete threshold is required (no silent default); the service reports it as DS508.
  const policy = (root['properties'] as Json)['policy'] as Json;
  policy['required'] = ['deleteThreshold'];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://dirsync.dev/schemas/dirsync.schema.json',
    title: 'dirsync configuration (.dirsync)',
    ...root,
    required: [...(root['required'] as string[]), 'policy'],
  };
}
