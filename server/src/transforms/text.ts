// Text-level helpers for rewrites: indentation, re-indenting blocks safely, fresh names.
import type { SyntaxNode } from '../parser';
import { lineIndent, statementsOf, walk } from '../syntax';

/** The file's indentation unit, taken from the loop's own body when it has one. */
export function indentUnit(text: string, node: SyntaxNode): string {
  const body = node.childForFieldName('body');
  const first = body ? statementsOf(body)[0] : undefined;
  if (first && first.startPosition.row !== node.startPosition.row) {
    const outer = lineIndent(text, node);
    const inner = lineIndent(text, first);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  const m = /\n([ \t]+)\S/.exec(text);
  if (m) return m[1].startsWith('\t') ? '\t' : m[1].length % 4 === 0 ? '    ' : m[1].length === 2 ? '  ' : '    ';
  return '    ';
}

const continuationRows = new WeakMap<SyntaxNode, Set<number>>();
/** 0-based rows that continue a multi-line string (their text must not be re-indented). */
export function stringContinuationRows(root: SyntaxNode): ReadonlySet<number> {
  const known = continuationRows.get(root);
  if (known) return known;
  const rows = new Set<number>();
  continuationRows.set(root, rows);
  walk(root, (n) => {
    if (n.type === 'string' || n.type === 'concatenated_string') {
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) rows.add(r);
      return false;
    }
    return true;
  });
  return rows;
}

/**
 * Re-indents the lines of `block` (whose first line starts at row `firstRow` of the file) from `from` to `to`.
 * Blank lines stay empty; rows continuing multi-line strings are left untouched.
 */
export function reindent(block: string, from: string, to: string, firstRow: number, frozen: ReadonlySet<number>): string {
  return block
    .split('\n')
    .map((line, i) => {
      if (frozen.has(firstRow + i)) return line;
      if (line.trim() === '') return '';
      if (line.startsWith(from)) return to + line.slice(from.length);
      return to + line.replace(/^[ \t]*/, '');
    })
    .join('\n');
}

/**
 * Whether every line of `block` (blank lines, string continuations and comment lines aside: Python lets a comment
 * stand at any column, and `reindent` moves it to the block's) starts with `prefix`.
 */
export function indentedUnder(block: string, prefix: string, firstRow: number, frozen: ReadonlySet<number>): boolean {
  return block.split('\n').every((line, i) => frozen.has(firstRow + i) || line.trim() === '' || line.trimStart().startsWith('#') || line.startsWith(prefix));
}

/** A name not spelled anywhere in the file (nor in `taken`), derived from `base`. */
export function freshName(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

/** Start offset of the line containing `index`. */
export function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** Offset just after the newline ending the line containing `index` (or text end). */
export function lineEnd(text: string, index: number): number {
  const nl = text.indexOf('\n', index);
  return nl < 0 ? text.length : nl + 1;
}

export interface Splice {
  start: number;
  end: number;
  text: string;
}

export function applySplices(text: string, splices: Splice[]): string {
  // from the end backwards; at one offset, the replacement first and the insertion before it last
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}
