/**
 * Everything the avatar work needs, built from a config's `avatar` section: the source, one
 * limiter shared by fetching and publishing (so `avatar.concurrency` bounds all avatar traffic),
 * the publisher when `avatar.publish` is set, and the cloud target. The sync engine and
 * `dirsync purge-avatars` call this once per run and `close()` it at the end.
 */
import type { Dispatcher } from 'undici';
import { systemClock } from '../cloud/clock';
import { Limiter } from '../cloud/limiter';
import type { CloudLogger } from '../cloud/logger';
import type { UsersClient } from '../cloud/users';
import { DEFAULT_AVATAR_ATTRIBUTE } from '../language/config/defaults';
import type { AvatarConfig, CloudType } from '../../../common/config';
import { AvatarConfigError, type SecretResolver } from './credentials';
import { createAvatarDispatcher } from './http';
import { createPublisher, type Publisher } from './publish';
import { createResourceServerSource } from './resourceServer';
import { createAttributeSource, type AvatarSource } from './sources';
import { avatarEndpointTarget, chooseTargetKind, photosUrlTarget, resourceUrlTarget, type AvatarTarget } from './targets';

export interface AvatarPipeline {
  readonly source: AvatarSource;
  /** Undefined only for a dry run built without a cloud client. */
  readonly target?: AvatarTarget;
  /** The publisher, for reports that show the URL a picture would get (`publicUrlOf`). */
  readonly publisher?: Publisher;
  close(): Promise<void>;
}

export interface AvatarPipelineOptions {
  readonly avatar: AvatarConfig;
  readonly cloudType: CloudType;
  readonly secrets: SecretResolver;
  /** The cloud's users client; omit for a plan that never writes. */
  readonly users?: UsersClient;
  /** Default: an EnvHttpProxyAgent owned by the pipeline. */
  readonly dispatcher?: Dispatcher;
  readonly logger?: CloudLogger;
}

/** Builds the pipeline; rejects with AvatarConfigError when the config cannot work (see DS523, DS514). */
export async function createAvatarPipeline(options: AvatarPipelineOptions): Promise<AvatarPipeline> {
  const a = options.avatar;
  const kind = chooseTargetKind(options.cloudType, a.source, a.publish !== undefined);
  if (!kind)
    throw new AvatarConfigError(
      'avatar: Webex reads profile pictures from a URL; pictures from an AD attribute need `avatar.publish` (DS523)',
    );
  const ownsDispatcher = !options.dispatcher;
  const dispatcher = options.dispatcher ?? createAvatarDispatcher();
  const limiter = new Limiter(a.concurrency, systemClock);
  const timeoutMs = a.timeoutSeconds * 1000;
  const closers: Array<() => Promise<void>> = [];
  try {
    let source: AvatarSource;
    if (a.source === 'resourceServer') {
      if (!a.uriPattern) throw new AvatarConfigError('avatar.uriPattern: source "resourceServer" needs a URI pattern (DS514)');
      source = await createResourceServerSource({
        pattern: a.uriPattern.value,
        ...(a.credentials ? { credentials: a.credentials } : {}),
        secrets: options.secrets,
        maxBytes: a.maxBytes,
        timeoutMs,
        limiter,
        dispatcher,
        ...(options.logger ? { logger: options.logger } : {}),
      });
    } else {
      source = createAttributeSource({ attribute: a.attribute?.value ?? DEFAULT_AVATAR_ATTRIBUTE, maxBytes: a.maxBytes });
    }
    closers.push(() => source.close());
    let publisher: Publisher | undefined;
    if (a.publish) {
      publisher = await createPublisher({
        url: a.publish.url.value,
        ...(a.publish.publicUrl ? { publicUrl: a.publish.publicUrl.value } : {}),
        ...(a.publish.credentials ? { credentials: a.publish.credentials } : {}),
        secrets: options.secrets,
        timeoutMs,
        limiter,
        dispatcher,
        ...(options.logger ? { logger: options.logger } : {}),
      });
      closers.push(() => publisher!.close());
    }
    const users = options.users;
    const target = !users
      ? undefined
      : kind === 'photosUrl'
        ? photosUrlTarget(users, publisher!)
        : kind === 'resourceUrl'
          ? resourceUrlTarget(users)
          : avatarEndpointTarget(users);
    return {
      source,
      ...(target ? { target } : {}),
      ...(publisher ? { publisher } : {}),
      async close() {
        for (const c of closers) await c();
        if (ownsDispatcher) await dispatcher.close();
      },
    };
  } catch (err) {
    for (const c of closers) await c();
    if (ownsDispatcher) await dispatcher.close();
    throw err;
  }
}
