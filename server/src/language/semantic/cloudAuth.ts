/**
 * DS539–DS540: how dirsync authenticates to the cloud. `cloud.token` (a static access token) and
 * `cloud.auth` (a Webex Service App whose tokens renew) are alternatives: exactly one of them.
 * The token endpoint gets the client secret and refresh token, so it must be `https://` (plain
 * http only to this machine, e.g. the local cloud).
 */
import { lazyFix, setValueEdits } from '../config/edits';
import { rangeOf } from '../config/tree';
import { blame, keyRange, nodeAt, report, type SemanticContext } from './context';

const LOOPBACK_HTTP = /^http:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i;

export function checkCloudAuth(ctx: SemanticContext): void {
  if (!nodeAt(ctx, ['cloud'])) return;
  const token = keyRange(ctx, ['cloud', 'token']);
  const auth = keyRange(ctx, ['cloud', 'auth']);
  if (token && auth) {
    const msg = '`cloud.token` and `cloud.auth` are alternatives: keep `auth` for tokens that renew, or `token` for a fixed one';
    report(ctx, 'DS539', token, msg);
    report(ctx, 'DS539', auth, msg);
  } else if (!token && !auth) {
    report(
      ctx,
      'DS539',
      blame(ctx, ['cloud']),
      'The cloud needs credentials: `token` (an access token) or `auth` (a Webex Service App whose tokens renew)',
      [lazyFix({ title: 'Add `token`', preferred: true }, () => setValueEdits(ctx.text, ['cloud', 'token'], '${env:DIRSYNC_CLOUD_TOKEN}'))],
    );
  }
  const url = nodeAt(ctx, ['cloud', 'auth', 'tokenUrl']);
  if (url?.type === 'string') {
    const value = String(url.value);
    if (/^http:\/\//i.test(value) && !LOOPBACK_HTTP.test(value)) {
      report(
        ctx,
        'DS540',
        rangeOf(url),
        '`tokenUrl` must be `https://`: the client secret and refresh token are sent to it (plain `http://` only to this machine)',
      );
    }
  }
}
