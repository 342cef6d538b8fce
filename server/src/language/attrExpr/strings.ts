/** String literals of attribute expressions. */

/** Decodes the body of a string literal (between the quotes); the grammar has validated escapes. */
export function decodeStringBody(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\\'"nt])/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 'n' ? '\n' : e === 't' ? '\t' : e;
  });
}
