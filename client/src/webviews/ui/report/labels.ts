/**
 * Words and icons of the report UI, in Directory Connector's vocabulary where it has one (seed
 * "Do a Dry Run Synchronization": Objects Matched, Mismatched Objects, Users Deleted).
 */
import type { ObjectType, ReportAction, ReportCategory } from '../../../../../common/report';
import { REPORT_TABS, type ReportTab } from '../../../../../common/webviewMessages';

/** The tabs in order (the report format's one category list, after `all`). */
export const TAB_ORDER: readonly ReportTab[] = REPORT_TABS;

export const TAB_LABEL: Readonly<Record<ReportTab, string>> = {
  all: 'All',
  added: 'Added',
  modified: 'Modified',
  matched: 'Matched',
  mismatched: 'Mismatched',
  deleted: 'Deleted',
  deactivated: 'Deactivated',
  softDeleted: 'Soft-deleted',
  rooms: 'Rooms',
  groups: 'Groups',
  contacts: 'Contacts',
  avatars: 'Avatars',
  invalid: 'Invalid',
};

/** One line under each summary card. */
export const CATEGORY_HINT: Readonly<Record<ReportCategory, string>> = {
  added: 'in AD, created in the cloud',
  modified: 'attributes updated',
  matched: 'in both, no change',
  mismatched: 'in the cloud, not in AD',
  deleted: 'deleted from the cloud',
  deactivated: 'disabled in AD',
  softDeleted: 'soft-deleted in the cloud',
  rooms: 'rooms and resources',
  groups: 'groups and memberships',
  contacts: 'contacts',
  avatars: 'profile pictures checked',
  invalid: 'not sent: invalid values',
};

export const ACTION_LABEL: Readonly<Record<ReportAction, string>> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  deactivate: 'deactivate',
  reactivate: 'reactivate',
  retain: 'retain',
  none: 'no change',
  avatarUpload: 'upload avatar',
  avatarRemove: 'remove avatar',
  skip: 'skip',
};

export const OBJECT_ICON: Readonly<Record<ObjectType, string>> = {
  user: 'person',
  group: 'organization',
  contact: 'mail',
  room: 'home',
};

const NUMBER = new Intl.NumberFormat('en-US');

/** 12345 → `12,345`. */
export function formatCount(n: number): string {
  return NUMBER.format(n);
}
