// Hover on a loop header, comprehension or `list(map(...))`: the explanation as Markdown.
import { type Hover, MarkupKind, type Position } from 'vscode-languageserver';
import type { LoopFacts } from '../analysis/model';
import type { PythonDocument } from '../documents';
import type { LintConfig } from '../linter';
import { explainFinding, explainSuppressed, explainUnreported, explainWhile } from '../rules/explain';
import type { Span } from '../syntax';

function contains(span: Span, p: Position): boolean {
  if (p.line < span.startLine || p.line > span.endLine) return false;
  if (p.line === span.startLine && p.character < span.startColumn) return false;
  if (p.line === span.endLine && p.character > span.endColumn) return false;
  return true;
}

function nodeSpan(loop: LoopFacts): Span {
  const n = loop.node;
  return { startLine: n.startPosition.row, startColumn: n.startPosition.column, endLine: n.endPosition.row, endColumn: n.endPosition.column };
}

export function hover(doc: PythonDocument, position: Position, config: LintConfig, maxChars = Infinity): Hover | null {
  if (doc.text.length > maxChars) return null;
  const result = doc.lint(config);
  // the innermost loop whose header (for `for`) or whole extent (comprehensions) holds the position
  const candidates = result.analysis.loops.filter((l) => contains(l.kind === 'for' ? l.header : nodeSpan(l), position));
  candidates.sort((a, b) => b.node.startIndex - a.node.startIndex);
  const loop = candidates[0];
  if (!loop) return whileHover(doc, position);
  const finding = result.findingOf.get(loop.node.id);
  let value: string;
  if (finding && result.suppressed.includes(finding)) value = explainSuppressed(finding);
  else if (finding) value = explainFinding(finding, config.minIterations);
  else {
    const outer = result.findings.find((f) => f.loop && f.loop.node.startIndex < loop.node.startIndex && loop.node.endIndex <= f.loop.node.endIndex);
    value = outer ? `**Runs inside the ${outer.code} loop at line ${outer.span.startLine + 1}**, which is the better target: parallelise the outer loop.` : explainUnreported(loop);
  }
  const span = loop.kind === 'for' ? loop.header : loop.header;
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: { line: span.startLine, character: span.startColumn }, end: { line: span.endLine, character: span.endColumn } },
  };
}

function whileHover(doc: PythonDocument, position: Position): Hover | null {
  const tree = doc.syntaxTree;
  if (!tree) return null;
  const node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
  for (let n = node; n; n = n.parent) {
    if (n.type === 'while_statement') {
      if (n.startPosition.row !== position.line) return null;
      return { contents: { kind: MarkupKind.Markdown, value: explainWhile() } };
    }
  }
  return null;
}
