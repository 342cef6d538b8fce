/** The config the live LSP tests edit: the Samba fixture, users and groups enabled, a few mappings. */
import type { SambaFixture } from '../fixtures/samba/index';
import { OU } from './directory';

export const SECRET_KEY = 'corp-bind';

export function configText(f: SambaFixture, url: string, patch: (t: string) => string = (t) => t): string {
  return patch(`{
  "directory": {
    "url": "${url}",
    "bindDn": "${f.adminDn}",
    "password": "\${secret:${SECRET_KEY}}",
    "baseDns": ["${f.baseDn}"]
  },
  "cloud": { "type": "scim", "url": "http://127.0.0.1:9/v2", "token": "\${env:T}" },
  "objects": {
    "users": { "enabled": true, "baseDns": ["${OU.people}"] },
    "groups": { "enabled": true, "baseDns": ["${OU.groups}"] },
    "contacts": { "enabled": false, "baseDns": ["${OU.contacts}"] }
  },
  "attributes": {
    "uid": "mail",
    "displayName": "displayName | givenName + \\" \\" + sn",
    "givenName": "givenName",
    "title": "title",
    "ds-pwp-account-disabled": "userAccountControl",
    "externalId": "objectGUID"
  },
  "policy": { "deleteThreshold": { "count": 50 } }
}`);
}
