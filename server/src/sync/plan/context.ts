/**
 * The planner's working state for one run: the cloud indexes, what has been matched, the
 * operations per phase (an OperationSink: numbered at the end in a safe order), messages and protection rules.
 */
import type { DirsyncConfig } from '../../../../common/config';
import type { ConfigRef, ReportMessage } from '../../../../common/report';
import { CloudIndex, type CloudGroupView, type CloudUserIndex, type CloudUserView } from './match';
import type { CompiledMapping } from './mapping';
import { Ownership } from './ownership';
import type { OperationDraft } from './types';
import { OperationList, type OperationSink, type Phase } from './operations';

export { PHASES, type Phase } from './operations';

export class PlanContext {
  readonly users: CloudUserIndex;
  readonly groups = new CloudIndex<CloudGroupView>((g) => g.displayName);
  readonly ownership: Ownership;
  /** Normalized DN → externalId of every valid in-scope user, room and group. */
  readonly dnToExternalId = new Map<string, string>();
  readonly messages: ReportMessage[] = [];
  fullAdminsDeleted = 0;
  private readonly protectedNames: Set<string>;
  private readonly protectedDns: Set<string>;
  private readonly refs = new Map<string, ConfigRef>();

  constructor(
    readonly config: DirsyncConfig,
    readonly mapping: CompiledMapping,
    normalize: (dn: string) => string | undefined,
    users?: CloudUserIndex,
    /** Where the operations go as they are planned (default: in memory). */
    readonly operations: OperationSink = new OperationList(),
  ) {
    this.users = users ?? new CloudIndex<CloudUserView>((u) => u.userName);
    this.ownership = new Ownership(config);
    this.protectedNames = new Set(config.policy.protected.userNames.map((u) => u.value.toLowerCase()));
    this.protectedDns = new Set(config.policy.protected.dns.map((d) => normalize(d.value) ?? d.value.toLowerCase()));
    for (const a of [...mapping.users]) if (a.configRef && !this.refs.has(a.attribute)) this.refs.set(a.attribute, a.configRef);
    this.normalize = normalize;
  }

  private readonly normalize: (dn: string) => string | undefined;

  /** `{ configRef }` for a mapped cloud attribute (by its name as written), or `{}`. */
  refOf(attribute: string): { configRef?: ConfigRef } {
    const r = this.refs.get(attribute);
    return r ? { configRef: r } : {};
  }

  /** Why a cloud user must never be deleted or deactivated, or undefined. */
  protection(u: CloudUserView, dn?: string): string | undefined {
    const p = this.config.policy.protected;
    if (p.admins && u.admin) return `protected: ${u.fullAdmin ? 'a full administrator' : 'an administrator'} (policy.protected.admins)`;
    if (this.protectedNames.has(u.userName.toLowerCase())) return 'protected: listed in policy.protected.userNames';
    if (dn) {
      const k = this.normalize(dn);
      if (k && this.protectedDns.has(k)) return 'protected: listed in policy.protected.dns';
    }
    return undefined;
  }

  op(phase: Phase, draft: OperationDraft): void {
    this.operations.add(phase, draft);
  }

  message(severity: ReportMessage['severity'], message: string, dn?: string, userName?: string): void {
    this.messages.push({ severity, message, ...(dn ? { dn } : {}), ...(userName ? { userName } : {}) });
  }

  count(phase: Phase): number {
    return this.operations.phaseCount(phase);
  }
}
