/** Shared set-up for the cloud integration suites: a local cloud on an ephemeral 127.0.0.1 port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScimClient, MemoryLogger, type Clock, type ScimClient, type ScimClientOptions } from '../../server/src/cloud/index';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../server/src/localCloud/index';

export const TOKEN = 'test-token-9f2c41d7';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface CloudFixture {
  readonly cloud: LocalCloud;
  readonly dir: string;
  readonly dbPath: string;
  client(options?: Partial<ScimClientOptions>): ScimClient;
  close(): Promise<void>;
}

/** Starts a local cloud with a fresh database in a temporary directory; the generic SCIM dialect unless `dialect` says webex. */
export async function startCloudFixture(options: Partial<LocalCloudOptions> = {}): Promise<CloudFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-cloud-'));
  const dbPath = join(dir, 'cloud.db');
  const cloud = await startLocalCloud({ port: 0, dbPath, token: TOKEN, orgId: 'org-test', dialect: 'scim', ...options });
  const clients: ScimClient[] = [];
  return {
    cloud,
    dir,
    dbPath,
    client(o = {}) {
      const c = createScimClient({ baseUrl: cloud.baseUrl, token: TOKEN, sessionId: 'test', ...o });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function user(
  userName: string,
  extra: Record<string, unknown> = {},
): { schemas: string[]; userName: string } & Record<string, unknown> {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}

/** A clock whose sleeps advance virtual time at once and are recorded: waits are asserted, not slept. */
export class FakeClock implements Clock {
  t = Date.now();
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  }
}

export { MemoryLogger };

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6b1a10000000049454e44ae426082',
  'hex',
);
/** A tiny JPEG header is enough for the type check; the local cloud does not decode images. */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
