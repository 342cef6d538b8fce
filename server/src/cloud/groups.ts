/**
 * `/Groups`, with member paging and member PATCH helpers. Webex pages a group's members through
 * `GET /Groups/{id}/Members?startIndex&count` (at most 500 a page); a generic SCIM target returns
 * them inside the group (`GET /Groups/{id}?attributes=members`).
 */
import { formatPatchPath, scimFilter, scimPath } from './scimFilter/index';
import { ResourceClient, type PatchOptions, type RequestOptions, type ResourceDefaults } from './resources';
import type { PatchOperation, ScimGroup, ScimGroupMember } from './schemas';
import type { ScimTransport } from './transport';

export interface MemberListOptions extends RequestOptions {
  /** Members per page (Webex: at most 500). Default: the client's memberPageSize. */
  readonly pageSize?: number;
}

export interface GroupDefaults extends ResourceDefaults {
  readonly memberPageSize: number;
  /** Members per PATCH request in addMembers/removeMembers. */
  readonly memberPatchSize: number;
  readonly flavor: 'webex' | 'scim';
}

interface MembersPage {
  members?: ScimGroupMember[];
  totalResults?: number;
  itemsPerPage?: number;
  startIndex?: number;
}

export class GroupsClient extends ResourceClient<ScimGroup> {
  constructor(
    transport: ScimTransport,
    endpoint: string,
    private readonly groupDefaults: GroupDefaults,
  ) {
    super(transport, endpoint, 'group', groupDefaults);
  }

  /** Every member of a group, streamed (paged on Webex, one GET elsewhere). */
  async *members(groupId: string, opts: MemberListOptions = {}): AsyncGenerator<ScimGroupMember, void, undefined> {
    const base = `${this.endpoint}/${encodeURIComponent(groupId)}`;
    if (this.groupDefaults.flavor !== 'webex') {
      const res = await this.transport.send<ScimGroup>({
        method: 'GET',
        path: base,
        query: { attributes: 'members' },
        operation: 'list members of',
        object: opts.object ?? `group id ${groupId}`,
        retry: 'idempotent',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      yield* res.body.members ?? [];
      return;
    }
    const size = opts.pageSize ?? this.groupDefaults.memberPageSize;
    let start = 1;
    for (;;) {
      const res = await this.transport.send<MembersPage>({
        method: 'GET',
        path: `${base}/Members`,
        query: { startIndex: start, count: size },
        operation: 'list members of',
        object: opts.object ?? `group id ${groupId}`,
        retry: 'idempotent',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const members = res.body.members ?? [];
      yield* members;
      start += members.length;
      if (members.length === 0 || (typeof res.body.totalResults === 'number' && start > res.body.totalResults)) return;
    }
  }

  /** Adds members (RFC 7644 §3.5.2.1 `add` to `members`), in PATCHes of memberPatchSize. */
  async addMembers(groupId: string, memberIds: readonly string[], opts: PatchOptions & { type?: string } = {}): Promise<void> {
    for (let i = 0; i < memberIds.length; i += this.groupDefaults.memberPatchSize) {
      const chunk = memberIds.slice(i, i + this.groupDefaults.memberPatchSize);
      const ops: PatchOperation[] = [
        { op: 'add', path: 'members', value: chunk.map((value) => (opts.type ? { value, type: opts.type } : { value })) },
      ];
      await this.patch(groupId, ops, opts);
    }
  }

  /** Removes members (`remove` with path `members[value eq "…"]`, RFC 7644 §3.5.2.2). */
  async removeMembers(groupId: string, memberIds: readonly string[], opts: PatchOptions = {}): Promise<void> {
    for (let i = 0; i < memberIds.length; i += this.groupDefaults.memberPatchSize) {
      const ops: PatchOperation[] = memberIds.slice(i, i + this.groupDefaults.memberPatchSize).map((id) => ({
        op: 'remove',
        path: formatPatchPath(scimPath.valuePath('members', scimFilter.eq('value', id))),
      }));
      await this.patch(groupId, ops, opts);
    }
  }
}
