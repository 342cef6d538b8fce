/**
 * The one Content-Security-Policy of every page that shows directory or cloud data: the report
 * webview in VS Code and the standalone HTML report. Nothing loads but the nonce'd script and
 * styles, images from `data:` URLs and, in a webview, files from the extension's own resource root.
 */

/** A nonce fit for a CSP: at least 16 base64 characters (callers draw it from `crypto`). */
export function checkNonce(nonce: string, who: string): void {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error(`${who}: the nonce must be at least 16 base64 characters`);
}

/**
 * The policy. `fileSource` is the webview's `cspSource` (styles, images and fonts shipped with the
 * extension); without it (the standalone report) fonts and images come only from `data:` URLs.
 */
export function contentSecurityPolicy(nonce: string, fileSource?: string): string {
  const files = fileSource ? `${fileSource} ` : '';
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${files}'nonce-${nonce}'`,
    `img-src ${files}data:`,
    `font-src ${fileSource ?? 'data:'}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
