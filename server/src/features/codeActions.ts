// The quick fixes of a finding, in a fixed family: the rewrite (preferred only when safe), its alternatives, "Ignore PARnnn
// for this line" and "Show documentation for PARnnn". Edits are minimal and carry the document version.
import { type CodeAction, CodeActionKind, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { PythonDocument } from '../documents';
import { minimalEdits, noqaEdit } from '../edits';
import { applyFinding, fixText, type LintConfig } from '../linter';
import type { Parser } from '../parser';
import type { Finding } from '../rules/types';
import { type DiagnosticData, toDiagnostic } from './diagnostics';

export const SHOW_DOCUMENTATION_COMMAND = 'parallelize.showDocumentation';

function overlaps(a: Range, line: number): boolean {
  return a.start.line <= line && line <= a.end.line;
}

export function codeActions(doc: PythonDocument, range: Range, contextDiagnostics: Diagnostic[], config: LintConfig, parser: Parser, maxChars = Infinity): CodeAction[] {
  if (doc.text.length > maxChars) return [];
  const ours = contextDiagnostics.filter((d) => d.source === 'parallelize' && d.data);
  // a diagnostic computed for another version of the text: its fix would land on the wrong lines
  if (ours.some((d) => (d.data as DiagnosticData).version !== doc.version)) return [];
  const lines = [range.start.line, range.end.line, ...ours.map((d) => (d.data as DiagnosticData).line)];
  const result = doc.lintLines(config, Math.min(...lines), Math.max(...lines));
  const findings = result.findings.filter(
    (f) =>
      ours.some((d) => (d.data as DiagnosticData).code === f.code && (d.data as DiagnosticData).line === f.span.startLine) ||
      (ours.length === 0 && overlaps(range, f.span.startLine)),
  );
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    const diagnostic = toDiagnostic(finding, doc.version);
    actions.push(...rewriteActions(doc, finding, diagnostic, result, config, parser));
    const line = finding.span.startLine;
    const noqa = noqaEdit(doc.lines.lineText(line), line, finding.code);
    if (noqa) {
      actions.push({
        title: `Ignore ${finding.code} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: [noqa as TextEdit] }] },
      });
    }
    actions.push({
      title: `Show documentation for ${finding.code}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: `Show documentation for ${finding.code}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [finding.code] },
    });
  }
  return actions;
}

function rewriteActions(doc: PythonDocument, finding: Finding, diagnostic: Diagnostic, result: ReturnType<PythonDocument['lint']>, config: LintConfig, parser: Parser): CodeAction[] {
  const actions: CodeAction[] = [];
  finding.fixes.forEach((fix, index) => {
    // the editor asks again whenever the cursor moves on the line: each fix is rewritten once per version
    const key = `fix ${JSON.stringify(config)} ${finding.code} ${finding.span.startLine}:${finding.span.startColumn} ${index}`;
    const { outcome, edits } = doc.memo(key, () => {
      const outcome = doc.text.includes('\r')
        ? fixText(doc.text, parser, config, finding.span.startLine + 1, finding.code, index)
        : applyFinding(doc.text, parser, result.analysis, finding, index, doc.mirror);
      return { outcome, edits: outcome.ok ? (minimalEdits(doc.text, outcome.text) as TextEdit[]) : [] };
    });
    if (!outcome.ok) return;
    const title = outcome.applicability === 'unsafe' && !fix.title.endsWith('(unsafe)') ? `${fix.title} (unsafe)` : fix.title;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      // the alternatives (a second pattern for the same loop) are offered, never preferred
      isPreferred: index === 0 && outcome.applicability === 'safe',
      edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] },
    });
  });
  return actions;
}
