/**
 * The dry run as the CLI and the language server call it (`dryRun`, api.ts DryRunFn): load and
 * validate the config, open the directory and the cloud, stream both into the pure planner
 * (plan.ts), save the report under `<stateDir>/reports/`, and return the plan. Writes nothing to
 * the cloud. `explainObject` lives in explain.ts.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { copyFile, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CONTACT_SOURCE_CH, ScimNotFoundError, type Contact, type ScimClient } from '../../cloud/index';
import { readContactLedger } from '../apply/contactLedger';
import type { DirectorySource } from '../../directory/index';
import type { DirsyncConfig } from '../../../../common/config';
import type { SyncReport } from '../../../../common/report';
import { itemSourceOf } from '../../../../common/reportItems';
import { ItemSpool, PlanSpools } from './itemSpool';
import { reportsFolder } from './spoolFile';
import { writeReportJson } from './reportFile';
import { operationCount } from '../plan/operations';
import type { DryRunFn, EngineEvent, EngineOptions } from '../contract';
import {
  avatarAttributes,
  loadEngineConfig,
  openConfiguredCloud,
  openConfiguredDirectory,
  readCloudGroups,
  readCloudUsers,
  readDirectory,
  readEntriesInFull,
  safeUrl,
} from './load';
import type { ConfiguredCloud } from './cloudClient';
import { configuredAvatarPlanner, type ConfiguredAvatarPlanner } from '../avatars/planHook';
import { sweepThumbnails } from '../../avatars/thumbnailStore';
import { buildPlan } from '../plan/build';
import { prefetched } from '../plan/feed';
import type { AvatarPlanner, DirectoryItem } from '../plan/types';
import type { SyncPlan } from '../contract';

/** `dryRun`'s options: the engine options plus the avatar planner the lead wires (sync/avatars/plan.ts). */
export type DryRunOptions = Parameters<DryRunFn>[0] & {
  readonly avatars?: AvatarPlanner;
  /**
   * Incremental read (mode `incremental`, an LDAP source): the USN mark of the last successful
   * sync (state.ts decideMode) and the DC's current highestCommittedUSN (for the report's range).
   * Without it an incremental dry run is a full comparison.
   */
  readonly sinceUsn?: string;
  readonly toUsn?: string;
  /**
   * The operations are written to a file beside the reports as they are planned (opSpool.ts), not
   * kept in memory: the caller applies them and then releases the file (`closeOperations`).
   */
  readonly spoolOperations?: boolean;
};

/** What the avatar planner and an incremental sync read from an entry that waits for its decision. */
function keptAttributes(config: DirsyncConfig): string[] {
  return [...avatarAttributes(config), 'objectGUID', 'objectSid', 'memberOf'];
}

/** Directory entries read ahead while the cloud is listed (one LDAP page). */
const DIRECTORY_PREFETCH = 1000;

/** Emits one event-log line through `options.onEvent`. */
export function emitter(options: EngineOptions, sessionId: string) {
  return (level: EngineEvent['level'], event: string, message: string, extra: Record<string, unknown> = {}) =>
    options.onEvent?.({ time: new Date().toISOString(), sessionId, level, event, message, ...extra });
}

/** `2026-11-23T13-39-34-123Z`: sortable and valid in every file system. */
export function fileTimestamp(iso: string): string {
  return iso.replace(/:/g, '-').replace('.', '-');
}

/**
 * Saves a report as `<stateDir>/reports/<timestamp>-<mode>.json` and `last-<mode>.json`; returns the
 * first path. Thumbnails no report left in the folder refers to are removed (avatars/thumbnailStore.ts).
 */
export async function saveReport(stateDir: string, report: SyncReport): Promise<string> {
  const dir = join(stateDir, 'reports');
  await reportsFolder(dir);
  const file = join(dir, `${fileTimestamp(report.generatedAt)}-${report.mode}.json`);
  const region = await writeReportJson(file, report);
  // A copy, not a second JSON.stringify of a 100k-item report.
  const last = join(dir, `last-${report.mode}.json`);
  await copyFile(file, `${last}.${process.pid}.tmp`);
  await rename(`${last}.${process.pid}.tmp`, last);
  await sweepThumbnails(dir);
  const source = itemSourceOf(report);
  if (source instanceof ItemSpool) source.savedAs(file, region.start, region.end);
  return file;
}

/**
 * The org's contacts of source CH, streamed, the first page read now: a cloud that answers 404
 * there has no contacts API (a SCIM-only double of Webex), and its AD contacts are then reported,
 * not written, with a warning naming the URL.
 */
async function openContacts(
  client: ScimClient,
  signal?: AbortSignal,
): Promise<{ pages?: AsyncIterable<Contact>; unavailable?: string } | undefined> {
  const api = client.contacts;
  if (!api) return undefined;
  const pages = api.pages({ source: CONTACT_SOURCE_CH, ...(signal ? { signal } : {}) });
  let first: IteratorResult<Contact[]>;
  try {
    first = await pages.next();
  } catch (err) {
    if (err instanceof ScimNotFoundError)
      return {
        unavailable: `the cloud has no Organization Contacts API at ${api.url()} (HTTP 404): AD contacts are reported, not written`,
      };
    throw err;
  }
  async function* all(): AsyncGenerator<Contact> {
    if (first.done) return;
    yield* first.value;
    for await (const page of pages) yield* page;
  }
  return { pages: all() };
}

/** Saves the plan's report and says so (progress, the `dryRun.done` event, a threshold warning); returns its path. */
async function savePlanReport(plan: SyncPlan, stateDir: string, options: DryRunOptions, emit: ReturnType<typeof emitter>): Promise<string> {
  const operations = operationCount(plan.payload);
  options.onProgress?.({ phase: 'plan', message: `${operations} operations planned` });
  const file = await saveReport(stateDir, plan.report);
  const s = plan.report.summary;
  emit('info', 'dryRun.done', `+${s.added} ~${s.modified} -${s.deleted} (${operations} operations); report ${file}`, { report: file });
  if (plan.report.threshold.exceeded) emit('warning', 'dryRun.threshold', plan.report.threshold.refusal ?? 'deletion threshold exceeded');
  return file;
}

/** The dry run. Throws EngineError (bad config, missing secret), DirectoryError or ScimError. */
export const dryRun: (options: DryRunOptions) => Promise<SyncPlan> = async (options) => {
  const sessionId = options.sessionId ?? randomUUID();
  const emit = emitter(options, sessionId);
  const signal = options.signal;
  // The directory read, the cloud listings and the members' reads (8 at a time) listen on one signal: no leak.
  if (signal) setMaxListeners(64, signal);
  const loaded = await loadEngineConfig(options);
  const { config } = loaded;
  emit('info', 'dryRun.start', `dry run of ${loaded.file}`);
  let source: DirectorySource | undefined;
  let cloud: ConfiguredCloud | undefined;
  let client: ScimClient | undefined;
  let directory: ReturnType<typeof prefetched<DirectoryItem>> | undefined;
  let spools: PlanSpools | undefined;
  // Avatars: the caller's planner, else the config's (sync/avatars/planHook.ts) when avatar.enabled.
  const ownAvatars: ConfiguredAvatarPlanner | undefined = options.avatars ? undefined : configuredAvatarPlanner(loaded);
  const avatars = options.avatars ?? ownAvatars?.planner;
  try {
    source = await openConfiguredDirectory(loaded, signal);
    cloud = await openConfiguredCloud(loaded, sessionId, options.onEvent);
    client = cloud.client;
    options.onProgress?.({ phase: 'cloud', message: 'reading cloud users' });
    const sinceUsn = options.mode === 'incremental' && config.directory.source.kind === 'ldap' ? options.sinceUsn : undefined;
    const opened = source;
    // The directory read starts now, beside the cloud listing (the server builds its whole result set before
    // the first page); the planner maps entries while the cloud is listed. At most one page waits here.
    directory = prefetched(
      readDirectory(loaded, source, {
        ...(signal ? { signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(sinceUsn !== undefined ? { sinceUsn } : {}),
      }),
      DIRECTORY_PREFETCH,
    );
    // Webex's org contacts (source CH) and the ledger of those this config synchronized.
    const contacts = config.objects.contacts.enabled ? await openContacts(client, signal) : undefined;
    const contactLedger = contacts?.pages ? await readContactLedger(loaded.stateDir, loaded.file) : undefined;
    spools = await PlanSpools.open(join(loaded.stateDir, 'reports'), !!options.spoolOperations); // report items, waiting users, cloud users (a sync's operations): files
    ownAvatars?.prepare();
    const plan = await buildPlan({
      ...spools.sinks(),
      keptAttributes: keptAttributes(config),
      config,
      configSource: { file: basename(loaded.file), lines: loaded.lines },
      configSha256: loaded.sha256,
      mapping: loaded.mapping,
      cloudUsers: readCloudUsers(client, {
        ...(signal ? { signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
      // The groups (with their members) are listed when the planner asks for them: after the users,
      // which every decision waits for (read beside them, the members' reads slowed the users' listing).
      cloudGroups: (async function* () {
        if (config.objects.groups.enabled) yield* await readCloudGroups(client, signal);
      })(),
      ...(contacts?.pages && contactLedger ? { cloudContacts: contacts.pages, contactLedger } : {}),
      ...(contacts?.unavailable ? { contactsUnavailable: contacts.unavailable } : {}),
      directory,
      ...(sinceUsn !== undefined
        ? {
            incremental: {
              sinceUsn,
              ...(options.toUsn ? { toUsn: options.toUsn } : {}),
              readInFull: (items: readonly DirectoryItem[]) => readEntriesInFull(loaded, opened, items, signal),
            },
          }
        : {}),
      ...(avatars ? { avatars } : {}),
      meta: {
        sessionId,
        generatedAt: new Date().toISOString(),
        configFile: loaded.file,
        directory: { url: safeUrl(config.directory.url.value), kind: config.directory.source.kind },
        cloud: {
          url: safeUrl(config.cloud.url.value),
          type: config.cloud.type,
          ...(config.cloud.orgId ? { orgId: config.cloud.orgId.value } : {}),
        },
      },
      ...(signal ? { signal } : {}),
    }).finally(() => spools?.planned());
    const file = await savePlanReport(plan, loaded.stateDir, options, emit);
    spools.handOver(); // the operations' file is the caller's now (closeOperations)
    return { ...plan, reportFile: file };
  } catch (err) {
    emit('error', 'dryRun.failed', err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    spools?.close();
    directory?.stop();
    await source?.close().catch(() => undefined);
    await cloud?.close().catch(() => undefined);
    await ownAvatars?.close();
  }
};

// The contract in api.ts, checked at compile time.
const dryRunContract: DryRunFn = dryRun;
void dryRunContract;
