/**
 * What a config does to real entries, per object selection: the match count and the first N
 * entries with every mapped cloud attribute's computed value and the avatar. The engine of
 * `dirsync preview`; works on any DirectorySource (live AD or an LDIF export).
 */
import { DirectoryError, type DirectorySource } from '../directory/index';
import type { DirsyncConfig, ObjectKind } from '../../../common/config';
import { firstText, type DirectoryEntry } from '../domain/entry';
import { mappingsFor, previewAvatar, previewMappings, SELECTION_KINDS, type ImageInspector } from '../language/live/index';
import { parseEmbedded } from '../language/embedded';
import type { PreviewAvatar, PreviewEntry, PreviewSelection } from '../../../common/preview';

export interface RunPreviewOptions {
  /** Sample entries per selection (0: counts only). */
  readonly sample: number;
  readonly inspect?: ImageInspector;
  readonly signal?: AbortSignal;
}

function nameOf(e: DirectoryEntry): string {
  return firstText(e, 'displayName') || firstText(e, 'cn') || e.dn.split(/(?<!\\),/)[0]!.replace(/^[^=]*=/, '');
}

function toAvatar(config: DirsyncConfig, e: DirectoryEntry, inspect?: ImageInspector): PreviewAvatar | undefined {
  const a = previewAvatar(config, e, inspect);
  if (!a) return undefined;
  if (a.source === 'attribute' && a.ok) {
    const img = a.image;
    return {
      source: 'attribute',
      attribute: a.attribute,
      ok: true,
      bytes: a.bytes,
      ...(img?.ok ? { format: img.format, width: img.width, height: img.height } : img ? { problem: img.problem } : {}),
    };
  }
  return a;
}

function toEntry(config: DirsyncConfig, kind: ObjectKind, e: DirectoryEntry, inspect?: ImageInspector): PreviewEntry {
  const attributes = previewMappings(mappingsFor(config, kind), e).map((p) => ({
    cloud: p.cloud,
    ...(p.scimPath ? { scimPath: p.scimPath } : {}),
    expression: p.expression,
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.active !== undefined ? { active: p.active } : {}),
    ...(p.error ? { error: p.error } : {}),
  }));
  const avatar = kind === 'users' || kind === 'rooms' ? toAvatar(config, e, inspect) : undefined;
  return {
    dn: e.dn,
    name: nameOf(e),
    attributes,
    ...(kind === 'groups' ? { members: e.attributes['member']?.length ?? 0 } : {}),
    ...(avatar ? { avatar } : {}),
  };
}

/** Previews every selection of the config against `source`. A selection that fails carries `error`. */
export async function runPreview(config: DirsyncConfig, source: DirectorySource, opts: RunPreviewOptions): Promise<PreviewSelection[]> {
  const out: PreviewSelection[] = [];
  for (const kind of SELECTION_KINDS) {
    const s = config.objects[kind];
    const base = { kind, enabled: s.enabled, baseDns: s.baseDns.map((b) => b.value), filter: s.filter.value };
    if (!s.enabled) {
      out.push(base);
      continue;
    }
    if (!s.defaultFilter) {
      const parsed = parseEmbedded('ldapFilter', s.filter.value).result;
      if (!parsed?.ok) {
        out.push({ ...base, error: `the ${kind} filter has errors (run \`dirsync check\`)` });
        continue;
      }
    }
    if (base.baseDns.length === 0) {
      out.push({ ...base, error: `no base DNs (neither objects.${kind}.baseDns nor directory.baseDns)` });
      continue;
    }
    try {
      const signal = opts.signal;
      const stream = source.search({
        baseDns: base.baseDns,
        filter: base.filter,
        attributes: ['1.1'],
        allowPartial: true,
        ...(signal ? { signal } : {}),
      });
      let count = 0;
      for await (const _ of stream) count++;
      const sample: PreviewEntry[] = [];
      if (opts.sample > 0 && count > 0) {
        for await (const e of source.search({
          baseDns: base.baseDns,
          filter: base.filter,
          attributes: [],
          sizeLimit: opts.sample,
          allowPartial: true,
          ...(signal ? { signal } : {}),
        })) {
          sample.push(toEntry(config, kind, e, opts.inspect));
          if (sample.length >= opts.sample) break;
        }
      }
      out.push({ ...base, count, complete: !stream.summary.truncated, sample });
    } catch (err) {
      if (
        !(err instanceof DirectoryError) ||
        err.code === 'aborted' ||
        err.code === 'connectionLost' ||
        err.code === 'unreachable' ||
        err.code === 'timeout'
      )
        throw err;
      out.push({ ...base, error: err.message });
    }
  }
  return out;
}
