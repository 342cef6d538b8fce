/**
 * Open documents and their analyses, cached per document version. The changes since the last
 * analysis are kept, so the next one can edit that analysis's tree instead of parsing the whole
 * document again (`editTree`; typing in a 5,000-line config re-parses nothing). Completion reads
 * only the edited tree: the checks of a keystroke run when its diagnostics are published (or
 * another feature asks for the analysis), not while a completion waits. The documents keep their
 * text in pieces (`ChunkedDocument`): a keystroke neither copies the whole text nor, on that path,
 * makes the analysis read it whole.
 */
import { TextDocumentContentChangeEvent, TextDocuments, type Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedDocument } from './textDocument';
import { analyze, checkTree, editTree, type Analysis, type CompletionSource, type EditedTree, type TextChange } from '../language/service';
import { ServerProblemNotification, type ServerProblemParams } from '../../../common/requests';

/** Changes kept between two analyses at most; past that, the next analysis starts from scratch. */
const MAX_PENDING_CHANGES = 64;

export class DocumentStore {
  /**
   * The changes of each document since its cached analysis (or since its edited tree, when there is
   * one), in order; `undefined` after a full replacement.
   */
  private readonly pending = new Map<string, TextChange[] | undefined>();
  /** A document's tree edited up to a version after the cached analysis's, its checks not run yet. */
  private readonly edited = new Map<string, { version: number; tree: EditedTree }>();
  readonly documents = new TextDocuments<ChunkedDocument>({
    create: (uri, languageId, version, content) => {
      this.pending.delete(uri);
      this.edited.delete(uri);
      return new ChunkedDocument(uri, languageId, version, content);
    },
    update: (doc, changes, version) => this.update(doc, changes, version),
  });
  private readonly cache = new Map<string, { version: number; analysis: Analysis }>();
  /** Internal errors already reported, so a user-facing problem is shown once per document. */
  private readonly reported = new Set<string>();

  constructor(private readonly connection: Connection) {
    this.documents.onDidClose((e) => {
      this.cache.delete(e.document.uri);
      this.edited.delete(e.document.uri);
      this.pending.delete(e.document.uri);
      this.reported.delete(e.document.uri);
    });
  }

  get(uri: string): ChunkedDocument | undefined {
    return this.documents.get(uri);
  }

  /**
   * Applies an editor's changes one by one (as TextDocument.update does), noting each one's
   * offsets and the text it replaced, in the text before it.
   */
  private update(doc: ChunkedDocument, changes: TextDocumentContentChangeEvent[], version: number): ChunkedDocument {
    let log = this.cache.has(doc.uri) ? this.pending.get(doc.uri) : undefined;
    for (const change of changes) {
      if (log && TextDocumentContentChangeEvent.isIncremental(change) && log.length < MAX_PENDING_CHANGES) {
        let start = doc.offsetAt(change.range.start);
        let end = doc.offsetAt(change.range.end);
        if (end < start) [start, end] = [end, start];
        log.push({ start, end, text: change.text, removed: doc.slice(start, end) });
      } else {
        log = undefined;
      }
      doc.update([change], version);
    }
    this.pending.set(doc.uri, log);
    return doc;
  }

  /**
   * What completion needs: the current version's parse tree. Right after a keystroke that is the
   * last tree edited in place (no parse, no checks: those run for the diagnostics, after the
   * validation delay); otherwise the analysis.
   */
  completionSource(doc: TextDocument): CompletionSource {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    return this.editedTree(doc) ?? this.analysis(doc);
  }

  /** The analysis of the document's current version (computed at most once per version). */
  analysis(doc: TextDocument): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const edited = this.editedTree(doc);
    const analysis = edited ? checkTree(edited) : analyze(doc.getText());
    this.edited.delete(doc.uri);
    this.pending.set(doc.uri, []);
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

  /**
   * The tree of the document's current version edited in place from the last analysis or edited
   * tree, when the changes since allow it; undefined when the text needs a full parse.
   */
  private editedTree(doc: TextDocument): EditedTree | undefined {
    const open = this.edited.get(doc.uri);
    if (open && open.version === doc.version) return open.tree;
    const from = open?.tree ?? this.cache.get(doc.uri)?.analysis;
    const changes = this.pending.get(doc.uri);
    this.edited.delete(doc.uri);
    if (!from || !changes) return undefined;
    const text = doc instanceof ChunkedDocument ? doc.text : doc.getText();
    const tree = editTree(from, text, changes);
    // Applied or not, these changes are spent: without a tree, the next analysis parses the text.
    this.pending.set(doc.uri, tree ? [] : undefined);
    if (tree) this.edited.set(doc.uri, { version: doc.version, tree });
    return tree;
  }
}
