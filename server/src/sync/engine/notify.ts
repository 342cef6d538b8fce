/**
 * Sends the notification mail of a sync (report/notification.ts composes it) over SMTP with
 * nodemailer: STARTTLS required by default (`notification.smtp.security`), the password from its
 * secret reference, the server's CA from `caFile`. A mail that cannot be sent never fails the sync:
 * it becomes a `notification.failed` event naming the key to fix.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { SecretResolver } from '../../avatars/credentials';
import type { DirsyncConfig } from '../../../../common/config';
import type { EngineEvent } from '../contract';
import { notificationMessage, shouldNotify, type SyncOutcome } from '../report/notification';
import { standaloneReportHtml } from '../report/htmlAssets';

/** Attachments above this stay on disk (mail servers commonly refuse messages over 10–25 MB). */
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface NotifyOptions {
  readonly config: DirsyncConfig;
  readonly configFile: string;
  readonly stateDir: string;
  readonly secrets: SecretResolver;
  readonly sessionId: string;
  readonly onEvent?: (e: EngineEvent) => void;
}

/** Mails the outcome when the config asks for it. Resolves either way; failures become events. */
export async function notifySync(o: NotifyOptions, outcome: SyncOutcome): Promise<void> {
  const n = o.config.notification;
  if (!shouldNotify(n, outcome) || !n.smtp) return;
  const smtp = n.smtp;
  const emit = (level: EngineEvent['level'], event: string, message: string, extra: Record<string, unknown> = {}) =>
    o.onEvent?.({ time: new Date().toISOString(), sessionId: o.sessionId, level, event, message, ...extra });
  const where = `notification.smtp in ${o.configFile}`;
  try {
    const password = smtp.password ? await o.secrets(smtp.password.value) : undefined;
    if (smtp.password && password === undefined) {
      emit('warning', 'notification.failed', `No notification sent: notification.smtp.password ${smtp.password.value.text} is not set`);
      return;
    }
    const report = outcome.kind === 'done' ? outcome.result.report : outcome.report;
    let reportHtml: string | undefined;
    let notAttached: string | undefined;
    if (report) {
      try {
        const html = standaloneReportHtml(report, { reportsDir: join(o.stateDir, 'reports') });
        if (Buffer.byteLength(html) <= MAX_ATTACHMENT_BYTES) reportHtml = html;
        else notAttached = `${Math.round(Buffer.byteLength(html) / 1024 / 1024)} MB is more than a mail should carry`;
      } catch (err) {
        notAttached = `the HTML report could not be built: ${(err as Error).message}`;
      }
    }
    const mode = report?.mode === 'incremental' ? 'incremental' : 'full';
    const message = notificationMessage({
      outcome,
      name: o.config.name ?? basename(o.configFile),
      configFile: o.configFile,
      ...(report ? { reportFile: join(o.stateDir, 'reports', `last-${mode}.json`) } : {}),
      ...(reportHtml ? { reportHtml } : {}),
      ...(notAttached ? { notAttached } : {}),
    });
    const ca = smtp.caFile ? await readFile(resolve(dirname(o.configFile), smtp.caFile.value)) : undefined;
    // Loaded here: only a run that mails loads the mailer.
    const { createTransport } = await import('nodemailer');
    const transport = createTransport({
      host: smtp.host.value,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      ...(smtp.username !== undefined ? { auth: { user: smtp.username, pass: password ?? '' } } : {}),
      ...(ca ? { tls: { ca } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    try {
      const info = await transport.sendMail({
        from: smtp.from.value,
        to: n.recipients.map((r) => r.value),
        subject: message.subject,
        text: message.text,
        attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
      emit('info', 'notification.sent', `Notification sent to ${n.recipients.map((r) => r.value).join(', ')}: ${message.subject}`, {
        messageId: info.messageId,
      });
    } finally {
      transport.close();
    }
  } catch (err) {
    emit(
      'warning',
      'notification.failed',
      `No notification sent through ${smtp.host.value}:${smtp.port} (${where}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
