/**
 * Whether an account is disabled, the way each directory type says it. AD DS: bit 2
 * (ACCOUNTDISABLE) of userAccountControl (MS-ADTS §2.2.16). AD LDS has no meaningful
 * userAccountControl on its own principals: `msDS-UserAccountDisabled` (TRUE/FALSE) says it, and
 * `ds-pwp-account-disabled` is the name Directory Connector maps it to (seed 001's attribute
 * table: "ds-pwp-account-disabled ← userAccountControl").
 */
import type { DirectoryType } from '../../../common/config';
import { attributeValues, type DirectoryEntry } from './entry';
import { isUacDisabled } from './adValues';

/** Attributes to request to decide disabled/enabled for a directory type. */
export function accountStateAttributes(type: DirectoryType): string[] {
  return type === 'adlds' ? ['msDS-UserAccountDisabled', 'ds-pwp-account-disabled', 'userAccountControl'] : ['userAccountControl'];
}

const isTrue = (v: string | Uint8Array | undefined) => typeof v === 'string' && v.trim().toUpperCase() === 'TRUE';

/** True when the entry's account is disabled (→ inactive in the cloud). */
export function isAccountDisabled(entry: DirectoryEntry, type: DirectoryType): boolean {
  const uac = attributeValues(entry, 'userAccountControl')[0];
  const uacDisabled = typeof uac === 'string' && isUacDisabled(uac);
  if (type === 'adds') return uacDisabled;
  return (
    isTrue(attributeValues(entry, 'msDS-UserAccountDisabled')[0]) ||
    isTrue(attributeValues(entry, 'ds-pwp-account-disabled')[0]) ||
    uacDisabled
  );
}
