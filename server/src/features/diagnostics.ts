// Findings → LSP diagnostics (the range is the loop header; `data` carries what code actions need).
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Published } from '../incremental';
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

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

const SEVERITY: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticOptions {
  /** Per-rule severity overrides (`parallelize.severity`). */
  severity?: Record<string, SeverityName>;
  /** Also publish rejected loops as hints (`parallelize.explainRejected`). */
  explainRejected?: boolean;
}

const EXPLAINED_KINDS = new Set(['loop-carried', 'shared-state', 'early-exit', 'ordered-effect', 'live-out', 'rate-limit', 'endless-source']);

export function diagnosticsFor(result: Published, version: number, options: DiagnosticOptions = {}): Diagnostic[] {
  const diagnostics = result.findings.map((f) => {
    const d = toDiagnostic(f, version);
    const override = options.severity?.[f.code];
    if (override && SEVERITY[override]) d.severity = SEVERITY[override];
    return d;
  });
  if (options.explainRejected) {
    for (const loop of result.rejected) {
      const reason = loop.rejections.find((r) => EXPLAINED_KINDS.has(r.kind));
      if (!reason || loop.kind !== 'for') continue;
      const { header } = loop;
      diagnostics.push({
        range: { start: { line: header.startLine, character: header.startColumn }, end: { line: header.endLine, character: header.endColumn } },
        severity: DiagnosticSeverity.Hint,
        source: 'parallelize',
        message: `Not parallelizable: ${reason.message}. Remedy: ${reason.remedy}.`,
      });
    }
  }
  return diagnostics;
}
