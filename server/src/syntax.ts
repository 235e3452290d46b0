// Small helpers over tree-sitter nodes shared by the analysis and the transforms.
import type { SyntaxNode } from './parser';

export interface Span {
  /** 0-based line and UTF-16 column, as tree-sitter and LSP both count them. */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export function spanOf(node: SyntaxNode, end: SyntaxNode = node): Span {
  return {
    startLine: node.startPosition.row,
    startColumn: node.startPosition.column,
    endLine: end.endPosition.row,
    endColumn: end.endPosition.column,
  };
}

/** 1-based line of a node, for messages. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** Statements that leave the block they are in: what follows them there does not run. */
export const JUMP_STATEMENTS = ['continue_statement', 'break_statement', 'return_statement', 'raise_statement'];

/** Node types that open a new Python scope (names bound inside do not leak out). */
export const SCOPE_TYPES = new Set([
  'function_definition',
  'class_definition',
  'lambda',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

export const COMPREHENSION_TYPES = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

/** Nodes whose body can run more than once each time the code around them runs: loops and comprehensions. */
export const REPEATING_TYPES = new Set(['for_statement', 'while_statement', ...COMPREHENSION_TYPES]);

/** The mirror's own (cached) list, never null entries: read it, do not change it. */
export function namedChildren(node: SyntaxNode): readonly SyntaxNode[] {
  return node.namedChildren;
}

export function children(node: SyntaxNode): readonly SyntaxNode[] {
  return node.children;
}

/** Depth-first pre-order walk; return false from `visit` to skip a node's children. Iterative: no stack limit. */
export function walk(node: SyntaxNode, visit: (n: SyntaxNode) => boolean | void): void {
  const stack: SyntaxNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids = n.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

export function descendantsOfTypes(node: SyntaxNode, types: Set<string>, stopAtScopes = false): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  walk(node, (n) => {
    if (n.id !== node.id && stopAtScopes && SCOPE_TYPES.has(n.type)) return false;
    if (types.has(n.type)) found.push(n);
    return true;
  });
  return found;
}

export function ancestor(node: SyntaxNode, predicate: (n: SyntaxNode) => boolean): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (predicate(p)) return p;
  return null;
}

export function isAncestorOf(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex && outer.id !== inner.id;
}

/** The innermost enclosing function definition (or null at module level). */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  return ancestor(node, (n) => n.type === 'function_definition');
}

export function isAsyncFunction(fn: SyntaxNode): boolean {
  return children(fn).some((c) => c.type === 'async');
}

/** The statement nodes of a block or module. */
export function statementsOf(block: SyntaxNode | null): SyntaxNode[] {
  if (!block) return [];
  return namedChildren(block).filter((c) => c.type !== 'comment');
}

/** The individual targets of an assignment / for / del pattern (tuples, lists and starred unpacked). */
export function flattenTargets(node: SyntaxNode): SyntaxNode[] {
  switch (node.type) {
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
    case 'list_splat':
    case 'delete_statement':
      return namedChildren(node).flatMap(flattenTargets);
    default:
      return [node];
  }
}

/** Names bound by an assignment / for target pattern (identifiers, tuples, lists, starred). */
export function boundNames(target: SyntaxNode | null): string[] {
  if (!target) return [];
  return flattenTargets(target)
    .filter((t) => t.type === 'identifier')
    .map((t) => t.text);
}

/** True when a target pattern consists only of plain names (no attribute or subscript targets). */
export function isNamePattern(target: SyntaxNode): boolean {
  switch (target.type) {
    case 'identifier':
      return true;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
      return namedChildren(target).every(isNamePattern);
    case 'list_splat_pattern':
      return namedChildren(target).length === 1 && namedChildren(target)[0].type === 'identifier';
    default:
      return false;
  }
}

/** Dotted name of `a.b.c` (identifiers and attributes only), else null. */
export function dottedName(node: SyntaxNode | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    return object && attr ? `${object}.${attr.text}` : null;
  }
  return null;
}

/** The indentation (leading whitespace) of the line a node starts on. */
export function lineIndent(text: string, node: SyntaxNode): string {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, node.startIndex));
  return m ? m[0] : '';
}

export function isMainGuard(node: SyntaxNode): boolean {
  if (node.type !== 'if_statement') return false;
  const cond = node.childForFieldName('condition');
  if (!cond || cond.type !== 'comparison_operator') return false;
  const text = cond.text.replace(/\s+/g, '').replace(/'/g, '"');
  return text === '__name__=="__main__"' || text === '"__main__"==__name__';
}

/** Named descendants of the given types (web-tree-sitter also returns anonymous keyword tokens like `lambda`). */
export function descendantsNamed(node: SyntaxNode, types: string | string[]): SyntaxNode[] {
  return node.descendantsOfType(types).filter((n): n is SyntaxNode => n !== null && n.isNamed);
}

/**
 * Whether a tree holds a syntax error, counting what tree-sitter-python accepts but Python rejects:
 * a compound statement whose block is empty (`for x in xs:` followed by a dedented line), an indented
 * module-level statement.
 */
export function hasSyntaxError(root: SyntaxNode): boolean {
  if (root.hasError) return true;
  // a module-level statement that does not start in column 0 is Python's "unexpected indent" (a byte-order mark
  // before the first line is the file's encoding, not indentation: column 1 there is column 0 to Python)
  const bom = root.type === 'module' && root.tree.text.charCodeAt(0) === 0xfeff;
  // (`x = 1; print(x)`: a statement after a `;` does not start its line)
  if (root.type === 'module' && root.namedChildren.some((s) => s.type !== 'comment' && s.startPosition.column > (bom && s.startPosition.row === 0 ? 1 : 0) && startsLine(s))) return true;
  let empty = false;
  walk(root, (n) => {
    if (empty) return false;
    if ((n.type === 'block' && n.namedChildCount === 0) || handlerless(n) || misindented(n) !== null) empty = true;
    return true;
  });
  return empty;
}

/** Whether only whitespace comes before `node` on its line (a statement after a `;` does not start its line). */
function startsLine(node: SyntaxNode): boolean {
  const text = node.tree.text;
  return /^[ \t\f\ufeff]*$/.test(text.slice(text.lastIndexOf('\n', node.startIndex - 1) + 1, node.startIndex));
}

/**
 * The first statement of a block that starts its line at another column than the block's first one (Python's
 * "unexpected indent", which the grammar folds into the block: `break` then a line indented deeper), or null.
 */
function misindented(n: SyntaxNode): SyntaxNode | null {
  if (n.type !== 'block') return null;
  const text = n.tree.text;
  const prefix = (c: SyntaxNode) => text.slice(text.lastIndexOf('\n', c.startIndex - 1) + 1, c.startIndex);
  // the column Python sees: a tab moves to the next multiple of eight (a mix it reads both ways is TabError's)
  const column = (c: SyntaxNode) => [...prefix(c)].reduce((col, ch) => (ch === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1), 0);
  const statements = n.namedChildren.filter((c) => c.type !== 'comment' && startsLine(c));
  const first = statements[0] ? column(statements[0]) : 0;
  return statements.find((c) => column(c) !== first) ?? null;
}

/** A `try:` with neither an `except` nor a `finally` (the grammar accepts it; Python does not). */
function handlerless(n: SyntaxNode): boolean {
  return n.type === 'try_statement' && !n.namedChildren.some((c) => c.type === 'except_clause' || c.type === 'except_group_clause' || c.type === 'finally_clause');
}

/** The 0-based line of the first syntax error of a tree that has one (hasSyntaxError), as Python would report it. */
export function syntaxErrorLine(root: SyntaxNode): number {
  let line: number | null = null;
  walk(root, (n) => {
    if (line !== null) return false;
    if (n.type === 'ERROR' || (n.hasError && n.childCount === 0) || (n.type === 'block' && n.namedChildCount === 0) || handlerless(n)) line = n.startPosition.row;
    else if (misindented(n)) line = misindented(n)!.startPosition.row;
    return line === null;
  });
  // else a module-level statement indented: Python's "unexpected indent"
  return line ?? root.namedChildren.find((c) => c.type !== 'comment' && c.startPosition.column > 0 && startsLine(c))?.startPosition.row ?? 0;
}

/**
 * The first line whose indentation Python 3 refuses for mixing tabs and spaces (TabError, "unindent does not match
 * any outer indentation level"), which the grammar accepts: compared with tabs as 8 columns and as 1, the indents
 * of one block must agree, and a block must be deeper than its header both ways. 0-based, or null.
 */
export function inconsistentIndentation(root: SyntaxNode, text: string): number | null {
  if (!text.includes('\t')) return null;
  const measure = (n: SyntaxNode): [number, number] | null => {
    const start = text.lastIndexOf('\n', n.startIndex - 1) + 1;
    const prefix = text.slice(start, n.startIndex);
    if (/[^ \t\f]/.test(prefix)) return null;
    let eight = 0;
    let one = 0;
    for (const ch of prefix) {
      if (ch === '\t') {
        eight = (Math.floor(eight / 8) + 1) * 8;
        one += 1;
      } else if (ch === ' ') {
        eight += 1;
        one += 1;
      }
    }
    return [eight, one];
  };
  let found: number | null = null;
  walk(root, (n) => {
    if (found !== null) return false;
    if (n.type !== 'block') return true;
    const header = n.parent ? measure(n.parent) : null;
    let first: [number, number] | null = null;
    for (const statement of n.namedChildren) {
      if (statement.type === 'comment') continue;
      const m = measure(statement);
      if (!m) continue;
      if (header && (m[0] > header[0]) !== (m[1] > header[1])) found = statement.startPosition.row;
      else if (first && (m[0] === first[0]) !== (m[1] === first[1])) found = statement.startPosition.row;
      first ??= m;
      if (found !== null) return false;
    }
    return true;
  });
  return found;
}

/** `word` with no ASCII letter or `_` before it and no ASCII letter, digit or `_` after it. */
function wordPattern(word: string): RegExp {
  let pattern = wordPatterns.get(word);
  if (!pattern) {
    if (wordPatterns.size >= 4096) wordPatterns.clear();
    pattern = new RegExp(`(?<![A-Za-z_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
    wordPatterns.set(word, pattern);
  }
  // global patterns carry their position: every user sets lastIndex before searching
  return pattern;
}

/** Compiled word patterns, by word (names recur across a module and across modules). */
const wordPatterns = new Map<string, RegExp>();

/**
 * Where `word` (as wordPattern has it) starts in text[from, to) — a match may run past `to` — scanning only that
 * part of the text (and the characters around it), one match after the other as a global regular expression does.
 */
function wordMatches(text: string, word: string, from: number, to: number): number[] {
  const lo = Math.max(0, from - 1);
  const window = text.slice(lo, Math.min(text.length, to + word.length + 1));
  const pattern = wordPattern(word);
  pattern.lastIndex = from - lo;
  const found: number[] = [];
  for (let m = pattern.exec(window); m && lo + m.index < to; m = pattern.exec(window)) found.push(lo + m.index);
  return found;
}

const rootMatches = new WeakMap<object, Map<string, number[]>>();

/**
 * Whether `name` may appear as a name token in the tree's text [from, to): a superset (only ASCII letters and
 * `_` before it, or ASCII letters, digits and `_` after it, rule it out). Only that part of the text is read.
 */
export function spellsName(node: SyntaxNode, name: string, from: number, to: number): boolean {
  // the first occurrence from `from` on is the one that ends soonest
  const text = node.tree.text;
  const lo = Math.max(0, from - 1);
  const pattern = wordPattern(name);
  const window = text.slice(lo, Math.min(text.length, to + 1));
  pattern.lastIndex = from - lo;
  const m = pattern.exec(window);
  return m !== null && lo + m.index + name.length <= to;
}

/** Whether `node.text.includes(word)`, reading that part of the text without copying it. */
export function textIncludes(node: SyntaxNode, word: string): boolean {
  return node.tree.text.slice(node.startIndex, node.endIndex).includes(word);
}

/**
 * The tokens spelled `word` of the given node type inside `node`, in document order, found from the text and
 * checked against the tree: no walk of the whole tree (even inside wasm one costs a good part of a parse).
 * No \b before the word: Python reads `1for` as `1 for`; words that merely contain it are told apart by
 * their node.
 */
export function tokensSpelled(node: SyntaxNode, word: string, type: string = word): SyntaxNode[] {
  const text = node.tree.text;
  let at: number[];
  if (node === node.tree.rootNode) {
    // the whole text: scanned once per tree and word
    let byWord = rootMatches.get(node.tree);
    if (!byWord) rootMatches.set(node.tree, (byWord = new Map()));
    at = byWord.get(word) ?? wordMatches(text, word, node.startIndex, node.endIndex);
    byWord.set(word, at);
  } else at = wordMatches(text, word, node.startIndex, node.endIndex);
  const found: SyntaxNode[] = [];
  for (const index of at) {
    const token = node.descendantForIndex(index, index + word.length);
    if (token && token.type === type && token.startIndex === index) found.push(token);
  }
  return found;
}

/**
 * An expression's text as an operand: a bare tuple (`for p in a, b:`) gets its parentheses, so that it stays
 * one iterable as an argument or after `in` in a comprehension.
 */
export function operandText(node: SyntaxNode): string {
  return node.type === 'expression_list' ? `(${node.text})` : node.text;
}

/**
 * The first statement only Python 2 accepts, which tree-sitter-python still parses: a `print` or `exec`
 * statement (`print x`, `print >>f, x`, `exec code`), `except E, e:`, or an unconditional import of a module only
 * Python 2 has (`import urllib2`, `from urlparse import urljoin`). Python 3 rejects each, so the file is
 * Python 2 code; the rewrites are Python 3 (`with Pool() as p`, `concurrent.futures`, f-strings), so none is
 * offered there. Found from the keywords' text, checked against their nodes (no walk of the tree).
 */
export function python2Statement(root: SyntaxNode, targetVersion: readonly [number, number] = [3, 0]): { line: number; what: string } | null {
  const found: Array<{ line: number; what: string; index: number }> = [];
  for (const [word, type] of [['print', 'print_statement'], ['exec', 'exec_statement']] as const) {
    const token = tokensSpelled(root, word).find((t) => t.parent?.type === type);
    if (token) found.push({ line: token.startPosition.row + 1, what: `${word === 'exec' ? 'an' : 'a'} \`${word}\` statement`, index: token.startIndex });
  }
  // (from 3.14 on, `except A, B:` catches either: a project that needs 3.14 writes Python 3 so)
  const commaCatches = targetVersion[0] > 3 || (targetVersion[0] === 3 && targetVersion[1] >= 14);
  const comma = commaCatches ? undefined : tokensSpelled(root, 'except').find((t) => t.parent?.type === 'except_clause' && t.parent.childrenForFieldName('value').length > 1);
  if (comma) found.push({ line: comma.startPosition.row + 1, what: '`except E, name:`', index: comma.startIndex });
  const imported = python2Import(root);
  if (imported) found.push(imported);
  const unpacked = tupleParameter(root);
  if (unpacked) found.push(unpacked);
  found.sort((a, b) => a.index - b.index);
  return found[0] ? { line: found[0].line, what: found[0].what } : null;
}

/** A parameter unpacking a tuple (`def worker((first, last)):`, `lambda (k, v): v`), which Python 3 removed. */
function tupleParameter(root: SyntaxNode): { line: number; what: string; index: number } | null {
  for (const m of root.text.matchAll(/\b(?:def\s+\w+\s*\(\s*|lambda\s*)\(/g)) {
    const at = m.index! + m[0].length - 1;
    const node = root.descendantForIndex(at, at + 1);
    const pattern = node?.parent?.type === 'tuple_pattern' ? node.parent : null;
    if (pattern && (pattern.parent?.type === 'parameters' || pattern.parent?.type === 'lambda_parameters')) {
      return { line: pattern.startPosition.row + 1, what: 'a parameter unpacking a tuple', index: pattern.startIndex };
    }
  }
  return null;
}

/** Modules of Python 2's standard library that Python 3 renamed or removed (`urllib2`, `urlparse`, `Queue`…). */
const PYTHON2_MODULES = new Set([
  'urllib2', 'urlparse', 'httplib', 'cookielib', 'Queue', 'ConfigParser', 'cPickle', 'cStringIO', 'StringIO', '__builtin__',
  'HTMLParser', 'htmlentitydefs', 'Tkinter', 'tkMessageBox', 'SocketServer', 'BaseHTTPServer', 'SimpleHTTPServer',
  'CGIHTTPServer', 'xmlrpclib', 'SimpleXMLRPCServer', 'dummy_thread', 'robotparser', 'anydbm', 'dbhash',
]);

/**
 * An import of a module only Python 2 has, written unconditionally at the module's top level (not in a `try` that
 * falls back to Python 3's name, nor under an `if`): Python 3 raises ImportError there, so the file is Python 2 code.
 */
function python2Import(root: SyntaxNode): { line: number; what: string; index: number } | null {
  for (const statement of namedChildren(root)) {
    let modules: SyntaxNode[] = [];
    if (statement.type === 'import_statement') modules = statement.childrenForFieldName('name').map((n) => (n.type === 'aliased_import' ? n.childForFieldName('name') ?? n : n));
    else if (statement.type === 'import_from_statement') modules = [statement.childForFieldName('module_name')].filter((n): n is SyntaxNode => !!n);
    const old = modules.find((m) => PYTHON2_MODULES.has(m.text.split('.')[0]));
    if (old) return { line: statement.startPosition.row + 1, what: `an import of \`${old.text.split('.')[0]}\`, a module only Python 2 has`, index: statement.startIndex };
  }
  return null;
}

/** The values a function returns (its `return` statements, not those of nested functions); [] when one is bare. */
export function returnedValues(fn: SyntaxNode): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  let bare = false;
  const visit = (n: SyntaxNode) => {
    for (const c of namedChildren(n)) {
      if (SCOPE_TYPES.has(c.type)) continue;
      if (c.type === 'return_statement') {
        const value = c.namedChildren[0] ?? null;
        if (value) values.push(value);
        else bare = true;
      } else visit(c);
    }
  };
  const body = fn.childForFieldName('body');
  if (body) visit(body);
  return bare ? [] : values;
}
