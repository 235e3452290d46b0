// Findings → LSP diagnostics (the range is the loop header; `data` carries what code actions need).
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { LintResult } from '../linter';
import { ruleDocsUrl } from '../rules/catalog';
import type { Finding } from '../rules/types';

export interface DiagnosticData {
  code: string;
  line: number;
  character: number;
  version: number;
}

export function toDiagnostic(finding: Finding, version: number): Diagnostic {
  const { span } = finding;
  return {
    range: { start: { line: span.startLine, character: span.startColumn }, end: { line: span.endLine, character: span.endColumn } },
    severity: DiagnosticSeverity.Information,
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: 'parallelize',
    message: finding.message,
    data: { code: finding.code, line: span.startLine, character: span.startColumn, version } satisfies DiagnosticData,
  };
}

export function diagnosticsFor(result: LintResult, version: number): Diagnostic[] {
  return result.findings.map((f) => toDiagnostic(f, version));
}
