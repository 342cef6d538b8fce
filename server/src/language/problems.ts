/**
 * A problem found in an embedded language (LDAP filter, attribute expression, avatar URI pattern).
 * Offsets are into the embedded text as the grammar saw it (JSON escapes already removed); the
 * config layer maps them back into the document through the string's escapes.
 */
export interface SyntaxProblem {
  readonly start: number;
  readonly end: number;
  /** Stable code: DS2xx LDAP filter, DS3xx attribute expression, DS4xx avatar URI pattern. */
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'information' | 'hint';
  readonly message: string;
}

/** The result of parsing an embedded language: a value when there were no errors, and all problems. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly SyntaxProblem[] }
  | { readonly ok: false; readonly problems: readonly SyntaxProblem[] };

/** One row of a diagnostic code table: the default severity and a one-line meaning. */
export interface DiagnosticCodeInfo {
  readonly severity: SyntaxProblem['severity'];
  readonly summary: string;
}

/**
 * Builds a problem whose severity comes from the code table, so that a code always has the same
 * severity wherever it is raised.
 */
export function problemFrom<C extends string>(
  table: Readonly<Record<C, DiagnosticCodeInfo>>,
  code: C,
  start: number,
  end: number,
  message: string,
): SyntaxProblem {
  return { start, end, code, severity: table[code].severity, message };
}

/** Builds a ParseResult: ok exactly when no problem is an error. */
export function parseResult<T>(value: T | undefined, problems: readonly SyntaxProblem[]): ParseResult<T> {
  const sorted = [...problems].sort((a, b) => a.start - b.start || a.end - b.end);
  if (value === undefined || sorted.some((p) => p.severity === 'error')) return { ok: false, problems: sorted };
  return { ok: true, value, problems: sorted };
}

/** 1-based column of an offset in single-line embedded text, for messages ("opened at column 3"). */
export function columnOf(offset: number): number {
  return offset + 1;
}
