// Open documents: their text, and for the most recently used ones their syntax tree (edited on every change,
// re-parsed incrementally when the version is analysed) and lint result, which hover and code actions reuse.
import { LineIndex, type Position } from './edits';
import { DEFAULT_LINT_CONFIG, type LintConfig, lint, type LintResult } from './linter';
import { Edit, type Parser, parseText, type Point, type Tree } from './parser';

export interface ContentChange {
  range?: { start: Position; end: Position };
  text: string;
}

export class PythonDocument {
  /** The syntax tree, once parsed; edited (not yet re-parsed) while `stale`; null when not kept. */
  private tree: Tree | null = null;
  private stale = false;
  private cached: { version: number; config: LintConfig; result: LintResult } | null = null;
  private lineIndex: LineIndex | null = null;

  constructor(
    readonly uri: string,
    public version: number,
    public text: string,
    private readonly parser: Parser,
  ) {}

  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /**
   * Applies LSP content changes in order. A kept tree is edited (tree.edit) so that the next parse, done
   * when the version is first analysed, reuses it: a burst of changes costs one incremental parse.
   */
  update(changes: ContentChange[], version: number): void {
    for (const change of changes) {
      if (!change.range) {
        this.text = change.text;
        this.lineIndex = null;
        this.dropTree();
        continue;
      }
      const index = this.lines;
      const start = index.offsetAt(change.range.start);
      const end = Math.max(start, index.offsetAt(change.range.end));
      const startPoint = pointAt(index, start);
      const oldEndPoint = pointAt(index, end);
      this.text = this.text.slice(0, start) + change.text + this.text.slice(end);
      this.lineIndex = null;
      if (this.tree) {
        this.tree.edit(
          new Edit({
            startIndex: start,
            oldEndIndex: end,
            newEndIndex: start + change.text.length,
            startPosition: startPoint,
            oldEndPosition: oldEndPoint,
            newEndPosition: pointAt(this.lines, start + change.text.length),
          }),
        );
        this.stale = true;
      }
    }
    this.version = version;
    this.cached = null;
  }

  /** The tree of the current text: parsed on first use, re-parsed incrementally after edits. */
  get syntaxTree(): Tree {
    if (!this.tree || this.stale) {
      const old = this.tree;
      this.tree = parseText(this.parser, this.text, old);
      old?.delete();
      this.stale = false;
    }
    return this.tree;
  }

  /** The lint result of the current version (computed once per version and configuration). */
  lint(config: LintConfig = DEFAULT_LINT_CONFIG): LintResult {
    this.onUse?.(this);
    if (this.cached && this.cached.version === this.version && this.cached.config === config) return this.cached.result;
    const result = lint(this.syntaxTree, this.text, config);
    this.cached = { version: this.version, config, result };
    return result;
  }

  /**
   * Frees the analysis and the tree (the analysis mirrors the tree, and together they are the bulk of a
   * document's memory); both are rebuilt from the text on demand, the next edit parsing from scratch.
   */
  release(): void {
    this.cached = null;
    this.dropTree();
  }

  get hasAnalysis(): boolean {
    return this.cached !== null;
  }

  get hasTree(): boolean {
    return this.tree !== null;
  }

  /** Called whenever the analysis is used (the store keeps the most recent ones). */
  onUse?: (doc: PythonDocument) => void;

  dispose(): void {
    this.release();
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = null;
    this.stale = false;
  }
}

function pointAt(index: LineIndex, offset: number): Point {
  const p = index.positionAt(offset);
  return { row: p.line, column: p.character };
}

/**
 * How many documents keep their analysis and tree; the others keep only their text, and re-parse and
 * re-analyse when hovered or edited (memory stays bounded however many files are open).
 */
const CACHED_ANALYSES = 16;

export class DocumentStore {
  private readonly documents = new Map<string, PythonDocument>();
  /** Documents by most recent use of their analysis, oldest first. */
  private readonly recent: PythonDocument[] = [];

  constructor(private readonly parser: Parser) {}

  open(uri: string, version: number, text: string): PythonDocument {
    this.close(uri);
    const doc = new PythonDocument(uri, version, text, this.parser);
    doc.onUse = (d) => this.touch(d);
    this.documents.set(uri, doc);
    return doc;
  }

  private touch(doc: PythonDocument): void {
    const i = this.recent.indexOf(doc);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.push(doc);
    while (this.recent.length > CACHED_ANALYSES) this.recent.shift()!.release();
  }

  get(uri: string): PythonDocument | undefined {
    return this.documents.get(uri);
  }

  close(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    doc.dispose();
    this.documents.delete(uri);
    const i = this.recent.indexOf(doc);
    if (i >= 0) this.recent.splice(i, 1);
  }

  all(): PythonDocument[] {
    return [...this.documents.values()];
  }
}
