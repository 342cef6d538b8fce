/**
 * Contact creates and deletes that are ready at the same time go out together through the
 * contacts API's bulk requests (`POST /bulk`, `POST /bulk/delete`): the apply's workers each hand
 * one operation over and wait, and what was handed over by the time the event loop turns is sent
 * as one request (at most CONTACT_BULK_MAX). Each operation keeps its own journal record.
 *
 * Bulk is an optimisation, never the only way: a contact the bulk answer lists as failed, and
 * every contact of a bulk request that failed as a whole, is handed back (`undefined` / `false`)
 * and the caller does it on its own — a create then looks its email up first when the request's
 * outcome is unknown, so nothing is created twice.
 */
import { CONTACT_BULK_MAX, type Contact, type ContactBody, type ContactsClient } from '../../cloud/index';

interface Pending<T, R> {
  readonly input: T;
  readonly resolve: (r: R) => void;
  readonly reject: (err: unknown) => void;
}

/** Collects items during one turn of the event loop, then sends them in chunks. */
class Collector<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private scheduled = false;

  constructor(private readonly send: (inputs: readonly T[]) => Promise<R[]>) {}

  add(input: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (let i = 0; i < batch.length; i += CONTACT_BULK_MAX) {
      const chunk = batch.slice(i, i + CONTACT_BULK_MAX);
      try {
        const results = await this.send(chunk.map((p) => p.input));
        chunk.forEach((p, j) => p.resolve(results[j]!));
      } catch (err) {
        for (const p of batch.slice(i)) p.reject(err); // cancelled: every waiting operation learns it
        return;
      }
    }
  }
}

/** What the bulk did for one contact. */
export interface ContactBatchResult {
  /** The created contact; undefined when the caller must create it on its own. */
  readonly created?: Contact;
  /** True when the whole request's outcome is unknown (the caller looks the contact up first). */
  readonly unknown?: boolean;
}

export class ContactBatcher {
  private readonly creates: Collector<ContactBody, ContactBatchResult>;
  private readonly deletes: Collector<string, boolean>;

  constructor(api: ContactsClient, signal?: AbortSignal) {
    const so = signal ? { signal } : {};
    this.creates = new Collector<ContactBody, ContactBatchResult>(async (bodies) => {
      if (bodies.length === 1) return [{}]; // one alone: a bulk request saves nothing
      try {
        const results = await api.bulkUpsert(bodies, so);
        return results.map((r): ContactBatchResult => (r.ok ? { created: r.contact } : {}));
      } catch (err) {
        if (signal?.aborted) throw err;
        return bodies.map((): ContactBatchResult => ({ unknown: true }));
      }
    });
    this.deletes = new Collector<string, boolean>(async (ids) => {
      if (ids.length === 1) return [false];
      try {
        await api.bulkDelete(ids, so);
        return ids.map(() => true);
      } catch (err) {
        if (signal?.aborted) throw err;
        return ids.map(() => false);
      }
    });
  }

  /** Creates the contact with others ready at the same time; see ContactBatchResult. */
  create(body: ContactBody): Promise<ContactBatchResult> {
    return this.creates.add(body);
  }

  /** Deletes the contact with others ready at the same time; false: delete it on its own. */
  delete(contactId: string): Promise<boolean> {
    return this.deletes.add(contactId);
  }
}
