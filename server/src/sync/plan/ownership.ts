/**
 * Which cloud objects a config owns (several domains into one org, issue 6): only owned objects
 * can be mismatched, deleted or counted in the threshold's percentage.
 *
 * A cloud user is owned when its userName's domain is one of the owned domains: `policy.ownedDomains`
 * when the config lists any, otherwise "the config's domain" — the domain of each base DN
 * (`DC=corp,DC=example,DC=com` → corp.example.com). Comparison is case-insensitive and exact (a
 * subdomain is a different domain). In-scope users whose userName is in a domain the config does
 * not own are counted (`unownedDomains`) so the report can say so: ownership is never widened by
 * data, since one stray user of another domain would otherwise hand this config that whole domain.
 *
 * Groups carry no domain: a cloud group is owned when it has an externalId (it came from a
 * directory) and it is empty or at least one of its members is an owned user.
 */
import type { DirsyncConfig } from '../../../../common/config';

/** `DC=corp,DC=example,DC=com` → `corp.example.com`; undefined without DC components. */
export function domainOfDn(dn: string): string | undefined {
  const dcs = [...dn.matchAll(/(?:^|,)\s*DC\s*=\s*([^,]+)/gi)].map((m) => m[1]!.trim().toLowerCase());
  return dcs.length ? dcs.join('.') : undefined;
}

export function domainOfUserName(userName: string): string | undefined {
  const i = userName.lastIndexOf('@');
  return i < 0 ? undefined : userName.slice(i + 1).toLowerCase();
}

export class Ownership {
  private readonly domains = new Set<string>();
  readonly explicit: boolean;

  constructor(config: DirsyncConfig) {
    this.explicit = config.policy.ownedDomains.length > 0;
    if (this.explicit) for (const d of config.policy.ownedDomains) this.domains.add(d.value.trim().toLowerCase().replace(/^@/, ''));
    else {
      const bases = [...config.directory.baseDns, ...config.objects.users.baseDns];
      for (const b of bases) {
        const d = domainOfDn(b.value);
        if (d) this.domains.add(d);
      }
    }
  }

  /** In-scope AD users per userName domain the config does not own. */
  readonly unownedDomains = new Map<string, number>();

  /** Records an in-scope AD user's userName. */
  noteUserName(userName: string): void {
    const d = domainOfUserName(userName);
    if (d && !this.domains.has(d)) this.unownedDomains.set(d, (this.unownedDomains.get(d) ?? 0) + 1);
  }

  ownsUserName(userName: string): boolean {
    const d = domainOfUserName(userName);
    return d !== undefined && this.domains.has(d);
  }

  list(): string[] {
    return [...this.domains].sort();
  }
}
