/**
 * The notification mail after a sync, end to end: `dirsync sync` (the built CLI) on an LDIF export
 * into the local cloud, the mail delivered to a real SMTP server on 127.0.0.1 (smtp-server) that
 * offers STARTTLS and requires sign-in: subject, summary, the attached report; only-on-failure.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { makeTls } from '../../support/avatarServers';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { e2eConfig, runCli, writeLdif } from '../../support/syncCli';

const USER = 'dirsync-mailer';
const PASSWORD = 'smtp-pw-41c7';

interface Received {
  readonly from: string;
  readonly to: string[];
  readonly secure: boolean;
  readonly user: string;
  readonly raw: string;
}

/** A submission server on an ephemeral loopback port: STARTTLS offered, sign-in required, messages kept. */
async function startSmtp(tls: { cert: string; key: string }) {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // No sign-in over clear text: the client must have upgraded with STARTTLS first.
    allowInsecureAuth: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: String(session.user ?? ''),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded parts of a MIME message: headers and bodies (base64 and quoted-printable undone). */
function parts(raw: string): Array<{ headers: string; body: string }> {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const chunks = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  return chunks.map((c) => {
    const at = c.search(/\r?\n\r?\n/);
    const headers = c.slice(0, at);
    let body = c.slice(at).trim();
    if (/content-transfer-encoding:\s*base64/i.test(headers)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    else if (/content-transfer-encoding:\s*quoted-printable/i.test(headers))
      body = Buffer.from(
        body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    return { headers, body };
  });
}

describe('notification mail after a sync (local SMTP server with STARTTLS)', function () {
  this.timeout(180_000);
  let f: CloudFixture;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let config: string;

  function writeConfig(notification: Record<string, unknown>, ldif: string): void {
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif, { notification }));
  }

  beforeEach(async () => {
    const tls = await makeTls();
    smtp = await startSmtp(tls);
    f = await startCloudFixture();
    writeFileSync(join(f.dir, 'smtp-ca.pem'), tls.cert);
    config = join(f.dir, 'corp.dirsync');
    process.env['DIRSYNC_TEST_SMTP_PASSWORD'] = PASSWORD;
  });
  afterEach(async () => {
    delete process.env['DIRSYNC_TEST_SMTP_PASSWORD'];
    await f?.close();
    await smtp?.close();
  });

  const mailServer = () => ({
    host: '127.0.0.1',
    port: smtp.port,
    username: USER,
    password: '${env:DIRSYNC_TEST_SMTP_PASSWORD}',
    from: 'dirsync@corp.example.com',
    caFile: 'smtp-ca.pem',
  });

  it('a sync mails the summary with the report attached, over STARTTLS with the password from its reference', async () => {
    const ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 20);
    writeConfig({ enabled: true, recipients: ['identity-team@corp.example.com', 'ops@corp.example.com'], smtp: mailServer() }, ldif);
    const log = join(f.dir, 'events.jsonl');
    const run = await runCli(['sync', config, '--json', '--log', log], f.dir);
    assert.equal(run.code, 2, run.stderr + run.stdout);
    const result = JSON.parse(run.stdout) as { applied: number; summary: { added: number } };

    assert.equal(smtp.received.length, 1, 'one message');
    const m = smtp.received[0]!;
    assert.equal(m.secure, true, 'upgraded with STARTTLS before the message');
    assert.equal(m.user, USER, 'signed in');
    assert.equal(m.from, 'dirsync@corp.example.com');
    assert.deepEqual(m.to, ['identity-team@corp.example.com', 'ops@corp.example.com']);
    const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(m.raw)![1]!.replace(/\r?\n[ \t]/g, ' ');
    assert.match(
      subject,
      new RegExp(`^Dirsync: e2e: full sync succeeded \\(${result.summary.added} added, 0 modified, 0 deleted, 0 deactivated\\)$`),
    );
    const [text, attachment] = parts(m.raw);
    assert.match(text!.body, new RegExp(`succeeded: ${result.applied} changes written to the cloud`));
    assert.match(text!.body, new RegExp(`^ {2}added +${result.summary.added}$`, 'm'));
    assert.match(text!.body, /Deletion threshold: 0 deletions of 0 owned cloud objects: within the limit\./);
    assert.match(attachment!.headers.replace(/\r?\n[ \t]+/g, ' '), /Content-Disposition: attachment; filename=dirsync-report-.*\.html/i);
    assert.match(attachment!.body, /^<!doctype html>/i);
    assert.ok(!m.raw.includes(PASSWORD), 'the password is never in the message');
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; message: string });
    assert.ok(events.some((e) => e.event === 'notification.sent' && e.message.includes('identity-team@corp.example.com')));
  });

  it('onlyOnFailure: nothing for a clean sync; a failed one is mailed, naming the error', async () => {
    const ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 5);
    writeConfig({ enabled: true, onlyOnFailure: true, recipients: ['ops@corp.example.com'], smtp: mailServer() }, ldif);
    const ok = await runCli(['sync', config], f.dir);
    assert.equal(ok.code, 2, ok.stderr + ok.stdout);
    assert.equal(smtp.received.length, 0, 'a clean sync sends nothing');

    writeConfig(
      { enabled: true, onlyOnFailure: true, recipients: ['ops@corp.example.com'], smtp: mailServer() },
      join(f.dir, 'missing.ldif'),
    );
    const failed = await runCli(['sync', config], f.dir);
    assert.equal(failed.code, 1, failed.stderr + failed.stdout);
    assert.equal(smtp.received.length, 1);
    const raw = smtp.received[0]!.raw;
    assert.match(raw, /^Subject: Dirsync: e2e: full sync failed/m);
    assert.match(parts(raw)[0]!.body, /missing\.ldif/);
  });

  it('a mail server that refuses the sign-in: the sync still succeeds, the event names notification.smtp', async () => {
    const ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 5);
    writeConfig({ enabled: true, recipients: ['ops@corp.example.com'], smtp: { ...mailServer(), username: 'someone-else' } }, ldif);
    const log = join(f.dir, 'events.jsonl');
    const run = await runCli(['sync', config, '--log', log], f.dir);
    assert.equal(run.code, 2, run.stderr + run.stdout);
    assert.equal(smtp.received.length, 0);
    const failed = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; message: string })
      .find((e) => e.event === 'notification.failed');
    assert.ok(failed);
    assert.match(
      failed.message,
      new RegExp(`No notification sent through 127\\.0\\.0\\.1:${smtp.port} \\(notification\\.smtp in .*corp\\.dirsync\\)`),
    );
  });
});
