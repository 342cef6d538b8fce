/** Open documents and their analyses, cached per document version. */
import { TextDocuments, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, parseForCompletion, type Analysis, type CompletionSource } from '../language/service';
import { ServerProblemNotification, type ServerProblemParams } from '../../../common/requests';

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, { version: number; analysis: Analysis }>();
  /** Internal errors already reported, so a user-facing problem is shown once per document. */
  private readonly reported = new Set<string>();

  constructor(private readonly connection: Connection) {
    this.documents.onDidClose((e) => {
      this.cache.delete(e.document.uri);
      this.reported.delete(e.document.uri);
    });
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /**
   * What completion needs: the current analysis when validation already ran for this version,
   * else just a parse (completion right after a keystroke must not wait for every check).
   */
  completionSource(doc: TextDocument): CompletionSource {
    const hit = this.cache.get(doc.uri);
    return hit && hit.version === doc.version ? hit.analysis : parseForCompletion(doc.getText());
  }

  /** The analysis of the document's current version (computed at most once per version). */
  analysis(doc: TextDocument): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const analysis = analyze(doc.getText());
    this.cache.set(doc.uri, { version: doc.version, analysis });
    if (analysis.internalErrors.length) {
      for (const e of analysis.internalErrors) this.connection.console.warn(`dirsync: ${doc.uri}: ${e}`);
      if (!this.reported.has(doc.uri)) {
        this.reported.add(doc.uri);
        const params: ServerProblemParams = {
          uri: doc.uri,
          message: `Some values of ${doc.uri.split('/').pop()} could not be checked; see the Dirsync output channel.`,
        };
        void this.connection.sendNotification(ServerProblemNotification.method, params);
      }
    }
    return analysis;
  }
}
