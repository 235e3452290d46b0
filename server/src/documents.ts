// Open documents: their text, and for the most recently used ones their syntax tree (edited on every change,
// re-parsed incrementally when the version is analysed) and lint result, which hover and code actions reuse.
import { LineIndex, type Position } from './edits';
import { type IncrementalLint, type IncrementalState, lintIncremental, unitsOf } from './incremental';
import { DEFAULT_LINT_CONFIG, type LintConfig, lint, type LintResult } from './linter';
import { Edit, type Parser, parseText, type Point, SyntaxTree, type Tree } from './parser';

export interface ContentChange {
  range?: { start: Position; end: Position };
  text: string;
}

export class PythonDocument {
  /** The syntax tree, once parsed; edited (not yet re-parsed) while `stale`; null when not kept. */
  private tree: Tree | null = null;
  private stale = false;
  private cached: { version: number; config: LintConfig; result: LintResult } | null = null;
  /** The JavaScript mirror of the current tree, shared by every analysis of this version. */
  private mirrorTree: SyntaxTree | null = null;
  /** What the last published version left for the next one to reuse, and that version's result. */
  private incremental: IncrementalState | null = null;
  private published: { version: number; config: LintConfig; result: IncrementalLint } | null = null;
  /** Analyses of some units of this version (hover, code actions), by the units' start indices. */
  private partial = new Map<string, LintResult>();
  /** Values computed for the current version (the rewrite of each fix, which code actions ask for repeatedly). */
  private memos = new Map<string, unknown>();
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
    this.published = null;
    this.partial.clear();
    this.memos.clear();
    this.mirrorTree = null;
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

  /** The mirror of the current tree (one per version: the analyses of a version share what they fetched). */
  get mirror(): SyntaxTree {
    const raw = this.syntaxTree;
    if (!this.mirrorTree || this.mirrorTree.raw !== raw) this.mirrorTree = new SyntaxTree(raw, this.text);
    return this.mirrorTree;
  }

  /** The whole lint result of the current version, every loop analysed (computed once per version and configuration). */
  lint(config: LintConfig = DEFAULT_LINT_CONFIG): LintResult {
    this.onUse?.(this);
    if (this.cached && this.cached.version === this.version && this.cached.config === config) return this.cached.result;
    const result = lint(this.mirror, this.text, config);
    this.cached = { version: this.version, config, result };
    return result;
  }

  /**
   * The findings to publish for the current version: the units of the module (top-level statements) that the
   * edits since the last published version cannot have affected keep their findings; the others are analysed.
   */
  publish(config: LintConfig = DEFAULT_LINT_CONFIG): IncrementalLint {
    this.onUse?.(this);
    if (this.published && this.published.version === this.version && this.published.config === config) return this.published.result;
    let result: IncrementalLint;
    try {
      result = lintIncremental(this.mirror, this.text, config, this.incremental);
    } catch (e) {
      if (!this.incremental) throw e;
      // whatever went wrong with the kept state must not come back on every keystroke: analyse afresh
      this.incremental = null;
      result = lintIncremental(this.mirror, this.text, config, null);
    }
    this.incremental = result.state;
    this.published = { version: this.version, config, result };
    return result;
  }

  /**
   * A lint result whose loop facts cover lines [fromLine, toLine] (0-based) of the current version: the units
   * holding those lines are analysed, not the whole module (hover and code actions need facts only there).
   * Findings on pools and pandas calls are module-wide (taken from the published lint of this version when
   * there is one); findings on calls that stall an event loop are those of these units.
   */
  lintLines(config: LintConfig, fromLine: number, toLine: number): LintResult {
    this.onUse?.(this);
    if (this.cached && this.cached.version === this.version && this.cached.config === config) return this.cached.result;
    const mirror = this.mirror;
    const units = unitsOf(mirror).filter((u) => u.node.startPosition.row <= toLine && mirror.pointAt(u.end).row >= fromLine);
    const key = units.map((u) => u.start).join(',');
    const known = this.partial.get(key);
    if (known && this.partialConfig === config) return known;
    if (this.partialConfig !== config) this.partial.clear();
    this.partialConfig = config;
    // the findings on pools of this version, when published: then only these units' coroutines are checked
    const published = this.published && this.published.version === this.version && this.published.config === config ? this.published.result : null;
    const result = lint(mirror, this.text, config, { units: units.flatMap((u) => u.analysed), poolFindings: published?.poolFindings });
    if (this.partial.size >= 8) this.partial.clear();
    this.partial.set(key, result);
    return result;
  }

  private partialConfig: LintConfig | null = null;

  /** `compute()`, once per version of the text and `key` (a few dozen values at most are kept). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    if (this.memos.size >= 64) this.memos.clear();
    this.memos.set(key, value);
    return value;
  }

  /**
   * Frees the analysis and the tree (the analysis mirrors the tree, and together they are the bulk of a
   * document's memory); both are rebuilt from the text on demand, the next edit parsing from scratch.
   */
  release(): void {
    this.cached = null;
    this.published = null;
    this.incremental = null;
    this.partial.clear();
    this.memos.clear();
    this.mirrorTree = null;
    this.dropTree();
  }

  get hasAnalysis(): boolean {
    return this.cached !== null || this.published !== null || this.partial.size > 0;
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
    this.mirrorTree = null;
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
