// CLI output formats: Ruff-like text, JSON (SPEC section 1), SARIF 2.1.0, and per-rule statistics.
import { version } from '../../package.json';
import type { AppliedFix } from './fixAll';
import { RULES, RULES_BY_CODE, ruleDocsUrl } from './rules/catalog';
import { distinctDoubts } from './rules/doubts';
import type { Finding, FixOption } from './rules/types';

/** What the output formats need of a finding: plain data, so it can cross from a worker thread. */
export interface PlainFinding extends Pick<Finding, 'code' | 'span' | 'message'> {
  fixes: Array<Pick<FixOption, 'title' | 'applicability'>>;
  /** The cost model's estimate for a loop finding. */
  estimate?: PlainEstimate;
  /** What the analysis could not prove (why a fix is unsafe), every one: a hover lists the first few. */
  doubts?: string[];
}

/** The cost model's figures, as the JSON output carries them. */
export interface PlainEstimate {
  summary: string;
  cores: number;
  speedup?: number;
  /** The speedup at the upper bound of the work per item, when it is bounded but not counted. */
  speedupMax?: number;
  localCores?: number;
  localSpeedup?: number;
  localSpeedupMax?: number;
  items?: number;
  secondsPerItem: number;
  perItemIsLowerBound: boolean;
  breakEvenItems?: number;
}

function plainEstimate(f: Finding): PlainEstimate | undefined {
  const e = f.loop?.estimate;
  if (!e) return undefined;
  const round = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? undefined : Number(x.toPrecision(3)));
  return {
    summary: e.summary,
    cores: e.cores,
    speedup: round(e.speedup),
    speedupMax: round(e.speedupMax),
    localCores: e.localCores,
    localSpeedup: round(e.localSpeedup),
    localSpeedupMax: round(e.localSpeedupMax),
    items: e.items,
    secondsPerItem: Number((e.work.cpu + e.work.io).toPrecision(3)),
    perItemIsLowerBound: e.work.open !== null,
    breakEvenItems: round(e.breakEvenItems),
  };
}

export interface ReportedFinding {
  file: string;
  finding: PlainFinding;
  /** `check --fix` left it: its code already runs in a pool, and a fix would nest two pools. */
  inPoolWorker?: boolean;
}

export function plainFinding(f: Finding): PlainFinding {
  const estimate = plainEstimate(f);
  const doubts = distinctDoubts(f.doubts);
  return { code: f.code, span: { ...f.span }, message: f.message, fixes: f.fixes.map(({ title, applicability }) => ({ title, applicability })), ...(estimate ? { estimate } : {}), ...(doubts.length > 0 ? { doubts } : {}) };
}

/** package.json's version (the bundle inlines it; the compiled tests read the file). */
export const TOOL_VERSION: string = version;
const INFORMATION_URI = 'https://github.com/python-parallelize/python-parallelize';

export function jsonRecord({ file, finding: f }: ReportedFinding) {
  return {
    file,
    line: f.span.startLine + 1,
    column: f.span.startColumn + 1,
    endLine: f.span.endLine + 1,
    endColumn: f.span.endColumn + 1,
    code: f.code,
    message: f.message,
    fixes: f.fixes.map((x) => ({ title: x.title, applicability: x.applicability })),
    ...(f.estimate ? { estimate: f.estimate } : {}),
    ...(f.doubts && f.doubts.length > 0 ? { doubts: f.doubts } : {}),
  };
}

export function formatJson(all: ReportedFinding[]): string {
  return JSON.stringify(all.map(jsonRecord), null, 2) + '\n';
}

function fixMarker(f: PlainFinding): string {
  if (f.fixes.length === 0) return '';
  return f.fixes[0].applicability === 'safe' ? ' [*]' : ' [unsafe fix]';
}

export interface TextReportOptions {
  /** `check --fix`: how many fixes were applied (the summary then counts fixed and remaining findings). */
  fixed?: number;
  /** `--unsafe-fixes` was given: unsafe fixes are not hidden. */
  unsafeFixes?: boolean;
  /** `--quiet`: the findings and nothing else. */
  quiet?: boolean;
  /** Files that could not be checked (their errors are printed above the report). */
  failed?: number;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** One line per finding, then (unless quiet) Ruff's summary and hints. */
export function formatText(all: ReportedFinding[], fileCount: number, options: TextReportOptions = {}): string {
  const out: string[] = [];
  for (const { file, finding: f } of all) out.push(`${file}:${f.span.startLine + 1}:${f.span.startColumn + 1}: ${f.code}${fixMarker(f)} ${f.message}`);
  if (!options.quiet) out.push(...summaryLines(all, fileCount, options));
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

/** "Found …" and the hints: what `--fix` would do, what `--unsafe-fixes` would add. */
export function summaryLines(all: ReportedFinding[], fileCount: number, options: TextReportOptions = {}): string[] {
  const out: string[] = [];
  const fixing = options.fixed !== undefined;
  // a file that could not be checked was not passed: say so instead of "All checks passed!"
  const unchecked = options.failed ? `${plural(options.failed, 'file')} could not be checked (the errors above).` : null;
  if (all.length === 0 && !options.fixed) return unchecked ? [`No findings in ${plural(fileCount, 'file')} checked; ${unchecked}`] : [`All checks passed! (${plural(fileCount, 'file')})`];
  if (fixing) out.push(`Found ${plural(all.length + options.fixed!, 'finding')} (${options.fixed} fixed, ${all.length} remaining).`);
  // one word whatever the mix of rules: loops, calls in coroutines and pools are all findings
  else out.push(`Found ${plural(all.length, 'finding')} in ${plural(fileCount, 'file')}.`);
  if (unchecked) out.push(unchecked);
  const safe = all.filter(({ finding }) => finding.fixes.some((x) => x.applicability === 'safe')).length;
  const unsafe = all.filter(({ finding, inPoolWorker }) => !inPoolWorker && finding.fixes.length > 0 && finding.fixes.every((x) => x.applicability === 'unsafe')).length;
  const inPools = all.filter((r) => r.inPoolWorker).length;
  // with --unsafe-fixes, as in Ruff, `--fix` would apply the unsafe ones too
  const fixable = options.unsafeFixes ? safe + unsafe : safe;
  if (fixable && !fixing) out.push(`[*] ${fixable} fixable with the \`--fix\` option.`);
  if (unsafe && !options.unsafeFixes) {
    out.push(`${plural(unsafe, 'more fix', 'more fixes')} with \`--fix --unsafe-fixes\`: the analysis could not prove everything, so review each first (\`parallelize explain FILE:LINE\`).`);
  }
  if (inPools) out.push(`${plural(inPools, 'finding')} left as ${inPools === 1 ? 'it is' : 'they are'}: the code already runs in a pool, and a fix would nest two pools.`);
  return out;
}

/** `check --diff`'s summary line, on stderr under the diff. */
export function formatWouldFix(count: number): string {
  return count > 0 ? `Would fix ${plural(count, 'finding')}.\n` : 'No fixes would be applied.\n';
}

/** `--show-fixes`: the fixes applied, per file, with the line each finding had in the original file. */
export function formatAppliedFixes(fixes: Array<{ file: string; applied: AppliedFix[] }>, dryRun = false): string {
  const count = fixes.reduce((n, f) => n + f.applied.length, 0);
  if (count === 0) return dryRun ? 'No fixes would be applied.\n' : 'No fixes applied.\n';
  const out = [`${dryRun ? 'Would fix' : 'Fixed'} ${plural(count, 'finding')}:`];
  for (const { file, applied } of fixes) {
    if (applied.length === 0) continue;
    out.push(`- ${file}:`);
    for (const fix of applied) {
      const where = fix.line === null ? 'in code an earlier fix wrote' : `at line ${fix.line}`;
      out.push(`    ${fix.code} (${RULES_BY_CODE.get(fix.code)?.name ?? fix.code}) ${where}: ${fix.title}`);
    }
  }
  return out.join('\n') + '\n';
}

export function formatStatistics(all: ReportedFinding[]): string {
  const counts = new Map<string, { count: number; fixable: boolean }>();
  for (const { finding } of all) {
    const entry = counts.get(finding.code) ?? { count: 0, fixable: false };
    entry.count++;
    entry.fixable ||= finding.fixes.some((x) => x.applicability === 'safe');
    counts.set(finding.code, entry);
  }
  const rows = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const width = Math.max(1, ...rows.map(([, e]) => String(e.count).length));
  return rows.map(([code, e]) => `${String(e.count).padStart(width)}\t${code}\t${e.fixable ? '[*] ' : ''}${RULES_BY_CODE.get(code)?.name ?? ''}`).join('\n') + (rows.length ? '\n' : '');
}

/** SARIF 2.1.0, as GitHub code scanning reads it: rules with help URIs, results with 1-based UTF-16 regions. */
export function formatSarif(all: ReportedFinding[]): string {
  const rules = RULES.map((r) => ({
    id: r.code,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    helpUri: ruleDocsUrl(r.code),
    help: { text: `See ${ruleDocsUrl(r.code)}` },
    defaultConfiguration: { level: r.severity === 'warning' ? 'warning' : 'note' },
    properties: { tags: [r.code.startsWith('PAR4') ? 'reliability' : 'performance'] },
  }));
  const index = new Map(RULES.map((r, i) => [r.code, i]));
  const results = all.map(({ file, finding: f }) => ({
    ruleId: f.code,
    ruleIndex: index.get(f.code) ?? 0,
    level: RULES_BY_CODE.get(f.code)?.severity === 'warning' ? 'warning' : 'note',
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(file) },
          region: { startLine: f.span.startLine + 1, startColumn: f.span.startColumn + 1, endLine: f.span.endLine + 1, endColumn: f.span.endColumn + 1 },
        },
      },
    ],
    properties: { fixes: f.fixes.map((x) => ({ title: x.title, applicability: x.applicability })) },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'python-parallelize', version: TOOL_VERSION, informationUri: INFORMATION_URI, rules } }, columnKind: 'utf16CodeUnits', results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** A relative, '/'-separated URI reference (percent-encoding what URIs cannot hold). */
function toUri(file: string): string {
  return file
    .split(/[\\/]/)
    .map((part) => encodeURIComponent(part))
    .join('/');
}
