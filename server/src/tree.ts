// A JavaScript mirror of a tree-sitter tree, built lazily: each node's children (with their types, spans and
// fields) are fetched from wasm once, on first use, and kept; text and positions come from the source string.
// The analysis walks the same subtrees many times, and every crossing into wasm costs far more than a
// property read. Children are read through one tree cursor rather than as web-tree-sitter `Node`s: no wrapper
// object per child, field names come with the walk, and a mirror node keeps only numbers (its descendant
// index finds it again in wasm when a query needs the real node).
import type { Language, Node as RawNode, Point, Tree as RawTree, TreeCursor } from 'web-tree-sitter';
import { type RuntimeCursor, runtimeCursor } from './runtimeCursor';

export class SyntaxTree {
  readonly rootNode: SyntaxNode;
  /** Type name and named-ness by type id: the language's tables, so a node costs one crossing for both. */
  private readonly typeNames: readonly (string | null)[];
  private readonly namedTypes: (boolean | undefined)[];
  private readonly fieldNames: readonly (string | null)[];
  private readonly fieldIds = new Map<string, number>();
  private cursorAtRoot?: TreeCursor;
  private directCursor?: RuntimeCursor | null;
  private lineStarts?: number[];
  private anyError?: boolean;

  constructor(
    readonly raw: RawTree,
    readonly text: string,
  ) {
    this.typeNames = raw.language.types;
    this.fieldNames = raw.language.fields;
    this.namedTypes = namedTypesOf(raw.language);
    const root = raw.rootNode;
    this.rootNode = new SyntaxNode(this, root.id, root.typeId, root.startIndex, root.endIndex, 0, root.descendantCount, 0, null);
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
    let named = this.namedTypes[typeId];
    if (named === undefined) {
      named = this.raw.language.nodeTypeIsNamed(typeId);
      this.namedTypes[typeId] = named;
    }
    return named;
  }

  /** The language's id of a field name (-1: no such field). */
  fieldId(name: string): number {
    let id = this.fieldIds.get(name);
    if (id === undefined) {
      id = this.fieldNames.indexOf(name);
      if (id <= 0) id = -1;
      this.fieldIds.set(name, id);
    }
    return id;
  }

  /** Whether the tree holds an error or a missing node anywhere (one crossing, asked once). */
  get hasAnyError(): boolean {
    this.anyError ??= this.raw.rootNode.hasError;
    return this.anyError;
  }

  /** A cursor on the given node (shared: valid until the next call). */
  private cursorAt(node: SyntaxNode): TreeCursor {
    const cursor = (this.cursorAtRoot ??= this.raw.walk());
    cursor.gotoDescendant(node.descendantIndex);
    return cursor;
  }

  /** The tree's cursor driven straight on the runtime, when it is reachable (null: use the public cursor). */
  private direct(): RuntimeCursor | null {
    if (this.directCursor === undefined) {
      this.cursorAtRoot ??= this.raw.walk();
      this.directCursor = runtimeCursor(this.raw, this.cursorAtRoot) ?? null;
    }
    return this.directCursor;
  }

  /** @internal The children of a mirror node, read from wasm (none to read when its subtree is itself). */
  childrenOf(node: SyntaxNode): SyntaxNode[] {
    if (node.subtreeSize === 1) return NO_CHILDREN;
    const list: SyntaxNode[] = [];
    const afterLast = node.descendantIndex + node.subtreeSize;
    // a child already handed out (by childForFieldName) stays the one mirror of its node
    const add = (id: number, typeId: number, start: number, end: number, index: number, next: number, field: number) => {
      const early = node.fieldChildren?.find((c) => c?.descendantIndex === index);
      list.push(early ?? new SyntaxNode(this, id, typeId, start, end, index, next - index, field, node));
    };
    const direct = this.direct();
    if (direct) {
      direct.children(node.descendantIndex, afterLast, (c, next) => {
        add(c.id, c.typeId, c.start, c.end, c.descendantIndex, next, c.fieldId);
        return true;
      });
      return list;
    }
    const cursor = this.cursorAt(node);
    if (cursor.gotoFirstChild()) {
      // a child's subtree runs up to the next child's pre-order index (the last one's, to the end of the parent's)
      let index = node.descendantIndex + 1;
      for (;;) {
        const id = cursor.nodeId;
        const typeId = cursor.nodeTypeId;
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        const field = cursor.currentFieldId;
        const more = cursor.gotoNextSibling();
        const next = more ? cursor.currentDescendantIndex : afterLast;
        add(id, typeId, start, end, index, next, field);
        if (!more) break;
        index = next;
      }
    }
    return list;
  }

  /** @internal The first child of a node in a field, read without reading the other children (null: none). */
  fieldChildOf(node: SyntaxNode, fieldId: number): SyntaxNode | null {
    if (node.subtreeSize === 1) return null;
    const afterLast = node.descendantIndex + node.subtreeSize;
    let found: SyntaxNode | null = null;
    const direct = this.direct();
    if (direct) {
      direct.children(node.descendantIndex, afterLast, (c, next) => {
        if (c.fieldId !== fieldId) return true;
        found = new SyntaxNode(this, c.id, c.typeId, c.start, c.end, c.descendantIndex, next - c.descendantIndex, fieldId, node);
        return false;
      });
      return found;
    }
    const cursor = this.cursorAt(node);
    if (!cursor.gotoFirstChild()) return null;
    do {
      if (cursor.currentFieldId !== fieldId) continue;
      const id = cursor.nodeId;
      const typeId = cursor.nodeTypeId;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const index = cursor.currentDescendantIndex;
      const next = cursor.gotoNextSibling() ? cursor.currentDescendantIndex : afterLast;
      return new SyntaxNode(this, id, typeId, start, end, index, next - index, fieldId, node);
    } while (cursor.gotoNextSibling());
    return null;
  }

  /** @internal The web-tree-sitter node behind a mirror node, for the queries answered in wasm. */
  rawOf(node: SyntaxNode): RawNode {
    if (node === this.rootNode) return this.raw.rootNode;
    return this.cursorAt(node).currentNode;
  }

  /** The mirror of a raw node of this tree (one per node), found by descending from the root (or from `from`, an ancestor). */
  wrap(raw: RawNode, from: SyntaxNode = this.rootNode): SyntaxNode {
    const id = raw.id;
    const start = raw.startIndex;
    const end = raw.endIndex;
    // depth first through the children that span the node (zero-width nodes may touch several): siblings are in
    // order and do not overlap, so they are the last ones starting at or before it, found by binary search
    const stack: SyntaxNode[] = [from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.id === id) return n;
      const kids = n.children;
      const lo = startingBy(kids, start);
      const spanning: SyntaxNode[] = [];
      for (let i = lo - 1; i >= 0 && kids[i].endIndex >= end; i--) spanning.push(kids[i]);
      // the first child in document order is tried first, as a pre-order search would
      for (const c of spanning) stack.push(c);
    }
    throw new Error(`node ${raw.type} at ${start} is not in this tree`);
  }

  delete(): void {
    this.cursorAtRoot?.delete();
    this.cursorAtRoot = undefined;
    this.directCursor = undefined;
    this.raw.delete();
  }
}

/** How many of `kids` (siblings, in order) start at or before `index`: found by binary search. */
function startingBy(kids: SyntaxNode[], index: number): number {
  let lo = 0;
  let hi = kids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (kids[mid].startIndex <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Named-ness by type id, per language: asked of wasm once per type, whichever tree meets it first. */
const namedTypesByLanguage = new WeakMap<Language, (boolean | undefined)[]>();

function namedTypesOf(language: Language): (boolean | undefined)[] {
  let named = namedTypesByLanguage.get(language);
  if (!named) namedTypesByLanguage.set(language, (named = []));
  return named;
}

export class SyntaxNode {
  readonly type: string;
  readonly isNamed: boolean;
  private startPoint?: Point;
  private endPoint?: Point;
  private childList?: SyntaxNode[];
  /** @internal First children by field id, read before the children were (entries kept by childrenOf). */
  fieldChildren?: (SyntaxNode | null | undefined)[];
  private namedList?: SyntaxNode[];
  private error?: boolean;
  private textCache?: string;

  constructor(
    readonly tree: SyntaxTree,
    readonly id: number,
    typeId: number,
    readonly startIndex: number,
    readonly endIndex: number,
    /** @internal Pre-order index of the node in the whole tree (where the tree cursor finds it). */
    readonly descendantIndex: number,
    /** @internal Nodes in its subtree, itself included (1: a leaf). */
    readonly subtreeSize: number,
    /** @internal The field of the parent this node fills (0: none). */
    readonly fieldId: number,
    private readonly parentNode: SyntaxNode | null,
  ) {
    this.type = tree.typeName(typeId);
    this.isNamed = tree.isNamedType(typeId);
  }

  get startPosition(): Point {
    this.startPoint ??= this.tree.pointAt(this.startIndex);
    return this.startPoint;
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
    return this.parentNode;
  }

  get children(): SyntaxNode[] {
    this.childList ??= this.tree.childrenOf(this);
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
    // a tree without any error answers for all its nodes
    this.error ??= this.tree.hasAnyError && this.tree.rawOf(this).hasError;
    return this.error;
  }

  childForFieldName(name: string): SyntaxNode | null {
    if (this.type === 'ERROR') {
      // tree-sitter answers no field of an ERROR node here, though its children may keep the fields they had
      const raw = this.tree.rawOf(this).childForFieldName(name);
      return raw ? this.tree.wrap(raw, this) : null;
    }
    const field = this.tree.fieldId(name);
    const kids = this.childList;
    if (!kids) {
      // one field of a node whose children are not read yet (a definition's name, say): that child only
      if (field < 0) return null;
      this.fieldChildren ??= [];
      let child = this.fieldChildren[field];
      if (child === undefined) child = this.fieldChildren[field] = this.tree.fieldChildOf(this, field);
      return child;
    }
    for (let i = 0; i < kids.length; i++) if (kids[i].fieldId === field) return kids[i];
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.fieldId(name);
    return this.children.filter((c) => c.fieldId === field);
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

  /** Matching descendants, found in wasm (only the matches and the way to them are mirrored). */
  descendantsOfType(types: string | string[]): SyntaxNode[] {
    return this.tree
      .rawOf(this)
      .descendantsOfType(types)
      .filter((n): n is RawNode => n !== null)
      .map((n) => this.tree.wrap(n, this));
  }

  /**
   * The texts of the descendants of the given type (leaving out those whose parent is of type `notUnder`), in
   * document order, found in wasm without mirroring them: for questions about the names of a whole module.
   */
  descendantTexts(type: string, notUnder?: string): string[] {
    const text = this.tree.text;
    const texts: string[] = [];
    for (const n of this.tree.rawOf(this).descendantsOfType(type)) {
      if (n && (notUnder === undefined || n.parent?.type !== notUnder)) texts.push(text.slice(n.startIndex, n.endIndex));
    }
    return texts;
  }

  /** The smallest node, named or not, spanning the UTF-16 range [start, end). */
  descendantForIndex(start: number, end: number): SyntaxNode | null {
    if (start < end) {
      // siblings do not overlap, so at most one child spans a non-empty range: the chain down is tree-sitter's
      // (the last child starting at or before the range is the only one that can span it)
      let node: SyntaxNode = this;
      for (;;) {
        const kids = node.children;
        const lo = startingBy(kids, start);
        const c = lo > 0 ? kids[lo - 1] : null;
        if (!c || c.endIndex < end) return node;
        node = c;
      }
    }
    const raw = this.tree.rawOf(this).descendantForIndex(start, end);
    return raw ? this.tree.wrap(raw, this) : null;
  }

  descendantForPosition(point: Point): SyntaxNode | null {
    const raw = this.tree.rawOf(this).descendantForPosition(point);
    return raw ? this.tree.wrap(raw, this) : null;
  }
}

/** The children of every leaf (shared, frozen: the lists the mirror hands out are read, never changed). */
const NO_CHILDREN: SyntaxNode[] = Object.freeze([]) as unknown as SyntaxNode[];

export type { Point };

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
