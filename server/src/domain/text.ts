/**
 * Directory values inside messages: a value may be megabytes long or hold control characters, and
 * a message must stay readable and bounded whatever the directory holds.
 */

/** Longest value a message quotes whole. */
export const MESSAGE_VALUE_MAX = 200;

/** The text, cut to `max` characters with its full length said when longer. */
export function shown(text: string, max = MESSAGE_VALUE_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * C0 controls but tab, line feed and carriage return (AD postal addresses hold line breaks), DEL
 * and C1 controls: characters no cloud attribute should receive.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The first control character of a value, as `U+001B at character 4`, or undefined. */
export function controlCharacter(text: string): string | undefined {
  const m = CONTROL.exec(text);
  if (!m) return undefined;
  return `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${m.index + 1}`;
}
