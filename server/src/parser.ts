// The one place that knows how web-tree-sitter is initialised and where the grammar wasm lives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Tree } from 'web-tree-sitter';
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
    await Parser.init({ locateFile: (name: string) => locateWasm(name.endsWith('.wasm') ? RUNTIME_FILE : name) });
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

export { Parser };
