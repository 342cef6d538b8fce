/**
 * Thumbnails, loaded lazily: the report items hold only a reference (`avatar.thumbnail`: the hash
 * of a file beside the saved report); an `<img>` bound here asks the host for it when its row is
 * filled — and the virtual list fills only the rows on screen (plus a little overscan), so rows
 * that never show are never asked for. Requests of one frame go out as one `thumbnails` message;
 * each hash is asked for once and its answer kept.
 *
 * Where the data comes from: in VS Code the extension reads the file and answers `thumbnailData`;
 * in the standalone HTML report each distinct thumbnail is embedded once (a map of hash → `data:`
 * URL, {@link ThumbnailLoader.preload}). A version 2 report holds `data:` URLs inline; they are used
 * as they are. Every URL passes {@link safeImageDataUri} before it reaches an `src`.
 */
import { isThumbnailRef, type AvatarInfo } from '../../../../../common/report';
import { MAX_THUMBNAILS_PER_REQUEST, type ThumbnailDataMessage } from '../../../../../common/webviewMessages';
import { safeImageDataUri } from './dom';

/** The attribute marking an `<img>` that waits for (or shows) a thumbnail, by hash. */
const THUMB_ATTR = 'data-thumb';
/** The attribute of the element shown instead while there is no thumbnail (an icon, a placeholder). */
export const FALLBACK_ATTR = 'data-thumb-fallback';

export class ThumbnailLoader {
  /** Hash → validated `data:` URL, or null when there is none. */
  private readonly known = new Map<string, string | null>();
  private readonly asked = new Set<string>();
  private queue: string[] = [];
  private flushScheduled = false;

  /** `request` sends the hashes to the host; undefined where there is no host to ask (standalone). */
  constructor(private readonly request: ((sha256: string[]) => void) | undefined) {}

  /** Thumbnails known up front (the standalone report's embedded map). */
  preload(map: Readonly<Record<string, unknown>>): void {
    for (const [sha, uri] of Object.entries(map)) if (/^[0-9a-f]{64}$/.test(sha)) this.known.set(sha, safeImageDataUri(uri) ?? null);
  }

  /**
   * A new report: the thumbnails it lacked may be there for the next, so those are asked for again.
   * Known ones stay: a hash names the same picture in every report.
   */
  forgetMissing(): void {
    if (!this.request) return;
    for (const [sha, uri] of this.known) if (uri === null) this.known.delete(sha);
    this.asked.clear();
  }

  /**
   * Shows the thumbnail of `avatar` in `img` (hidden until it has one) and hides the fallback
   * beside it while it shows; asks the host when the thumbnail is not known yet.
   */
  bind(img: HTMLImageElement, avatar: AvatarInfo | undefined): void {
    const value: unknown = avatar?.thumbnail;
    if (typeof value === 'string') {
      img.removeAttribute(THUMB_ATTR);
      show(img, safeImageDataUri(value));
      return;
    }
    if (!isThumbnailRef(value)) {
      img.removeAttribute(THUMB_ATTR);
      show(img, undefined);
      return;
    }
    img.setAttribute(THUMB_ATTR, value.sha256);
    const known = this.known.get(value.sha256);
    show(img, known ?? undefined);
    if (known === undefined && !this.asked.has(value.sha256)) {
      if (!this.request) {
        this.known.set(value.sha256, null);
        return;
      }
      this.asked.add(value.sha256);
      this.queue.push(value.sha256);
      this.scheduleFlush();
    }
  }

  /** Takes the host's answer: every bound `<img>` waiting for one of these hashes shows it. */
  receive(message: ThumbnailDataMessage): void {
    for (const t of message.thumbnails) {
      if (!/^[0-9a-f]{64}$/.test(t.sha256)) continue;
      const uri = safeImageDataUri(t.dataUri) ?? null;
      this.known.set(t.sha256, uri);
      for (const img of document.querySelectorAll<HTMLImageElement>(`img[${THUMB_ATTR}="${t.sha256}"]`)) show(img, uri ?? undefined);
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One message for all the rows of a render (they are filled in one synchronous pass).
    queueMicrotask(() => {
      this.flushScheduled = false;
      while (this.queue.length) this.request?.(this.queue.splice(0, MAX_THUMBNAILS_PER_REQUEST));
    });
  }
}

function show(img: HTMLImageElement, uri: string | undefined): void {
  const fallback = img.parentElement?.querySelector<HTMLElement>(`[${FALLBACK_ATTR}]`);
  if (uri) {
    if (img.getAttribute('src') !== uri) img.src = uri;
    img.hidden = false;
    if (fallback) fallback.hidden = true;
  } else {
    img.hidden = true;
    img.removeAttribute('src');
    if (fallback) fallback.hidden = false;
  }
}
