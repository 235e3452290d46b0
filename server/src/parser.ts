// The one place that knows how web-tree-sitter is initialised and where the grammar wasm lives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, type Point, Tree } from 'web-tree-sitter';
import { adoptRuntime } from './runtimeCursor';
import { type SyntaxNode, SyntaxTree } from './tree';

export type { Tree, Point } from 'web-tree-sitter';
export { SyntaxNode, SyntaxTree } from './tree';
export { Edit } from 'web-tree-sitter';

const GRAMMAR_FILE = 'tree-sitter-python.wasm';
const RUNTIME_FILE = 'web-tree-sitter.wasm';

/** Directories searched for the wasm files: next to the bundle (dist/), the repo's grammars/, node_modules. */
function candidateDirs(): string[] {
  const dirs = [__dirname, path.join(__dirname, '..', 'grammars')];
  for (let up = 1; up <= 4; up++) dirs.push(path.join(__dirname, ...Array(up).fill('..'), 'grammars'));
  try {
    dirs.push(path.dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm')));
  } catch {
    // bundled: no node_modules, the wasm sits next to the bundle
  }
  return dirs;
}

export function locateWasm(file: string): string {
  for (const dir of candidateDirs()) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${file} (looked next to ${__dirname} and in grammars/)`);
}

let ready: Promise<Language> | undefined;

/** Initialises the runtime once and loads the Python grammar. */
export function loadPython(): Promise<Language> {
  ready ??= (async () => {
    const options = { locateFile: (name: string) => locateWasm(name.endsWith('.wasm') ? RUNTIME_FILE : name) };
    await Parser.init(options);
    // Emscripten returns this object as the runtime's module: the mirror steps its cursor on it directly
    adoptRuntime(options);
    return Language.load(fs.readFileSync(locateWasm(GRAMMAR_FILE)));
  })();
  return ready;
}

export async function createParser(): Promise<Parser> {
  const language = await loadPython();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses `text`, reusing `oldTree` (already `edit`ed) when given. Never returns null. */
export function parseText(parser: Parser, text: string, oldTree?: Tree | null): Tree {
  const tree = parser.parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Parses `text` into a mirrored tree for the analysis and the rewrites (call `delete()` when done). */
export function parseSyntax(parser: Parser, text: string): SyntaxTree {
  return new SyntaxTree(parseText(parser, text), text);
}

/**
 * Parses `text`, a variant of `base`'s text (a rewrite of it), reusing `base`'s tree: the part that differs
 * (between their common prefix and suffix) is marked as edited on a copy of the tree, so that only what it
 * touches is parsed again. The result is the tree a parse from scratch gives.
 */
export function parseVariant(parser: Parser, base: SyntaxTree, text: string): SyntaxTree {
  return new SyntaxTree(parseEdited(parser, base.text, base.raw, text), text);
}

/**
 * The `parse` a rewrite is handed: each text parsed as a variant of the closest text parsed before it (the one
 * sharing the longest prefix and suffix with it) — base's, or one of the rewrite's steps: the module after the
 * loop is rewritten, then after the guard; the small snippets the rewrite parses on the way (a worker's body,
 * a definition) are never a good start for the next module text, which would then be parsed from scratch and
 * make a file's fixes cost its size once each. The same text twice costs nothing. Every tree returned is the
 * caller's to delete; `dispose()` frees what the parser keeps.
 */
export function variantParser(parser: Parser, base?: SyntaxTree): VariantParser {
  const parsed: Array<{ text: string; raw: Tree }> = [];
  const parse = (text: string): SyntaxTree => {
    if (base && base.text === text) return new SyntaxTree(base.raw.copy(), text);
    const same = parsed.find((p) => p.text === text);
    if (same) return new SyntaxTree(same.raw.copy(), text);
    let from: { text: string; raw: Tree } | undefined = base ? { text: base.text, raw: base.raw } : undefined;
    let shared = from ? sharedEnds(from.text, text) : 0;
    for (const p of parsed) {
      const n = sharedEnds(p.text, text);
      if (n > shared) [from, shared] = [p, n];
    }
    // too little in common to be worth an edit (a snippet after a module, whose edit would remove nearly all of
    // the module's tree: that costs more than parsing the snippet), or the first text without a base
    const raw = from && shared >= text.length / 2 ? parseEdited(parser, from.text, from.raw, text) : parseText(parser, text);
    parsed.push({ text, raw: raw.copy() });
    return new SyntaxTree(raw, text);
  };
  return {
    parse,
    changedStatements: (text: string) => (base ? changedStatements(parser, base, text) : null),
    dispose(): void {
      for (const p of parsed) p.raw.delete();
      parsed.length = 0;
    },
  };
}

export interface VariantParser {
  parse: (text: string) => SyntaxTree;
  /** The top-level statements of `text` that differ from base's, parsed alone (see changedStatements). */
  changedStatements: (text: string) => ChangedStatements | null;
  dispose: () => void;
}

/**
 * A variant of a module read as base's top-level statements where the texts agree and, between them, the
 * statements of the variant's text that differ, parsed alone: what a parse of the whole variant gives, at the cost
 * of the part that changed (tree-sitter's own reparse of a whole module, even an edited copy, costs in proportion
 * to its statements). Top-level statements parse independently of each other; one unchanged statement is kept on
 * each side of the change, so that the text around it parses as it did.
 */
export interface ChangedStatements {
  /** Base's top-level statements before the change (their offsets hold in the variant). */
  before: readonly SyntaxNode[];
  /** The variant's top-level statements in place of base's `[baseStart, baseEnd)`, with their offsets in the variant. */
  changed: readonly SyntaxNode[];
  /** Base's top-level statements after the change (offsets in the variant: theirs + `shift`). */
  after: readonly SyntaxNode[];
  baseStart: number;
  baseEnd: number;
  shift: number;
  /** Frees the tree of the changed statements. */
  dispose: () => void;
}

/**
 * The variant `text` of base's text as ChangedStatements, or null when it cannot be read so (base or the changed
 * statements do not parse cleanly, a module without statements, or nothing changed).
 */
function changedStatements(parser: Parser, base: SyntaxTree, text: string): ChangedStatements | null {
  if (base.hasAnyError || text === base.text) return null;
  const top = base.rootNode.namedChildren;
  if (top.length === 0) return null;
  const old = base.text;
  const { prefix, suffix } = commonEnds(old, text);
  const changedEnd = old.length - suffix;
  // the first statement reaching the change, and one before it; the last starting within it, and one after it
  let first = top.findIndex((st) => st.endIndex >= prefix);
  if (first < 0) first = top.length;
  first = Math.max(0, first - 1);
  let last = -1;
  for (let i = 0; i < top.length; i++) if (top[i].startIndex <= changedEnd) last = i;
  last = Math.min(top.length - 1, last + 1);
  const baseStart = first < top.length && top[first].startIndex <= prefix ? top[first].startIndex : 0;
  const baseEnd = last >= 0 && top[last].endIndex >= changedEnd ? top[last].endIndex : old.length;
  const shift = text.length - old.length;
  const end = baseEnd + shift;
  if (end < baseStart) return null;
  const raw = parser.parse(text, null, {
    includedRanges: [{ startIndex: baseStart, endIndex: end, startPosition: pointIn(text, baseStart), endPosition: pointIn(text, end) }],
  });
  if (!raw) return null;
  const tree = new SyntaxTree(raw, text);
  if (tree.hasAnyError) {
    raw.delete();
    return null;
  }
  return {
    before: top.filter((st) => st.endIndex <= baseStart),
    changed: tree.rootNode.namedChildren.filter((st) => st.startIndex >= baseStart && st.endIndex <= end),
    after: top.filter((st) => st.startIndex >= baseEnd),
    baseStart,
    baseEnd,
    shift,
    dispose: () => raw.delete(),
  };
}

/** How many characters two texts share at their start and end together (what an edit from one to the other keeps). */
function sharedEnds(a: string, b: string): number {
  const { prefix, suffix } = commonEnds(a, b);
  return prefix + suffix;
}

function commonEnds(old: string, text: string): { prefix: number; suffix: number } {
  let prefix = 0;
  const shorter = Math.min(old.length, text.length);
  while (prefix < shorter && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** Parses `text` reusing `oldRaw`, the tree of `old`, with the span where they differ marked as edited. */
function parseEdited(parser: Parser, old: string, oldRaw: Tree, text: string): Tree {
  const { prefix, suffix } = commonEnds(old, text);
  const copy = oldRaw.copy();
  try {
    copy.edit(
      new Edit({
        startIndex: prefix,
        oldEndIndex: old.length - suffix,
        newEndIndex: text.length - suffix,
        startPosition: pointIn(old, prefix),
        oldEndPosition: pointIn(old, old.length - suffix),
        newEndPosition: pointIn(text, text.length - suffix),
      }),
    );
    return parseText(parser, text, copy);
  } finally {
    copy.delete();
  }
}

/** Row and UTF-16 column of an index, as tree-sitter counts them. */
function pointIn(text: string, index: number): Point {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let row = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) row++;
  return { row, column: index - lineStart };
}

export { Parser };
