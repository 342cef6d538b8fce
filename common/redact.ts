/**
 * Removing secrets from text that came from outside dirsync — a directory's or a token endpoint's
 * error message, a library's exception — before it is put into a message a user sees. Redact the
 * outside text only, before it is joined with dirsync's own words: then a password that happens to
 * be an English word ("wrong") cannot blank out dirsync's sentence, and every occurrence of a
 * secret, of any length, can go. The directory reader and the cloud's token provider both use it.
 */

/** What stands in a message where a secret was. */
export const REDACTED = '[redacted]';

/**
 * `text` with every occurrence of each secret replaced by {@link REDACTED}, wherever it stands
 * (inside a word too). Occurrences that overlap or touch — of one secret or of several — become one
 * marker, so no character of any occurrence is left. Empty and missing secrets are skipped.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const present = secrets.filter((s): s is string => !!s && text.includes(s));
  if (present.length === 0) return text;
  // Mark every character inside some occurrence (overlapping ones too), then put one marker for each run.
  const covered = new Uint8Array(text.length);
  for (const secret of present) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) covered.fill(1, at, at + secret.length);
  }
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const hidden = covered[i] === 1;
    while (i < text.length && (covered[i] === 1) === hidden) i++;
    parts.push(hidden ? REDACTED : text.slice(start, i));
  }
  return parts.join('');
}
