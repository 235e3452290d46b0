// The engine shared by the language server and the CLI: tree → loop facts → rule findings, plus applying
// one finding's fix to the text. Knows nothing of LSP.
import { analyzeTree, type ModuleAnalysis } from './analysis/loops';
import type { LoopFacts } from './analysis/model';
import type { SummaryDependency } from './analysis/moduleSummary';
import { DEFAULT_LINT_CONFIG, type LintConfig } from './lintConfig';
import { type Parser, parseSyntax, type SyntaxNode, SyntaxTree, type Tree, variantParser } from './parser';
import { LOOP_RULES } from './rules/loopRules';
import { explainFinding, explainSuppressed, explainUnreported } from './rules/explain';
import { type Applicability, type Finding, type FixOption, fixTitle } from './rules/types';
import { enclosingFunction, hasSyntaxError, inconsistentIndentation, isAncestorOf, isAsyncFunction, namedChildren, python2Statement, syntaxErrorLine, walk } from './syntax';
import { rewriteComprehension } from './transforms/comprehensionRewrite';
import { rewriteComprehensionAiohttp } from './transforms/comprehensionAiohttp';
import { LOOP_PATTERNS, type LoopPattern, type RewriteResult, rewriteLoop } from './transforms/loopRewrite';
import { rewriteRisk } from './transforms/riskRewrite';
import { concurrencyIn, importedModuleLoop, offInItsFile, programLongExecutor, reachRejection, runsAlone, unguardedCallerDoubt, unusedExecutor, type CallSiteIndex } from './analysis/reach';
import { findPools, type PoolConstruction } from './analysis/executors';
import { checkRisks } from './rules/riskRules';
import { checkStallingCalls } from './rules/asyncRules';
import { rewriteStallingCall } from './transforms/asyncRewrite';
import { rewriteStallingLoop } from './transforms/asyncLoopRewrite';
import { checkApplyCalls, vectorMiss } from './rules/vectorRules';
import { rewriteVector } from './transforms/vectorize';
import type { Parse } from './transforms/module';

export { DEFAULT_LINT_CONFIG, type LintConfig, MAX_ANALYSED_CHARS } from './lintConfig';


export interface LintResult {
  analysis: ModuleAnalysis;
  findings: Finding[];
  /** Findings silenced by `# noqa` (kept for the hover). */
  suppressed: Finding[];
  /** For each loop (by its node id): its finding, if any, whether reported or suppressed. */
  findingOf: Map<number, Finding>;
  /** Executors, pools and threads already in the code. */
  pools: PoolConstruction[];
  /**
   * The workspace files whose summaries this analysis used (each with its summary's hash): a stored result of
   * this file stays valid while its own text and these summaries are unchanged. Empty when analysed alone.
   */
  dependencies: SummaryDependency[];
  /** Why the file's loops were not checked (Python cannot compile it, or it is Python 2 code), for a warning. */
  unchecked?: string;
}

export function isSelected(code: string, config: Pick<LintConfig, 'select' | 'ignore'>): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => p === 'ALL' || code.startsWith(p.toUpperCase()));
  if (config.select.length > 0 && !matches(config.select)) return false;
  return !matches(config.ignore);
}

const NOQA = /#\s*noqa(?::[\s]*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?/i;

/** The codes a `# noqa` comment on this line silences: 'all' for a bare noqa, else a list (empty: none). */
export function noqaCodes(lineText: string): 'all' | string[] {
  const m = NOQA.exec(lineText);
  if (!m) return [];
  if (!m[1]) return 'all';
  return m[1].split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
}

/** `# parallelize: noqa` on a line of its own silences the whole file. */
const FILE_NOQA = /^[ \t]*#[ \t]*parallelize:[ \t]*noqa\b/im;

/** Whether a finding is silenced by `# noqa` on its line or `# parallelize: noqa` in the file. */
export function noqaFilter(text: string): (f: Finding) => boolean {
  // the literal first: the anchored multi-line pattern is slow to reject on a long text
  const fileSilenced = /parallelize/i.test(text) && FILE_NOQA.test(text);
  let lines: string[] | undefined; // split only once a finding needs its line
  return (f: Finding) => {
    if (fileSilenced) return true;
    lines ??= text.split('\n');
    const noqa = noqaCodes(lines[f.span.startLine] ?? '');
    return noqa === 'all' || noqa.includes(f.code);
  };
}

/**
 * The loop rules over the analysed loops, in document order: the first rule that fires on a loop wins, and
 * an inner loop of a reported loop is skipped (it runs inside the outer loop's worker).
 */
export function loopFindings(analysis: ModuleAnalysis, config: LintConfig, callSites?: () => CallSiteIndex | undefined): Finding[] {
  const found: Finding[] = [];
  const ctx = { analysis, targetVersion: config.targetVersion, minIterations: config.minIterations, ...(callSites ? { callSites } : {}) };
  const reportedLoops: LoopFacts[] = [];
  for (const loop of analysis.loops) {
    if (reportedLoops.some((outer) => isAncestorOf(outer.node, loop.node))) continue;
    for (const rule of LOOP_RULES) {
      if (!isSelected(rule.code, config)) continue;
      const finding = rule.check(loop, ctx);
      if (!finding) continue;
      found.push(finding);
      reportedLoops.push(loop);
      break;
    }
  }
  return found;
}

/**
 * Findings on calls and constructions rather than loops: pandas apply(axis=1), pools, calls in coroutines (of
 * the whole module, or only of the coroutines inside `coroutinesWithin`).
 */
export function callFindings(analysis: ModuleAnalysis, pools: PoolConstruction[], config: LintConfig, coroutinesWithin?: SyntaxNode[]): Finding[] {
  const ctx = { analysis, targetVersion: config.targetVersion, minIterations: config.minIterations };
  return [
    ...(isSelected('PAR303', config) ? checkApplyCalls(analysis, ctx) : []),
    ...checkRisks({ analysis, pools }),
    ...stallFindings(analysis, pools, config, coroutinesWithin),
  ].filter((f) => isSelected(f.code, config));
}

/** PAR203/PAR204: calls that stall an event loop, in the whole module or in the coroutines inside `within`. */
export function stallFindings(analysis: ModuleAnalysis, pools: PoolConstruction[], config: LintConfig, within?: SyntaxNode[]): Finding[] {
  if (!isSelected('PAR203', config) && !isSelected('PAR204', config)) return [];
  return checkStallingCalls({ analysis, pools, targetVersion: config.targetVersion }, within).filter((f) => isSelected(f.code, config));
}

export function byPosition(a: Finding, b: Finding): number {
  return a.span.startLine - b.span.startLine || a.span.startColumn - b.span.startColumn;
}

export interface LintScope {
  /** Analyse only the loops inside these nodes (units of the module, in document order). */
  units?: SyntaxNode[];
  /** All the call findings and the pools of this tree, when already computed. */
  calls?: { findings: Finding[]; pools: PoolConstruction[] };
  /**
   * The findings on pandas apply calls and on pools, and the pools, when already computed: then coroutines are
   * checked for stalling calls inside `units` only.
   */
  poolFindings?: { findings: Finding[]; pools: PoolConstruction[] };
}

const distinct = (lines: readonly string[]): boolean => new Set(lines).size === lines.length;

export function lint(tree: Tree | SyntaxTree, text: string, config: LintConfig = DEFAULT_LINT_CONFIG, scope: LintScope = {}): LintResult {
  const mirror = tree instanceof SyntaxTree ? tree : new SyntaxTree(tree, text);
  const analysis = analyzeTree(mirror, { minIterations: config.minIterations, minSpeedup: config.minSpeedup, targetCores: config.targetCores, localCores: config.localCores }, scope.units, config.workspace);
  const silenced = noqaFilter(text);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const findingOf = new Map<number, Finding>();
  // Python 2 code (a `print x` statement…): the finding holds, but every rewrite is Python 3 (`with Pool() as p`
  // fails there with AttributeError: __exit__), so none is offered and the hover says why
  const python2 = python2Statement(mirror.rootNode, config.targetVersion);
  // a file Python cannot compile (checked files as they are): no loop of it runs, and no rewrite of it could
  const broken = config.requireCompiles ? compileProblem(mirror.rootNode, text) : null;
  const noRewrite = broken
    ? `Python cannot compile the file (${broken.what} at line ${broken.line})`
    : python2
      ? `the file is Python 2 code (${python2.what} at line ${python2.line}) and the rewrites are Python 3`
      : null;
  const withoutRewrites = (f: Finding): Finding => (noRewrite && f.fixes.length > 0 ? { ...f, fixes: [], blockers: [...f.blockers, noRewrite] } : f);
  // a doubt or blocker reached through several calls of one callee is said once (a hover listed one line seven times)
  const offered = (f: Finding): Finding => {
    const g = withoutRewrites(f);
    return distinct(g.doubts) && distinct(g.blockers) ? g : { ...g, doubts: [...new Set(g.doubts)], blockers: [...new Set(g.blockers)] };
  };
  // the loop's function as the project calls it: never, or always on a pool already (asked once a rule would report)
  let sites: CallSiteIndex | undefined | null = null;
  const callSites = () => (sites === null ? (sites = config.workspace?.callSites?.()) : sites);
  const reach = (found: Finding) => {
    if (!found.loop) return null;
    const off = offInItsFile(found.loop.node, found.loop.line);
    if (off) return off;
    const index = callSites();
    const why = index ? (reachRejection(found.loop.node, found.loop.line, index) ?? (/^PAR10/.test(found.code) ? importedModuleLoop(found.loop.node, found.loop.line, index) : null)) : null;
    // a vectorised loop is faster in a pool's task too
    return why && (why.kind === 'unreached' || !/^PAR3/.test(found.code)) ? why : null;
  };
  for (const found of loopFindings(analysis, config, callSites)) {
    if (broken && found.loop) {
      found.loop.rejections.push({
        kind: 'unsupported',
        message: `Python cannot compile this file (${broken.what} at line ${broken.line}): none of its loops runs as it is, and a rewrite of one would not either`,
        remedy: 'fix the file so that Python compiles it, then check it again',
        line: found.loop.line,
      });
      continue;
    }
    // a loop of Python 2 code runs under Python 2, where `concurrent.futures` is not in the standard library and a
    // pool is no context manager: no rewrite applies, and a finding without one is noise (round 32: two copies of a
    // Python 2 crawler, `from urlparse import …`, reported with thread pools)
    if (python2 && found.loop) {
      found.loop.rejections.push({
        kind: 'unsupported',
        message: `the file is Python 2 code (${python2.what} at line ${python2.line}): its loops run under Python 2, whose standard library has no \`concurrent.futures\` and whose pools are no context managers, while every rewrite is Python 3`,
        remedy: 'port the file to Python 3, then check it again',
        line: found.loop.line,
      });
      continue;
    }
    // (after the file-wide reasons: a file that cannot run says so first)
    const unreached = reach(found);
    if (unreached) {
      found.loop!.rejections.push(unreached);
      continue;
    }
    let finding = offered(found);
    // a process pool in a function another file calls at its top level, unguarded: under spawn each worker runs
    // that file again, and the rewrite cannot add the guard there
    const index = callSites();
    const doubt = /^PAR10/.test(finding.code) && finding.loop && index ? unguardedCallerDoubt(finding.loop.node, index) : null;
    if (doubt) finding = { ...finding, doubts: [doubt, ...finding.doubts], fixes: finding.fixes.map((x) => (x.applicability === 'safe' ? { ...x, applicability: 'unsafe' as const, title: fixTitle(x.title, 'unsafe') } : x)) };
    findingOf.set(finding.loop!.node.id, finding);
    (silenced(finding) ? suppressed : findings).push(finding);
  }
  const known = scope.calls ?? scope.poolFindings;
  const pools = known?.pools ?? findPools(analysis.module);
  const calls = scope.calls?.findings ?? (scope.poolFindings ? [...scope.poolFindings.findings, ...stallFindings(analysis, pools, config, scope.units)] : callFindings(analysis, pools, config));
  // a blocking call in a coroutine of a project whose event loops run one task each, or in a coroutine nothing calls,
  // holds up nobody (round 29: `time.sleep` paces in a sequential `asyncio.run` pipeline)
  let oneTaskAtATime: boolean | undefined;
  const holdsUpNobody = (f: Finding): boolean => {
    if (!f.call) return false;
    const index = callSites();
    if (!index) return false;
    if ((oneTaskAtATime ??= concurrencyIn(index) === null)) return true;
    const node = f.call.stall.call;
    const coroutine = enclosingFunction(node);
    if (coroutine && isAsyncFunction(coroutine) && runsAlone(coroutine, index)) return true;
    return (offInItsFile(node, f.span.startLine + 1) ?? reachRejection(node, f.span.startLine + 1, index))?.kind === 'unreached';
  };
  // an executor nothing in the project uses, or one of an object made once as the program starts, leaks nothing
  const leaksNothing = (f: Finding): boolean => {
    const index = callSites();
    return f.code === 'PAR405' && !!f.risk && !!index && (unusedExecutor(f.risk.pool, analysis.module.root, index) || programLongExecutor(f.risk.pool, index));
  };
  for (const finding of calls.map(offered)) {
    if (holdsUpNobody(finding) || leaksNothing(finding)) continue;
    // Python 2's multiprocessing forks on the POSIX systems its scripts run on and never imports the main module
    // again: a missing guard starts nothing twice (round 59: five PAR403 on a Python 2 forum archiver)
    if (python2 && finding.code === 'PAR403') continue;
    (silenced(finding) ? suppressed : findings).push(finding);
  }
  findings.sort(byPosition);
  // said once per file where the CLI reports (a run that printed "All checks passed!" over a merge conflict hid it)
  const unchecked = broken ? `Python cannot compile this file (${broken.what} at line ${broken.line}): its loops were not checked` : python2 ? `Python 2 code (${python2.what} at line ${python2.line}): its loops were not checked` : undefined;
  return { analysis, findings, suppressed, findingOf, pools, dependencies: config.workspace?.dependencies() ?? [], ...(unchecked ? { unchecked } : {}) };
}

/** Why Python would refuse to compile the file, with the 1-based line, or null when it compiles (as far as the tree shows). */
function compileProblem(root: SyntaxNode, text: string): { line: number; what: string } | null {
  if (hasSyntaxError(root)) return { line: syntaxErrorLine(root) + 1, what: 'a syntax error' };
  const mixed = inconsistentIndentation(root, text);
  return mixed === null ? null : { line: mixed + 1, what: 'indentation that mixes tabs and spaces inconsistently' };
}

/**
 * The finding with its safe fixes confirmed by performing them, as `check`, `fix` and the code actions do: what
 * only the rewrite can see (a `__main__` guard taking in module-level assignments) makes a fix unsafe, with its
 * doubts, and a rewrite that cannot be made is not offered (its reason a blocker). The hover says what they say.
 */
export function confirmedFinding(finding: Finding, text: string, parser: Parser, analysis: ModuleAnalysis, base?: SyntaxTree): Finding {
  if (!finding.fixes.some((f) => f.applicability === 'safe') || text.includes('\r')) return finding;
  const fixes: FixOption[] = [];
  const doubts = [...finding.doubts];
  const blockers = [...finding.blockers];
  finding.fixes.forEach((fix, index) => {
    if (fix.applicability !== 'safe') return fixes.push(fix);
    const outcome = applyFinding(text, parser, analysis, finding, index, base, true);
    if (!outcome.ok) return index === 0 ? blockers.push(outcome.reason) : undefined;
    if (outcome.applicability === 'safe') return fixes.push(fix);
    fixes.push({ ...fix, title: fixTitle(fix.title, 'unsafe'), applicability: 'unsafe' });
    for (const d of outcome.doubts) if (!doubts.includes(d)) doubts.push(d);
    return undefined;
  });
  return { ...finding, fixes, doubts, blockers };
}

export type FixOutcome =
  | { ok: true; text: string; applicability: Applicability; doubts: string[]; fix: FixOption }
  | { ok: false; reason: string };

/**
 * Applies fix number `fixIndex` of `finding` (computed on LF text) and returns the whole new text. `base`, the live
 * tree of `text` when the caller has one, lets the rewrite's intermediate texts be parsed incrementally.
 * `verdictOnly` (with `base`): only whether the fix can be made and its applicability are wanted, as when a safe fix
 * is confirmed by performing it; the module-level steps then look only at the statements the rewrite changed
 * (see Parse.changedStatements), and the outcome's `text` is not the rewritten module.
 */
export function applyFinding(text: string, parser: Parser, analysis: ModuleAnalysis, finding: Finding, fixIndex: number, base?: SyntaxTree, verdictOnly = false): FixOutcome {
  const fix = finding.fixes[fixIndex];
  if (!fix) return { ok: false, reason: finding.fixes.length === 0 && finding.blockers.length > 0 ? `no fix is offered: ${finding.blockers.join('; ')}` : `${finding.code} has no fix number ${fixIndex + 1}` };
  // re-indenting code whose blocks mix tabs and spaces cannot be done safely (Python's TabError rules): asked of the
  // top-level statement the rewrite works in (round 30: three space-indented lines of a `__main__` block refused the
  // fix of a tab-indented function, which Python compiles and the rewrite keeps apart)
  if (mixesTabsAndSpaces(rewrittenRegion(text, analysis, finding))) {
    return { ok: false, reason: 'the code the fix rewrites mixes tabs and spaces in its indentation' };
  }
  const variants = variantParser(parser, base && base.text === text ? base : undefined);
  const parse: Parse = verdictOnly && base?.text === text ? Object.assign((t: string) => variants.parse(t), { changedStatements: variants.changedStatements }) : variants.parse;
  try {
    return applyWith(text, analysis, finding, fixIndex, fix, parse);
  } finally {
    variants.dispose();
  }
}

/**
 * The text of the definition at the module's top level holding the finding; the whole text for a finding outside
 * any (a module-level rewrite may take later statements under a new `__main__` guard, re-indenting them).
 */
function rewrittenRegion(text: string, analysis: ModuleAnalysis, finding: Finding): string {
  const row = finding.span.startLine;
  const top = namedChildren(analysis.module.root).find((s) => s.startPosition.row <= row && row <= s.endPosition.row);
  const definition = top && ['function_definition', 'class_definition', 'decorated_definition'].includes(top.type);
  if (!text.includes('\t')) return '';
  const region = definition && top.text.length > 0 ? top : analysis.module.root;
  // only the lines that start a statement are indentation: a tab on a continuation line (inside a tuple spread over
  // lines) is whitespace Python ignores (round 34: a subjects tuple refused the fix of a loop far below it)
  const lines = text.split('\n');
  const rows = new Set<number>();
  walk(region, (n) => {
    if (n.type === 'comment') return false;
    // a statement of a block, a clause of a compound one (`else:`, `except:`), a decorated `def` or `class` line
    const starts = n.parent?.type === 'block' || n.parent?.type === 'module' || /_clause$/.test(n.type) || n.type === 'function_definition' || n.type === 'class_definition';
    if (starts) rows.add(n.startPosition.row);
    // statements and blocks hold statements; expressions hold none
    return starts || n.type === 'module' || n.type === 'block' || /_statement$/.test(n.type);
  });
  return [...rows].sort((a, b) => a - b).map((r) => lines[r]).join('\n');
}

let tabsChecked: { text: string; mixed: boolean } | undefined;
/** Whether indentation mixes tabs and spaces (remembered for the last text: each fix of a file asks again). */
function mixesTabsAndSpaces(text: string): boolean {
  if (tabsChecked?.text !== text) {
    tabsChecked = { text, mixed: /^\t/m.test(text) && /^ +\S/m.test(text) && /^ *\t|^\t+ /m.test(text.replace(/^[^\S\n]*\n/gm, '')) };
  }
  return tabsChecked.mixed;
}

function applyWith(text: string, analysis: ModuleAnalysis, finding: Finding, fixIndex: number, fix: FixOption, parse: Parse): FixOutcome {
  let result: RewriteResult;
  if (finding.vector) result = rewriteVector({ text, plan: finding.vector, parse, fixIndex });
  else if (finding.loop) {
    const input = { text, analysis, loop: finding.loop, parse };
    if (fix.pattern === 'process-pool-comprehension') result = rewriteComprehension(input);
    else if (fix.pattern === 'thread-pool-comprehension') result = rewriteComprehension(input, 'threads');
    else if (fix.pattern === 'aiohttp-comprehension') result = rewriteComprehensionAiohttp(input);
    else if (LOOP_PATTERNS.has(fix.pattern)) result = rewriteLoop(input, fix.pattern as LoopPattern);
    else result = { ok: false, reason: `no ${fix.pattern} rewrite for loops` };
  } else if (finding.call?.stall.loop) result = rewriteStallingLoop({ text, analysis, finding, parse });
  else if (finding.call) result = rewriteStallingCall({ text, analysis, finding, parse });
  else result = rewriteRisk({ text, analysis, finding, parse });
  if (!result.ok) return result;
  const doubts = [...finding.doubts, ...(fix.doubts ?? []), ...result.doubts];
  const applicability: Applicability = doubts.length > 0 ? 'unsafe' : fix.applicability;
  return { ok: true, text: result.text, applicability, doubts, fix };
}

/**
 * Lints `text` and applies fix number `fixIndex` (default: the first) of the finding with `code` on 1-based `line` (any finding on that
 * line when `code` is omitted). CRLF files are rewritten with LF internally and converted back.
 */
export function fixText(text: string, parser: Parser, config: LintConfig, line: number, code?: string, fixIndex = 0): FixOutcome & { finding?: Finding; fixCount?: number } {
  const crlf = text.includes('\r\n');
  if (crlf && /(^|[^\r])\n/.test(text)) return { ok: false, reason: 'mixed line endings: fixes are not applied' };
  const lf = crlf ? text.replace(/\r\n/g, '\n') : text;
  const tree = parseSyntax(parser, lf);
  try {
    const result = lint(tree, lf, config);
    const finding = [...result.findings, ...result.suppressed].find((f) => f.span.startLine + 1 === line && (!code || f.code === code));
    if (!finding) return { ok: false, reason: `no ${code ?? 'finding'} at line ${line}` };
    // a fix number the finding does not have is the caller's mistake, not the rewrite's
    if (fixIndex >= finding.fixes.length && finding.fixes.length > 0) return { ok: false, reason: `${finding.code} has no fix number ${fixIndex + 1}`, fixCount: finding.fixes.length };
    const outcome = applyFinding(lf, parser, result.analysis, finding, fixIndex, tree);
    if (!outcome.ok) return outcome;
    return { ...outcome, text: crlf ? outcome.text.replace(/\n/g, '\r\n') : outcome.text, finding };
  } finally {
    tree.delete();
  }
}

/**
 * The explanation of what starts on a 0-based line: its findings (reported or silenced), else the loops that
 * start there (why they are not reported), or null. The hover's text, for the CLI's `explain`.
 */
export function explainLine(result: LintResult, line: number, minIterations: number, confirm: (f: Finding) => Finding = (f) => f): string | null {
  const texts: string[] = [];
  // the editor shows the diagnostic's message above the hover; in the terminal it heads the explanation
  for (const f of result.findings.filter((x) => x.span.startLine === line)) texts.push(`> ${f.message}.\n\n${explainFinding(confirm(f), minIterations)}`);
  for (const f of result.suppressed.filter((x) => x.span.startLine === line)) texts.push(explainSuppressed(f));
  for (const loop of result.analysis.loops) {
    if (loop.node.startPosition.row !== line || result.findingOf.has(loop.node.id)) continue;
    const vector = vectorMiss(loop, result.analysis);
    texts.push(explainUnreported(loop) + (vector ? `\n\n${vector}` : ''));
  }
  // a `while` loop: none of the rules takes one (its passes are counted by its condition, not by items to hand out)
  if (texts.length === 0 && result.analysis.module.root.descendantsOfType('while_statement').some((w) => w?.startPosition.row === line)) {
    texts.push('**Not analysed** — a `while` loop\n\nThe loop rules look at loops over items (`for`, comprehensions): a `while` loop runs until its condition changes, usually through what each pass does (a poll, a retry, a search that narrows), so its passes are not items a pool could hand out. Rewrite it as a `for` over the items it works through to have it analysed.');
  }
  return texts.length > 0 ? texts.join('\n\n---\n\n') : null;
}
