import type { Connection } from 'vscode-languageserver';
import type { SecretRef } from '../../../common/config';
import { selectionSample, setPreviewEntry, testAvatar } from '../live/features';
import type { LivePreviews } from '../live/previews';
import {
  BindDirectoryRequest,
  LiveStatusRequest,
  SelectionSampleRequest,
  SetPreviewEntryRequest,
  TestAvatarRequest,
  UnbindDirectoryRequest,
  type AvatarCheckResult,
  type BindDirectoryParams,
  type DocumentParams,
  type LiveStatus,
  type SelectionSample,
  type SelectionSampleParams,
  type SetPreviewEntryParams,
  type SetPreviewEntryResult,
} from '../../../common/requests';
import { toSignal } from './cancel';
import type { DocumentStore } from './documents';
import { guard } from './safe';

/** The `dirsync/*` requests of the live previews (common/requests.ts). */
export function registerLiveRequests(
  connection: Connection,
  store: DocumentStore,
  live: LivePreviews,
  resolveSecret: (uri: string, ref: SecretRef) => Promise<string | undefined>,
  refreshHints: () => void,
): void {
  const off = (uri: string): LiveStatus => ({
    uri,
    state: 'unbound',
    reason: 'the server could not answer; see the Dirsync output channel.',
  });
  connection.onRequest(
    BindDirectoryRequest.method,
    guard(connection, BindDirectoryRequest.method, null as LiveStatus | null, (p: BindDirectoryParams) =>
      live.bind(p.uri, {
        ...(p.url ? { url: p.url } : {}),
        ...(p.bindDn ? { bindDn: p.bindDn } : {}),
        ...(p.passwordKey ? { passwordKey: p.passwordKey } : {}),
      }),
    ),
  );
  connection.onRequest(
    UnbindDirectoryRequest.method,
    guard(connection, UnbindDirectoryRequest.method, null as LiveStatus | null, (p: DocumentParams) => live.unbind(p.uri)),
  );
  connection.onRequest(
    LiveStatusRequest.method,
    guard(connection, LiveStatusRequest.method, null as LiveStatus | null, (p: DocumentParams) => live.status(p.uri)),
  );
  connection.onRequest(
    SelectionSampleRequest.method,
    guard(connection, SelectionSampleRequest.method, null as SelectionSample | null, async (p: SelectionSampleParams, token) => {
      const doc = store.get(p.uri);
      if (!doc) return { kind: p.kind, entries: [], error: 'The document is not open.' };
      const signal = toSignal(token);
      return selectionSample(live, p.uri, store.analysis(doc), p.kind, p.limit ?? 25, signal);
    }),
  );
  connection.onRequest(
    SetPreviewEntryRequest.method,
    guard(connection, SetPreviewEntryRequest.method, null as SetPreviewEntryResult | null, async (p: SetPreviewEntryParams, token) => {
      const doc = store.get(p.uri);
      if (!doc) return { status: off(p.uri), error: 'The document is not open.' };
      return setPreviewEntry(live, p.uri, store.analysis(doc), p.dn, refreshHints, toSignal(token));
    }),
  );
  connection.onRequest(
    TestAvatarRequest.method,
    guard(connection, TestAvatarRequest.method, null as AvatarCheckResult | null, async (p: DocumentParams, token) => {
      const doc = store.get(p.uri);
      if (!doc) return { ok: false, summary: 'The document is not open.' };
      return testAvatar(live, p.uri, store.analysis(doc), (ref) => resolveSecret(p.uri, ref), toSignal(token));
    }),
  );
}
