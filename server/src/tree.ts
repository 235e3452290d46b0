// A JavaScript mirror of a tree-sitter tree, built lazily: each node's children, fields, parent and flags
// are fetched from wasm once, on first use, and kept; text is sliced from the source string. The analysis
// walks the same subtrees many times, and every crossing into wasm costs far more than a property read.
import type { Node as RawNode, Point, Tree as RawTree } from 'web-tree-sitter';

export class SyntaxTree {
  private readonly nodes = new Map<number, SyntaxNode>();
  readonly rootNode: SyntaxNode;
  /** Type name and named-ness by type id: the language's tables, so a node costs one crossing for both. */
  private readonly typeNames: readonly (string | null)[];
  private readonly namedTypes = new Map<number, boolean>();
  private lineStarts?: number[];

  constructor(
    readonly raw: RawTree,
    readonly text: string,
  ) {
    this.typeNames = raw.language.types;
    this.rootNode = this.wrap(raw.rootNode, null);
  }

  /** Row and UTF-16 column of an index, as tree-sitter counts them (rows end at `\n`). */
  pointAt(index: number): Point {
    this.lineStarts ??= lineStartsOf(this.text);
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }

  typeName(typeId: number): string {
    return this.typeNames[typeId] || 'ERROR';
  }

  isNamedType(typeId: number): boolean {
    let named = this.namedTypes.get(typeId);
    if (named === undefined) {
      named = this.raw.language.nodeTypeIsNamed(typeId);
      this.namedTypes.set(typeId, named);
    }
    return named;
  }

  /** The mirror of a raw node (one per node id). */
  wrap(raw: RawNode, parent?: SyntaxNode | null): SyntaxNode {
    let node = this.nodes.get(raw.id);
    if (!node) {
      node = new SyntaxNode(this, raw, parent);
      this.nodes.set(raw.id, node);
    }
    return node;
  }

  delete(): void {
    this.nodes.clear();
    this.raw.delete();
  }
}

export class SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly isNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  private endPoint?: Point;
  private parentNode: SyntaxNode | null | undefined;
  private childList?: SyntaxNode[];
  private namedList?: SyntaxNode[];
  private fields?: Map<string, SyntaxNode[]>;
  private firstOfField?: Map<string, SyntaxNode | null>;
  private error?: boolean;
  private textCache?: string;

  constructor(
    readonly tree: SyntaxTree,
    private readonly raw: RawNode,
    parent: SyntaxNode | null | undefined,
  ) {
    this.id = raw.id;
    // the start comes with the node; its type id and end cost one call into wasm each, the rest is looked up
    // in JS (what the analysis and the hovers read stays valid after the wasm tree is deleted)
    const typeId = raw.typeId;
    this.type = tree.typeName(typeId);
    this.isNamed = tree.isNamedType(typeId);
    this.startIndex = raw.startIndex;
    this.endIndex = raw.endIndex;
    this.startPosition = raw.startPosition;
    this.parentNode = parent;
  }

  get endPosition(): Point {
    this.endPoint ??= this.tree.pointAt(this.endIndex);
    return this.endPoint;
  }

  get text(): string {
    this.textCache ??= this.tree.text.slice(this.startIndex, this.endIndex);
    return this.textCache;
  }

  get parent(): SyntaxNode | null {
    if (this.parentNode === undefined) {
      const raw = this.raw.parent;
      this.parentNode = raw ? this.tree.wrap(raw) : null;
    }
    return this.parentNode;
  }

  get children(): SyntaxNode[] {
    if (!this.childList) {
      this.childList = this.raw.children.filter((c): c is RawNode => c !== null).map((c) => this.tree.wrap(c, this));
    }
    return this.childList;
  }

  get namedChildren(): SyntaxNode[] {
    this.namedList ??= this.children.filter((c) => c.isNamed);
    return this.namedList;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get hasError(): boolean {
    this.error ??= this.raw.hasError;
    return this.error;
  }

  private fieldMap(): Map<string, SyntaxNode[]> {
    if (!this.fields) {
      this.fields = new Map();
      const kids = this.children;
      for (let i = 0; i < kids.length; i++) {
        const name = this.raw.fieldNameForChild(i);
        if (!name) continue;
        const list = this.fields.get(name);
        if (list) list.push(kids[i]);
        else this.fields.set(name, [kids[i]]);
      }
    }
    return this.fields;
  }

  childForFieldName(name: string): SyntaxNode | null {
    if (this.fields) return this.fields.get(name)?.[0] ?? null;
    // one lookup in wasm rather than the field names of all children
    this.firstOfField ??= new Map();
    let child = this.firstOfField.get(name);
    if (child === undefined) {
      const raw = this.raw.childForFieldName(name);
      child = raw ? this.tree.wrap(raw, this) : null;
      this.firstOfField.set(name, child);
    }
    return child;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.fieldMap().get(name) ?? [];
  }

  private siblings(): SyntaxNode[] {
    return this.parent?.children ?? [this];
  }

  get previousSibling(): SyntaxNode | null {
    const s = this.siblings();
    const i = s.indexOf(this);
    return i > 0 ? s[i - 1] : null;
  }

  get nextSibling(): SyntaxNode | null {
    const s = this.siblings();
    const i = s.indexOf(this);
    return i >= 0 && i + 1 < s.length ? s[i + 1] : null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const s = this.siblings();
    for (let i = s.indexOf(this) - 1; i >= 0; i--) if (s[i].isNamed) return s[i];
    return null;
  }

  /** Matching descendants, found in wasm (only the matches are mirrored). */
  descendantsOfType(types: string | string[]): SyntaxNode[] {
    return this.raw.descendantsOfType(types).filter((n): n is RawNode => n !== null).map((n) => this.tree.wrap(n));
  }

  /** The smallest node, named or not, spanning the UTF-16 range [start, end). */
  descendantForIndex(start: number, end: number): SyntaxNode | null {
    const raw = this.raw.descendantForIndex(start, end);
    return raw ? this.tree.wrap(raw) : null;
  }

  descendantForPosition(point: Point): SyntaxNode | null {
    const raw = this.raw.descendantForPosition(point);
    return raw ? this.tree.wrap(raw) : null;
  }
}

export type { Point };

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
