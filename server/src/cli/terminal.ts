/**
 * Terminal safety for everything the CLI prints. Directory and cloud values (a displayName, a DN,
 * an error message quoting one) may hold control characters; printed raw, an escape sequence could
 * recolour, clear or retitle the terminal, or a bidi override reorder what the user reads. Every
 * write of the CLI goes through `safeStream`: such characters are shown as visible `\uXXXX`
 * escapes (valid inside JSON strings too, so `--json` output keeps its meaning), except the CLI's
 * own progress-line sequences. `oneLine` keeps a value on the line it was printed on.
 */

/** C0 controls except tab and newline, DEL, C1 controls, bidi marks/overrides/isolates, line and paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What the CLI itself writes to redraw its progress line on stderr. */
const OWN = /\r\x1b\[2?K/g;

const asEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every terminal-steering character shown as a `\uXXXX` escape (the CLI's own progress sequences kept). */
export function terminalSafe(text: string): string {
  if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(OWN)) {
    out += text.slice(last, m.index).replace(UNSAFE, asEscape) + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(UNSAFE, asEscape);
}

/** A value printed inside one line of text: its line breaks shown as `\n`. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\\n');
}

/** The stream, every string written to it made terminal-safe (Buffers pass through: binary output is the caller's). */
export function safeStream<T extends NodeJS.WritableStream>(stream: T): T {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? terminalSafe(chunk) : chunk, ...rest);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
