/**
 * The thumbnails folder beside the saved reports (`<stateDir>/reports/thumbnails/`): each distinct
 * thumbnail is written once, named by the SHA-256 of its bytes, as soon as it is made — the plan
 * keeps only the reference ({@link ThumbnailRef}), so a dry run's memory does not grow with the
 * pictures of the directory.
 *
 * Cleanup without reading reports: every run touches (writes, or sets the modification time of)
 * each thumbnail its report refers to, so a thumbnail untouched since before the oldest report
 * left in the folder belongs to no report any more; {@link sweepThumbnails} removes those.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { THUMBNAIL_TYPES, THUMBNAILS_FOLDER, thumbnailFileName, type ThumbnailRef } from '../../../common/report';
import { makeThumbnail } from './thumbnail';

type Image = Parameters<typeof makeThumbnail>[0] & { readonly sha256: string };

/** The thumbnails folder of a reports folder. */
export function thumbnailsDir(reportsDir: string): string {
  return join(reportsDir, THUMBNAILS_FOLDER);
}

/** Splits a `data:<type>;base64,<data>` URL made by makeThumbnail. */
function decodeDataUrl(url: string): { contentType: string; bytes: Buffer } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { contentType: m[1]!, bytes: Buffer.from(m[2]!, 'base64') } : undefined;
}

/** Thumbnail files written at once; more wait (their bytes are small, but the count is not). */
const WRITES_IN_FLIGHT = 16;

/**
 * Writes thumbnails into one folder, once per distinct picture of a run. `put` answers the
 * reference as soon as the thumbnail is made; the file is written behind it (at most
 * {@link WRITES_IN_FLIGHT} at once, `put` waits when more are behind), so the directory read does
 * not wait on the disk. {@link flush} waits for every write: call it before saving the report.
 */
export class ThumbnailStore {
  /** Per source picture (its SHA-256): the reference, or undefined when it has no thumbnail. */
  private readonly byImage = new Map<string, ThumbnailRef | undefined>();
  /** Thumbnail file names already in the folder when the store first looked, or written since. */
  private present: Promise<Set<string>> | undefined;
  private readonly writing = new Set<Promise<void>>();
  /** Thumbnail files written (not only touched) by this store. */
  written = 0;
  /** Files that could not be written (the report then shows no thumbnail for them). */
  failed = 0;

  constructor(readonly dir: string) {}

  /** The thumbnail of a checked picture; its file is saved in the folder once per distinct picture. */
  async put(image: Image): Promise<ThumbnailRef | undefined> {
    if (this.byImage.has(image.sha256)) return this.byImage.get(image.sha256);
    const url = makeThumbnail(image).thumbnail;
    const decoded = url ? decodeDataUrl(url) : undefined;
    const ref =
      decoded && Object.hasOwn(THUMBNAIL_TYPES, decoded.contentType)
        ? { sha256: createHash('sha256').update(decoded.bytes).digest('hex'), contentType: decoded.contentType }
        : undefined;
    // Nothing above awaited: no other put of this picture came in between.
    this.byImage.set(image.sha256, ref);
    if (ref && decoded) {
      while (this.writing.size >= WRITES_IN_FLIGHT) await Promise.race(this.writing);
      const write = this.save(ref, decoded.bytes).catch(() => {
        this.failed++;
      });
      this.writing.add(write);
      void write.finally(() => this.writing.delete(write));
    }
    return ref;
  }

  /** Waits until every thumbnail handed out is on disk (or failed). */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all(this.writing);
  }

  private async save(ref: ThumbnailRef, bytes: Buffer): Promise<void> {
    this.present ??= mkdir(this.dir, { recursive: true }).then(async () => new Set(await readdir(this.dir)));
    const present = await this.present;
    const name = thumbnailFileName(ref);
    const file = join(this.dir, name);
    if (present.has(name)) {
      // Already there (an earlier run, or another picture with the same thumbnail): mark it as in use.
      const now = new Date();
      await utimes(file, now, now);
      return;
    }
    present.add(name);
    const tmp = `${file}.${process.pid}.${this.written}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    this.written++;
  }
}

/**
 * Removes the thumbnails no saved report refers to any more: those not touched since the oldest
 * report (`*.json`) in `reportsDir` was written. Returns how many files were removed. Never throws.
 */
export async function sweepThumbnails(reportsDir: string): Promise<number> {
  try {
    let oldest = Number.POSITIVE_INFINITY;
    for (const name of await readdir(reportsDir)) {
      if (!name.endsWith('.json')) continue;
      const s = await stat(join(reportsDir, name)).catch(() => undefined);
      if (s) oldest = Math.min(oldest, s.mtimeMs);
    }
    if (oldest === Number.POSITIVE_INFINITY) return 0;
    const dir = thumbnailsDir(reportsDir);
    let removed = 0;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = join(dir, name);
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile() && s.mtimeMs < oldest - RUN_SLACK_MS) {
        await unlink(file).catch(() => undefined);
        removed++;
      }
    }
    return removed;
  } catch {
    return 0;
  }
}

/**
 * A report's file is written at the end of its run, after its thumbnails were touched: a thumbnail
 * touched up to this long before the oldest report's file may still be that report's.
 */
const RUN_SLACK_MS = 24 * 60 * 60 * 1000;
