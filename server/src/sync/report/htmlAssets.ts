/**
 * Loads the report UI bundle (`dist/webview/report.js` and `report.css`, built by esbuild from
 * `client/src/webviews/ui/report/`) for the standalone HTML report, with the CSS's font files
 * (codicons) inlined as `data:` URIs because the report's CSP allows no file loads.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { THUMBNAILS_FOLDER, isThumbnailRef, thumbnailFileName, type SyncReport } from '../../../../common/report';
import { renderStandaloneReport, type StandaloneReportOptions } from './html';

export interface ReportUiAssets {
  readonly js: string;
  readonly css: string;
}

const FONT_TYPES: Readonly<Record<string, string>> = { ttf: 'font/ttf', woff: 'font/woff', woff2: 'font/woff2', otf: 'font/otf' };

/**
 * Where the bundle is: next to the built CLI (`dist/cli.js` → `dist/webview/`), or — when running
 * from sources under tsx — the repository's `dist/webview/`.
 */
export function reportUiDir(): string {
  // `__filename`, not `__dirname`: tsx keeps the former right when an ES module imports this file.
  const here = dirname(__filename);
  const candidates = [join(here, 'webview'), resolve(here, '../../../../dist/webview')];
  const found = candidates.find((dir) => existsSync(join(dir, 'report.js')));
  if (!found) throw new Error(`The report UI bundle is missing (looked in ${candidates.join(', ')}): run \`npm run build\`.`);
  return found;
}

/** Replaces `url(./font.ttf?…)` references in `css` with `data:` URIs of the files in `dir`. */
export function inlineCssFonts(css: string, dir: string): string {
  return css.replace(/url\((["']?)([^"')]+?\.(ttf|woff2?|otf))(\?[^"')]*)?\1\)/g, (match, _q: string, path: string, ext: string) => {
    const file = resolve(dir, path);
    // Only files inside the bundle directory: the CSS is ours, but keep the loader from reading anywhere else.
    if (dirname(file) !== resolve(dir) || !existsSync(file)) return match;
    return `url("data:${FONT_TYPES[ext] ?? 'application/octet-stream'};base64,${readFileSync(file).toString('base64')}")`;
  });
}

/** Reads the UI bundle and its CSS (fonts inlined) from `dir` (default: {@link reportUiDir}). */
export function loadReportUiAssets(dir: string = reportUiDir()): ReportUiAssets {
  const js = readFileSync(join(dir, 'report.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const css = inlineCssFonts(readFileSync(join(dir, 'report.css'), 'utf8').replace(/\/\*# sourceMappingURL=.*\*\/\s*$/, ''), dir);
  return { js, css };
}

/**
 * The thumbnails `report` refers to, read from the thumbnails folder of `reportsDir` (the folder
 * the report was saved in): each distinct one once, as a `data:` URL. A missing file, or one whose
 * bytes do not match its hash, is left out (the row shows its icon).
 */
export function readReportThumbnails(report: SyncReport, reportsDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = join(reportsDir, THUMBNAILS_FOLDER);
  for (const item of report.items) {
    const ref: unknown = item.avatar?.thumbnail;
    if (!isThumbnailRef(ref) || Object.hasOwn(out, ref.sha256)) continue;
    try {
      const bytes = readFileSync(join(dir, thumbnailFileName(ref)));
      if (createHash('sha256').update(bytes).digest('hex') === ref.sha256)
        out[ref.sha256] = `data:${ref.contentType};base64,${bytes.toString('base64')}`;
    } catch {
      /* gone: no thumbnail for it */
    }
  }
  return out;
}

/**
 * The standalone HTML of `report` with the installed UI bundle: what the CLI saves for "Save
 * results to file". With `reportsDir` (where the report was saved), its thumbnails are embedded.
 */
export function standaloneReportHtml(
  report: SyncReport,
  options: StandaloneReportOptions & { readonly assets?: ReportUiAssets; readonly reportsDir?: string } = {},
): string {
  const assets = options.assets ?? loadReportUiAssets();
  const thumbnails = options.thumbnails ?? (options.reportsDir ? readReportThumbnails(report, options.reportsDir) : undefined);
  return renderStandaloneReport(report, assets.js, assets.css, { ...options, ...(thumbnails ? { thumbnails } : {}) });
}
