// Open documents and their syntax trees, re-parsed incrementally on every change (tree.edit + parse with
// the old tree). Each version's lint result is cached so hover and code actions never re-parse.
import { LineIndex, type Position } from './edits';
import { DEFAULT_LINT_CONFIG, type LintConfig, lint, type LintResult } from './linter';
import { Edit, type Parser, parseText, type Point, type Tree } from './parser';

export interface ContentChange {
  range?: { start: Position; end: Position };
  text: string;
}

export class PythonDocument {
  private tree: Tree | null = null;
  private cached: { version: number; config: LintConfig; result: LintResult } | null = null;
  private lineIndex: LineIndex | null = null;

  constructor(
    readonly uri: string,
    public version: number,
    public text: string,
    private readonly parser: Parser,
  ) {
    this.tree = parseText(parser, text);
  }

  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /** Applies LSP content changes in order, editing the tree so the next parse reuses it. */
  update(changes: ContentChange[], version: number): void {
    let full = false;
    for (const change of changes) {
      if (!change.range) {
        this.text = change.text;
        full = true;
        this.lineIndex = null;
        continue;
      }
      const index = this.lines;
      const start = index.offsetAt(change.range.start);
      const end = Math.max(start, index.offsetAt(change.range.end));
      const startPoint = pointAt(index, start);
      const oldEndPoint = pointAt(index, end);
      const newText = this.text.slice(0, start) + change.text + this.text.slice(end);
      this.text = newText;
      this.lineIndex = null;
      if (!full && this.tree) {
        const newIndex = this.lines;
        this.tree.edit(
          new Edit({
            startIndex: start,
            oldEndIndex: end,
            newEndIndex: start + change.text.length,
            startPosition: startPoint,
            oldEndPosition: oldEndPoint,
            newEndPosition: pointAt(newIndex, start + change.text.length),
          }),
        );
      }
    }
    const old = this.tree;
    this.tree = parseText(this.parser, this.text, full ? null : old);
    old?.delete();
    this.version = version;
    this.cached = null;
  }

  /** The lint result of the current version (computed once per version and configuration). */
  lint(config: LintConfig = DEFAULT_LINT_CONFIG): LintResult {
    this.onUse?.(this);
    if (this.cached && this.cached.version === this.version && this.cached.config === config) return this.cached.result;
    if (!this.tree) this.tree = parseText(this.parser, this.text);
    const result = lint(this.tree, this.text, config);
    this.cached = { version: this.version, config, result };
    return result;
  }

  /** Drops the cached analysis (its mirror tree is the bulk of a document's memory); it is rebuilt on demand. */
  forgetAnalysis(): void {
    this.cached = null;
  }

  get hasAnalysis(): boolean {
    return this.cached !== null;
  }

  /** Called whenever the analysis is used (the store keeps the most recent ones). */
  onUse?: (doc: PythonDocument) => void;

  get syntaxTree(): Tree | null {
    return this.tree;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
    this.cached = null;
  }
}

function pointAt(index: LineIndex, offset: number): Point {
  const p = index.positionAt(offset);
  return { row: p.line, column: p.character };
}

/** How many documents keep their analysis cached; the others re-analyse when hovered (memory stays bounded). */
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
    while (this.recent.length > CACHED_ANALYSES) this.recent.shift()!.forgetAnalysis();
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
