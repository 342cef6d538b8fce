/**
 * Avatars (issue 7): sources, checks, thumbnails, change detection, publishing, cloud targets and
 * event-log lines. The sync engine imports from here; README § Avatars explains the design.
 */
export { sniffImage, CONTENT_TYPES, EXTENSIONS, type ImageFormat, type ImageHeader, type SniffResult } from './image';
export {
  checkImage,
  sha256Hex,
  formatBytes,
  MAX_SIDE,
  MAX_PIXELS,
  AD_THUMBNAIL_PHOTO_MAX,
  type CheckedImage,
  type CheckResult,
  type ImageLimits,
} from './checks';
export { makeThumbnail, dataUrl, THUMBNAIL_MAX_CHARS, type ThumbnailResult } from './thumbnail';
export {
  createAttributeSource,
  fromAttribute,
  type AvatarSource,
  type AvatarFetchResult,
  type AvatarError,
  type AvatarErrorCode,
  type EmptyReason,
} from './sources';
export {
  createResourceServerSource,
  DEFAULT_MAX_REDIRECTS,
  type ResourceServerSource,
  type ResourceServerSourceOptions,
  type SlotLimiter,
} from './resourceServer';
export { envSecretResolver, authorizationHeader, AvatarConfigError, type SecretResolver } from './credentials';
export { createAvatarDispatcher, displayUrl } from './http';
export { createPublisher, objectName, type Publisher, type PublisherOptions, type PublishResult, type PublishableImage } from './publish';
export {
  photosUrlTarget,
  resourceUrlTarget,
  avatarEndpointTarget,
  chooseTargetKind,
  photoUrlOf,
  AvatarTargetError,
  type AvatarTarget,
  type AvatarTargetKind,
  type AvatarUpload,
} from './targets';
export {
  decideAvatar,
  nextRecord,
  avatarStateKey,
  avatarInfo,
  countDecisions,
  isAvatarStateRecord,
  type AvatarDecision,
  type AvatarState,
  type AvatarStateRecord,
  type AppliedAvatar,
  type CloudPicture,
  type DecideOptions,
  type UploadWhy,
} from './changes';
export {
  avatarRemovalEvents,
  deleteFlagEvent,
  emptySourceEvent,
  entryIdentity,
  eventJsonLine,
  eventTextLine,
  type AvatarLogEvent,
} from './events';
export { planAvatar, applyAvatar, type AvatarPlanInput, type AvatarApplyResult } from './run';
export { createAvatarPipeline, type AvatarPipeline, type AvatarPipelineOptions } from './fromConfig';
