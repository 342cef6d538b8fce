/** The `avatar`, `policy`, `schedule` and `notification` sections of the format (see spec.ts). */
import { DEFAULT_AVATAR_MAX_BYTES, DEFAULT_INCREMENTAL_INTERVAL_SECONDS } from './defaults';
import type { ObjectSpec, Spec } from './specTypes';

/** Credentials for an HTTP server (avatar resource server, publish target). */
export const secretCredentials = (): ObjectSpec => ({
  type: 'object',
  doc: 'Credentials for an HTTP server. `type: "basic"` sends `username` and `password`; `type: "bearer"` sends `token`. Secrets are references, never literals.',
  properties: {
    type: {
      type: 'string',
      enum: ['basic', 'bearer'],
      enumDocs: {
        basic: 'HTTP Basic authentication (RFC 7617) with `username` and `password`.',
        bearer: 'A bearer token (RFC 6750) in `token`.',
      },
      doc: 'Authentication scheme.',
    },
    username: { type: 'string', doc: 'User name for Basic authentication (not a secret).' },
    password: {
      type: 'string',
      format: 'secretRef',
      doc: 'Password for Basic authentication, as `${env:NAME}` or `${secret:KEY}`.',
      insert: '"\\${env:${1:NAME}}"',
    },
    token: {
      type: 'string',
      format: 'secretRef',
      doc: 'Bearer token, as `${env:NAME}` or `${secret:KEY}`.',
      insert: '"\\${env:${1:NAME}}"',
    },
  },
  required: ['type'],
  discriminator: {
    key: 'type',
    variants: {
      basic: { required: ['username', 'password'], allowed: ['type', 'username', 'password'] },
      bearer: { required: ['token'], allowed: ['type', 'token'] },
    },
  },
  insert: '{ "type": "basic", "username": "${1:svc-avatars}", "password": "\\${env:${2:AVATAR_PASSWORD}}" }',
});

const avatarSpec: ObjectSpec = {
  type: 'object',
  doc: "Profile pictures (Directory Connector's Avatar tab): from an AD attribute holding the image bytes, or from a resource server by URI pattern.",
  properties: {
    enabled: { type: 'boolean', default: false, doc: 'Synchronize avatars.' },
    source: {
      type: 'string',
      enum: ['attribute', 'resourceServer'],
      enumDocs: {
        attribute: 'Image bytes from an AD attribute (`attribute`, e.g. thumbnailPhoto).',
        resourceServer:
          'Images fetched over HTTP(S) from `uriPattern`, e.g. `http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg`.',
      },
      default: 'attribute',
      doc: 'Where avatars come from.',
    },
    attribute: {
      type: 'string',
      format: 'adAttribute',
      defaultText: '`thumbnailPhoto`',
      doc: 'AD attribute with the image bytes (source `attribute`), e.g. `thumbnailPhoto` or `jpegPhoto`.',
    },
    uriPattern: {
      type: 'string',
      format: 'avatarUri',
      doc: "URL of each user's image (source `resourceServer`) with `{attribute}` or `{attribute: regex}` placeholders; a regex keeps its first match, which is URL-encoded.",
      insert: '"${1:https://photos.example.com/{mail: .*?(?=@.*)}.jpg}"',
    },
    credentials: secretCredentials(),
    removeWhenSourceEmpty: {
      type: 'boolean',
      default: false,
      doc: 'Remove a cloud profile picture when the user\'s avatar source is empty (Directory Connector\'s "Remove profile pictures for empty avatar sources").',
    },
    maxBytes: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_AVATAR_MAX_BYTES,
      doc: 'Largest image accepted, in bytes (the Webex app takes images under 10 MB).',
    },
    timeoutSeconds: { type: 'integer', minimum: 1, default: 30, doc: 'Per-image download/upload timeout in seconds.' },
    concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4, doc: 'Images fetched or published at once.' },
    publish: {
      type: 'object',
      doc: 'Where images read from an AD attribute are published so Webex can read them: its SCIM `photos` attribute takes a URL. Not needed for a SCIM service that accepts image data.',
      required: ['url'],
      properties: {
        url: { type: 'string', format: 'httpUrl', doc: 'Base URL images are PUT to; each object is named by its content hash.' },
        publicUrl: { type: 'string', format: 'httpUrl', doc: 'Base URL Webex reads images from, when it differs from `url`.' },
        credentials: secretCredentials(),
      },
    },
  },
  insert:
    '{\n\t"enabled": true,\n\t"source": "attribute",\n\t"attribute": "${1:thumbnailPhoto}",\n\t"removeWhenSourceEmpty": ${2|false,true|}\n}',
};

const thresholdObject: ObjectSpec = {
  type: 'object',
  doc: 'Most deletions one sync may perform: over either limit nothing is written and the run is refused.',
  properties: {
    count: { type: 'integer', minimum: 0, doc: 'Most cloud objects one sync may delete.' },
    percent: { type: 'number', minimum: 0, maximum: 100, doc: 'Most deletions as a percentage of the cloud objects this config owns.' },
  },
  insert: '{ "count": ${1:50}, "percent": ${2:10} }',
};

const policySpec: ObjectSpec = {
  type: 'object',
  doc: "What a sync may delete (Directory Connector's Policy tab and the dry run's retain/delete question).",
  properties: {
    deleteThreshold: {
      type: 'oneOf',
      options: [
        thresholdObject,
        { type: 'string', enum: ['disabled'], enumDocs: { disabled: 'No limit (warned about).' }, doc: 'No limit.' },
      ],
      doc: 'Required. `{ "count": 50, "percent": 10 }` refuses a sync that would delete more than 50 objects or 10 %; `"disabled"` allows any number (warned about). There is no silent default.',
      insert: '{ "count": ${1:50}, "percent": ${2:10} }',
    },
    mismatched: {
      type: 'string',
      enum: ['retain', 'delete'],
      enumDocs: {
        retain: 'Keep cloud objects that match nothing in AD (Directory Connector: "No, retain objects").',
        delete: 'Delete them (Directory Connector: "Yes, delete objects"); deleted users are recoverable for 7 days.',
      },
      default: 'retain',
      doc: 'What to do with mismatched objects: cloud objects (in the owned domains) that match nothing in AD.',
    },
    protected: {
      type: 'object',
      doc: 'Cloud objects never deleted or deactivated by a sync.',
      properties: {
        admins: { type: 'boolean', default: true, doc: 'Protect cloud administrators.' },
        userNames: {
          type: 'array',
          items: { type: 'string', format: 'email', doc: 'A cloud userName.' },
          doc: 'Cloud userNames (case-insensitive) never deleted, e.g. break-glass accounts.',
          insert: '["${1:admin@example.com}"]',
        },
        dns: {
          type: 'array',
          items: { type: 'string', format: 'dn', doc: 'A distinguished name.' },
          doc: 'AD DNs whose cloud objects are never deleted.',
          insert: '["${1:CN=Example,OU=Staff,DC=example,DC=com}"]',
        },
      },
    },
    ownedDomains: {
      type: 'array',
      items: { type: 'string', format: 'domain', doc: 'An email domain.' },
      doc: 'Email domains whose cloud users this config owns (several AD domains into one org: one file per domain, each owning its domains). Cloud users outside them are never mismatched or deleted. Empty or absent: all.',
      insert: '["${1:example.com}"]',
    },
  },
  insert: '{\n\t"deleteThreshold": { "count": ${1:50}, "percent": ${2:10} },\n\t"mismatched": "${3|retain,delete|}"\n}',
};

const scheduleSpec: ObjectSpec = {
  type: 'object',
  doc: "When `dirsync serve` syncs on its own (Directory Connector's Schedule tab).",
  properties: {
    enabled: { type: 'boolean', default: true, doc: 'Run scheduled syncs.' },
    incrementalInterval: {
      type: 'string',
      format: 'duration',
      default: `${DEFAULT_INCREMENTAL_INTERVAL_SECONDS / 3600}h`,
      doc: 'Time between incremental syncs, like `4h`, `30m`, `1h30m` (Directory Connector 3.5+: every 4 hours).',
    },
    fullInterval: { type: 'string', format: 'duration', doc: 'Time between full syncs, like `7d`. Absent: full syncs only on demand.' },
  },
  insert: '{\n\t"enabled": true,\n\t"incrementalInterval": "${1:4h}",\n\t"fullInterval": "${2:7d}"\n}',
};

const notificationSpec: ObjectSpec = {
  type: 'object',
  doc: "Email reports on synchronization results (Directory Connector's Notification tab).",
  properties: {
    enabled: {
      type: 'boolean',
      default: false,
      doc: 'Mail a report to `recipients` through `smtp` after each sync (see `onlyOnFailure`).',
    },
    recipients: {
      type: 'array',
      items: { type: 'string', format: 'email', doc: 'An email address.' },
      doc: 'Valid email addresses.',
      insert: '["${1:identity-team@example.com}"]',
    },
    onlyOnFailure: { type: 'boolean', default: false, doc: 'Send only when a sync fails or is refused.' },
    smtp: {
      type: 'object',
      doc: 'The mail server (SMTP submission) the reports are sent through.',
      properties: {
        host: { type: 'string', doc: 'Host name of the mail server, e.g. `smtp.example.com`.' },
        port: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          doc: 'Port. Absent: 587 (465 with `security: "tls"`, 25 with `"none"`).',
        },
        security: {
          type: 'string',
          enum: ['starttls', 'tls', 'none'],
          default: 'starttls',
          enumDocs: {
            starttls: 'Connect in clear text, then upgrade with STARTTLS; a server that cannot upgrade is refused.',
            tls: 'TLS from the first byte (SMTPS, usually port 465).',
            none: 'No encryption: the password and the report travel in clear text. Only for a relay on this host.',
          },
          doc: 'How the connection is protected.',
        },
        username: { type: 'string', doc: 'User name to sign in with (not a secret). Absent: no sign-in.' },
        password: {
          type: 'string',
          format: 'secretRef',
          doc: 'Password, as `${env:NAME}` or `${secret:KEY}`.',
          insert: '"\\${env:${1:SMTP_PASSWORD}}"',
        },
        from: { type: 'string', format: 'email', doc: 'Sender address, e.g. `dirsync@example.com`.' },
        caFile: {
          type: 'string',
          format: 'path',
          doc: "PEM file with the CA certificate(s) that sign the mail server's certificate, relative to this file. Absent: the system's trusted CAs.",
        },
      },
      required: ['host', 'from'],
      insert:
        '{\n\t"host": "${1:smtp.example.com}",\n\t"username": "${2:dirsync}",\n\t"password": "\\${env:${3:SMTP_PASSWORD}}",\n\t"from": "${4:dirsync@example.com}"\n}',
    },
  },
  insert: '{\n\t"enabled": true,\n\t"recipients": ["${1:identity-team@example.com}"]\n}',
};

export const SECTION_SPECS_B: Readonly<Record<string, Spec>> = {
  avatar: avatarSpec,
  policy: policySpec,
  schedule: scheduleSpec,
  notification: notificationSpec,
};
