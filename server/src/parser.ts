// The one place that knows how web-tree-sitter is initialised and where the grammar wasm lives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, type Point, Tree } from 'web-tree-sitter';
import { adoptRuntime } from './runtimeCursor';
import { SyntaxTree } from './tree';

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
 * The `parse` a rewrite is handed: each text parsed as a variant of the one parsed before it (the rewrite's
 * steps each change a little of the previous step's text: the loop, then the guard, then the imports), the
 * first as a variant of `base`; the same text twice costs nothing. Every tree returned is the caller's to
 * delete; `dispose()` frees what the parser keeps.
 */
export function variantParser(parser: Parser, base?: SyntaxTree): { parse: (text: string) => SyntaxTree; dispose: () => void } {
  let last: { text: string; raw: Tree } | undefined;
  return {
    parse(text: string): SyntaxTree {
      if (last && last.text === text) return new SyntaxTree(last.raw.copy(), text);
      const from = last ?? (base ? { text: base.text, raw: base.raw } : undefined);
      const raw = from ? parseEdited(parser, from.text, from.raw, text) : parseText(parser, text);
      last?.raw.delete();
      last = { text, raw: raw.copy() };
      return new SyntaxTree(raw, text);
    },
    dispose(): void {
      last?.raw.delete();
      last = undefined;
    },
  };
}

/** Parses `text` reusing `oldRaw`, the tree of `old`, with the span where they differ marked as edited. */
function parseEdited(parser: Parser, old: string, oldRaw: Tree, text: string): Tree {
  let prefix = 0;
  const shorter = Math.min(old.length, text.length);
  while (prefix < shorter && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
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
