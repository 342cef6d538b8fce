import type { Connection } from 'vscode-languageserver';
import { ConfigModelRequest, type ConfigModelParams, type ConfigModelResult } from '../../../common/requests';
import type { DocumentStore } from './documents';
import { guard } from './safe';

export function registerModelRequest(connection: Connection, store: DocumentStore): void {
  connection.onRequest(
    ConfigModelRequest.method,
    guard(connection, ConfigModelRequest.method, null as ConfigModelResult | null, (params: ConfigModelParams) => {
      const doc = store.get(params.uri);
      if (!doc) return null;
      const a = store.analysis(doc);
      const count = (s: string) => a.diagnostics.filter((d) => d.severity === s).length;
      return { config: a.config, errors: count('error'), warnings: count('warning'), version: doc.version };
    }),
  );
}
