/**
 * A built-in list of common Active Directory attributes (AD DS schema, Exchange, Lync/Skype for
 * Business, AD LDS) with their syntax and whether they are single-valued, for completion, hover
 * and checks. Not the whole schema: a name missing here may still exist (schema extensions), so
 * "unknown" is only ever information-level. Source: MS-ADA1/2/3 attribute definitions.
 */

export type AdSyntax = 'string' | 'integer' | 'dn' | 'binary' | 'boolean' | 'time';

export interface AdAttribute {
  readonly name: string;
  readonly syntax: AdSyntax;
  readonly singleValued: boolean;
  readonly description: string;
  /** Values in email (or user@domain) format, fit for `uid`. */
  readonly emailFormat?: boolean;
}

// name | syntax | s(ingle)/m(ulti) | description   (e = email format)
const TABLE = `
accountExpires|time|s|When the account expires (FILETIME; 0 or 9223372036854775807 = never).
adminCount|integer|s|1 when the object is or was protected by AdminSDHolder (an administrator).
assistant|dn|s|The DN of the user's assistant.
buildingName|string|m|The building.
c|string|s|Country/region, two-letter ISO 3166 code.
cn|string|s|Common name (the RDN of users, groups and contacts).
co|string|s|Country/region name in full.
comment|string|s|Free-text comment.
company|string|s|Company name.
countryCode|integer|s|Country/region numeric code (ISO 3166).
department|string|s|Department name.
departmentNumber|string|m|Department number.
description|string|m|Description (single-valued in practice for most objects).
displayName|string|s|Display name.
displayNamePrintable|string|s|Printable display name.
distinguishedName|dn|s|The object's DN.
division|string|s|Division.
ds-pwp-account-disabled|boolean|s|AD LDS: the account is disabled (TRUE/FALSE).
employeeID|string|s|Employee ID.
employeeNumber|string|s|Employee number.
employeeType|string|s|Employee type (e.g. Employee, Contractor).
extensionName|string|m|Extension names.
facsimileTelephoneNumber|string|s|Fax number.
generationQualifier|string|s|Generation qualifier (Jr., III).
givenName|string|s|First name.
groupType|integer|s|Group scope and type flags (security, global, domain local, universal).
homePhone|string|s|Home phone number.
info|string|s|Notes (the Telephones tab's Notes).
initials|string|s|Initials.
ipPhone|string|s|IP phone number; often holds a SIP URI for rooms.
isCriticalSystemObject|boolean|s|TRUE for objects AD needs to run (built-in accounts and groups).
isDeleted|boolean|s|TRUE for tombstoned objects.
jpegPhoto|binary|m|Photo in JPEG format (larger than thumbnailPhoto).
l|string|s|City (locality).
lastLogonTimestamp|time|s|Replicated last logon time (FILETIME, up to 14 days stale).
lockoutTime|time|s|When the account was locked out (FILETIME; 0 = not locked).
mail|string|s|Primary email address.|e
mailNickname|string|s|Exchange alias.
manager|dn|s|The DN of the user's manager.
member|dn|m|DNs of a group's members.
memberOf|dn|m|DNs of the groups the object belongs to (back link).
middleName|string|s|Middle name.
mobile|string|s|Mobile phone number.
name|string|s|The RDN value.
objectCategory|dn|s|The object's category (e.g. person, group, computer), as a DN; filters accept the short name.
objectClass|string|m|Object classes (top, person, organizationalPerson, user, group, contact, computer).
objectGUID|binary|s|The object's unique, immutable GUID (16 bytes).
objectSid|binary|s|Security identifier.
o|string|m|Organization name.
otherFacsimileTelephoneNumber|string|m|Other fax numbers.
otherHomePhone|string|m|Other home phone numbers.
otherIpPhone|string|m|Other IP phone numbers.
otherMailbox|string|m|Other email addresses.
otherMobile|string|m|Other mobile numbers.
otherPager|string|m|Other pager numbers.
otherTelephone|string|m|Other phone numbers.
ou|string|m|Organizational unit name.
pager|string|s|Pager number.
personalTitle|string|s|Personal title (Mr., Dr.).
photo|binary|m|Photo (X.500 syntax).
physicalDeliveryOfficeName|string|s|Office location.
postalAddress|string|m|Postal address.
postalCode|string|s|Postal or ZIP code.
postOfficeBox|string|m|Post office box.
preferredLanguage|string|s|Preferred language (e.g. en-US).
primaryGroupID|integer|s|RID of the primary group (513 Domain Users).
proxyAddresses|string|m|All addresses of a mail recipient (SMTP:primary, smtp:secondary, SIP:, X500:).
pwdLastSet|time|s|When the password was last set (FILETIME).
sAMAccountName|string|s|The pre-Windows 2000 logon name (not in email format).
sAMAccountType|integer|s|Account type (805306368 normal user, 268435456 group, 805306369 computer).
showInAddressBook|dn|m|Address lists the object appears in.
sIDHistory|binary|m|Previous SIDs after a migration.
sn|string|s|Surname (last name).
st|string|s|State or province.
street|string|s|Street address (X.500 name; AD's UI writes streetAddress).
streetAddress|string|s|Street address.
telephoneNumber|string|s|Primary phone number.
thumbnailPhoto|binary|s|Photo shown in Outlook and Teams, up to 100 KB (usually a 96×96 JPEG).
title|string|s|Job title.
uid|string|m|RFC 4519 user id (rarely set in AD).
userAccountControl|integer|s|Account flags (bit 2 ACCOUNTDISABLE, 512 NORMAL_ACCOUNT, 4096 workstation trust).
userCertificate|binary|m|DER certificates.
userPrincipalName|string|s|User principal name (user@domain, the sign-in name).|e
uSNChanged|integer|s|Update sequence number of the last change (for incremental sync).
uSNCreated|integer|s|Update sequence number at creation.
whenChanged|time|s|When the object last changed (generalized time).
whenCreated|time|s|When the object was created (generalized time).
wWWHomePage|string|s|Web page.
url|string|m|Other web pages.
msDS-UserAccountDisabled|boolean|s|AD LDS: the account is disabled.
msDS-User-Account-Control-Computed|integer|s|Computed flags (lockout, password expired).
msDS-PrincipalName|string|s|AD LDS principal name.
msDS-cloudExtensionAttribute1|string|s|Cloud extension attribute 1 (of 20).
msDS-cloudExtensionAttribute2|string|s|Cloud extension attribute 2 (of 20).
mS-DS-ConsistencyGuid|binary|s|Source anchor used by Azure AD Connect.
msDS-ExternalDirectoryObjectId|string|s|Azure AD object id written back by Azure AD Connect.
msExchResourceMetaData|string|m|Exchange resource mailbox data (ResourceType:Room or ResourceType:Equipment).
msExchResourceCapacity|integer|s|Exchange resource mailbox capacity (seats).
msExchResourceDisplay|string|s|Exchange resource display type (Room, Equipment).
msExchRecipientTypeDetails|integer|s|Exchange recipient type (1 user mailbox, 16 room mailbox, 32 equipment mailbox).
msExchRecipientDisplayType|integer|s|Exchange recipient display type (7 conference room).
msExchHideFromAddressLists|boolean|s|Hidden from Exchange address lists.
msExchMailboxGuid|binary|s|Exchange mailbox GUID.
msExchExtensionAttribute16|string|s|Exchange extension attribute 16.
targetAddress|string|s|Forwarding address of a mail user/contact (SMTP:…).
legacyExchangeDN|string|s|Exchange legacy DN.
homeMDB|dn|s|The user's Exchange mailbox database.
msRTCSIP-PrimaryUserAddress|string|s|Lync/Skype for Business SIP address (sip:user@example.com).
msRTCSIP-UserEnabled|boolean|s|Lync/Skype for Business enabled.
msRTCSIP-Line|string|s|Lync/Skype for Business line URI (tel:+1…).
msRTCSIP-PrimaryHomeServer|dn|s|Lync/Skype for Business home pool.
msRTCSIP-DeploymentLocator|string|s|Lync/Skype for Business deployment locator.
`;

const EXTENSION = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}|string|s|Exchange custom attribute ${i + 1}.`).join(
  '\n',
);

export const AD_ATTRIBUTES: readonly AdAttribute[] = (TABLE + EXTENSION)
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean)
  .map((line) => {
    const [name, syntax, sv, description, flags] = line.split('|');
    return {
      name: name!,
      syntax: syntax as AdSyntax,
      singleValued: sv === 's',
      description: description!,
      ...(flags?.includes('e') ? { emailFormat: true } : {}),
    };
  });

const byName = new Map(AD_ATTRIBUTES.map((a) => [a.name.toLowerCase(), a] as const));

/** The entry for an AD attribute (case-insensitive, options like `;binary` ignored), or undefined. */
export function findAdAttribute(name: string): AdAttribute | undefined {
  return byName.get(name.split(';')[0]!.toLowerCase());
}

/** Common object classes and categories, for `objectClass=`/`objectCategory=` value completion. */
export const AD_OBJECT_CLASSES: readonly string[] = [
  'user',
  'person',
  'organizationalPerson',
  'inetOrgPerson',
  'group',
  'contact',
  'computer',
  'organizationalUnit',
  'container',
  'msExchDynamicDistributionList',
];
