/** SCIM error responses of the local cloud (RFC 7644 §3.12). */
import { SCHEMA } from '../cloud/schemas';

/**
 * Thrown by the local cloud's services; the HTTP layer (and Bulk, per operation) turns it into
 * `{ schemas: [Error], status: "409", scimType: "uniqueness", detail }`.
 */
export class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }

  /** The RFC 7644 §3.12 body; `status` is a string there. */
  body(): Record<string, unknown> {
    const b: Record<string, unknown> = { schemas: [SCHEMA.error], status: String(this.status), detail: this.message };
    if (this.scimType) b['scimType'] = this.scimType;
    return b;
  }
}

export const badRequest = (scimType: string, detail: string): ScimHttpError => new ScimHttpError(400, scimType, detail);
export const notFound = (detail: string): ScimHttpError => new ScimHttpError(404, undefined, detail);
export const conflict = (detail: string): ScimHttpError => new ScimHttpError(409, 'uniqueness', detail);
export const preconditionFailed = (detail: string): ScimHttpError => new ScimHttpError(412, undefined, detail);
