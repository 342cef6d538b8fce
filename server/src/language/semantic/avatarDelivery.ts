/**
 * DS530–DS534: how avatars reach the cloud (README § Avatars, "Publishing for Webex"). Webex's
 * SCIM `photos` takes a URL that Webex itself fetches, so that URL must be https; credentials must
 * not cross the network in clear text; published object names are appended to the base URL's path;
 * the Webex app takes images under 10 MB.
 */
import { DEFAULT_AVATAR_MAX_BYTES } from '../config/defaults';
import { rangeOf } from '../config/tree';
import type { Located } from '../../../../common/config';
import { nodeAt, report, type SemanticContext } from './context';

const LOOPBACK = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i;
const isHttp = (url: string) => /^http:\/\//i.test(url);
const isPlainRemoteHttp = (url: string) => isHttp(url) && !LOOPBACK.test(url);

export function checkAvatarDelivery(ctx: SemanticContext): void {
  if (!nodeAt(ctx, ['avatar'])) return;
  const a = ctx.config.avatar;
  const webex = ctx.config.cloud.type === 'webex';
  const publish = a.publish;

  // DS534: objects are named <base>/<sha256>.<ext>; a query or fragment would swallow the name.
  for (const [key, loc] of [
    ['url', publish?.url],
    ['publicUrl', publish?.publicUrl],
  ] as const) {
    if (loc && /[?#]/.test(loc.value)) {
      report(
        ctx,
        'DS534',
        loc.range,
        `\`avatar.publish.${key}\` cannot have a query or fragment: object names (\`<sha256>.<ext>\`) are appended to its path`,
      );
    }
  }

  // DS531: Basic passwords and bearer tokens over plain http to another host.
  if (a.credentials && a.source === 'resourceServer' && a.uriPattern && isPlainRemoteHttp(a.uriPattern.value)) {
    report(ctx, 'DS531', a.uriPattern.range, 'Plain `http://` sends the resource server credentials in clear text: use `https://`');
  }
  if (publish?.credentials && isPlainRemoteHttp(publish.url.value)) {
    report(ctx, 'DS531', publish.url.range, 'Plain `http://` sends the publish credentials in clear text: use `https://`');
  }

  // DS533: the Webex app takes images under 10 MB.
  const maxBytes = nodeAt(ctx, ['avatar', 'maxBytes']);
  if (maxBytes?.type === 'number' && (maxBytes.value as number) > DEFAULT_AVATAR_MAX_BYTES) {
    report(
      ctx,
      'DS533',
      rangeOf(maxBytes),
      `The Webex app takes images under 10 MB: \`maxBytes\` above ${DEFAULT_AVATAR_MAX_BYTES} lets through pictures it will refuse`,
      [
        {
          title: `Change to ${DEFAULT_AVATAR_MAX_BYTES}`,
          edits: [{ range: rangeOf(maxBytes), newText: String(DEFAULT_AVATAR_MAX_BYTES) }],
          preferred: true,
        },
      ],
    );
  }

  if (!a.enabled || !webex) return;
  // DS530: the URL Webex reads must be https (Webex fetches it from the internet).
  const read: Located<string> | undefined = publish
    ? (publish.publicUrl ?? publish.url)
    : a.source === 'resourceServer'
      ? a.uriPattern
      : undefined;
  if (read && isHttp(read.value) && !LOOPBACK.test(read.value)) {
    const what = publish ? `\`avatar.publish.${publish.publicUrl ? 'publicUrl' : 'url'}\`` : 'The resource server URL';
    report(
      ctx,
      'DS530',
      read.range,
      `${what} is what Webex reads profile pictures from, so it must be \`https://\`${publish ? '' : '; or publish the pictures (`avatar.publish`)'}`,
    );
  } else if (!publish && a.source === 'resourceServer' && a.uriPattern) {
    // DS532: without publish, photos point at the resource server itself.
    report(
      ctx,
      'DS532',
      a.uriPattern.range,
      'Without `avatar.publish`, Webex reads each picture from this URL itself: the resource server must be reachable from the internet',
    );
  }
}
