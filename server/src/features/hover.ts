// Hover on a loop header, comprehension or `list(map(...))`: the explanation as Markdown.
import { type Hover, MarkupKind, type Position } from 'vscode-languageserver';
import type { LoopFacts } from '../analysis/model';
import type { PythonDocument } from '../documents';
import { confirmedFinding, type LintConfig } from '../linter';
import type { Finding } from '../rules/types';
import { explainFinding, explainPool, explainSuppressed, explainUnreported, explainWhile } from '../rules/explain';
import type { Parser, SyntaxNode } from '../parser';
import { vectorMiss } from '../rules/vectorRules';
import type { Span } from '../syntax';

function contains(span: Span, p: Position): boolean {
  if (p.line < span.startLine || p.line > span.endLine) return false;
  if (p.line === span.startLine && p.character < span.startColumn) return false;
  if (p.line === span.endLine && p.character > span.endColumn) return false;
  return true;
}

function spanOfNode(n: SyntaxNode): Span {
  // the first line only: hovering inside a long call's arguments is about them, not the pool
  const first = n.text.split('\n')[0];
  return { startLine: n.startPosition.row, startColumn: n.startPosition.column, endLine: n.startPosition.row, endColumn: n.startPosition.column + first.length };
}

function toRange(span: Span) {
  return { start: { line: span.startLine, character: span.startColumn }, end: { line: span.endLine, character: span.endColumn } };
}

function nodeSpan(loop: LoopFacts): Span {
  const n = loop.node;
  return { startLine: n.startPosition.row, startColumn: n.startPosition.column, endLine: n.endPosition.row, endColumn: n.endPosition.column };
}

export function hover(doc: PythonDocument, position: Position, config: LintConfig, maxChars = Infinity, parser?: Parser): Hover | null {
  if (doc.text.length > maxChars) return null;
  const result = doc.lintLines(config, position.line, position.line);
  // a safe fix is confirmed by performing it, as the code action does: the hover says what the action will say
  const confirmed = (f: Finding): Finding =>
    parser ? doc.memo(`confirm ${JSON.stringify(config)} ${f.code} ${f.span.startLine}:${f.span.startColumn}`, () => confirmedFinding(f, doc.text, parser, result.analysis, doc.mirror)) : f;
  // the innermost loop whose header (for `for`) or whole extent (comprehensions) holds the position
  // a risk finding (PAR4xx) under the cursor, then an executor / pool construction or call
  const risks = [...result.findings, ...result.suppressed].filter((f) => (f.risk || f.call || (f.vector && !f.loop)) && contains(f.span, position));
  if (risks.length > 0) {
    return { contents: { kind: MarkupKind.Markdown, value: risks.map((f) => explainFinding(result.suppressed.includes(f) ? f : confirmed(f), config.minIterations)).join('\n\n---\n\n') }, range: toRange(risks[0].span) };
  }
  const pool = result.pools.find((p) => contains(spanOfNode(p.call), position) || p.uses.some((u) => contains(spanOfNode(u.call), position)));
  if (pool) return { contents: { kind: MarkupKind.Markdown, value: explainPool(pool, result.analysis, [...result.findings, ...result.suppressed]) } };
  const candidates = result.analysis.loops.filter((l) => contains(l.kind === 'for' ? l.header : nodeSpan(l), position));
  candidates.sort((a, b) => b.node.startIndex - a.node.startIndex);
  const loop = candidates[0];
  if (!loop) return whileHover(doc, position);
  const finding = result.findingOf.get(loop.node.id);
  let value: string;
  if (finding && result.suppressed.includes(finding)) value = explainSuppressed(finding);
  else if (finding) value = explainFinding(confirmed(finding), config.minIterations);
  else {
    const outer = result.findings.find((f) => f.loop && f.loop.node.startIndex < loop.node.startIndex && loop.node.endIndex <= f.loop.node.endIndex);
    value = outer ? `**Runs inside the ${outer.code} loop at line ${outer.span.startLine + 1}**, which is the better target: parallelise the outer loop.` : explainUnreported(loop);
    const vector = outer ? null : vectorMiss(loop, result.analysis);
    if (vector) value += `\n\n${vector}`;
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(loop.header) };
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
