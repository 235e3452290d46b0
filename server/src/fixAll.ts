// `check --fix`: every fix of one file that the caller allows, each applied through `applyFinding` (the code
// path of `fix` and of the editor's code action) on freshly linted text, in passes that never nest two pools.
import { diffLines } from 'diff';
import { applyFinding, type LintConfig, lint, type LintResult } from './linter';
import { type Parser, parseSyntax, type SyntaxNode } from './parser';
import { type Applicability, type Finding, type FixPattern, fixTitle } from './rules/types';
import { hasSyntaxError, syntaxErrorLine } from './syntax';

export interface FixAllOptions {
  /** Apply unsafe fixes too (Ruff's `--unsafe-fixes`); safe ones only when false. */
  unsafe: boolean;
  /** Passes over the file at most (Ruff stops after 100; our rewrites settle in two or three). */
  maxPasses?: number;
}

export interface AppliedFix {
  code: string;
  title: string;
  applicability: Applicability;
  /** The finding's 1-based line in the original text; null when the line was written by an earlier fix. */
  line: number | null;
  pass: number;
}

/** A finding of the fixed text left alone because its code already runs in a pool (a fix would nest pools). */
export interface HeldBackFinding {
  code: string;
  /** 0-based line in the fixed text. */
  line: number;
}

export type FixAllOutcome =
  | {
      ok: true;
      text: string;
      applied: AppliedFix[];
      heldBack: HeldBackFinding[];
      /** Passes that applied fixes. */
      passes: number;
      /** Why nothing was tried (a syntax error), for a warning. */
      skipped?: string;
    }
  | { ok: false; reason: string };

export const MAX_FIX_PASSES = 10;

/** Fixes that hand the code under the finding to workers: after them, that code runs in a pool. */
const POOL_PATTERNS = new Set<FixPattern>(['process-pool', 'thread-pool', 'multiprocessing-pool', 'process-pool-comprehension', 'thread-pool-comprehension', 'aiohttp-comprehension', 'asyncio-to-thread', 'process-executor', 'swap-to-processes']);

/** Calls that ship a callable to a pool, an executor or a thread: `map`, `submit`, `run_in_executor`, `to_thread`… */
const SHIPPING_METHODS = new Set(['map', 'submit', 'imap', 'imap_unordered', 'starmap', 'apply_async', 'map_async', 'starmap_async', 'run_in_executor', 'to_thread', 'Thread', 'Process']);

/**
 * Applies every allowed fix of `text`, one finding at a time: lint, apply the first eligible finding's fix,
 * lint the new text, and so on, so that no edit is ever computed on a stale text. A pass ends when no finding
 * is eligible; the next pass lints again and may fix what the last one had to leave. Within a pass a finding
 * is eligible when nothing in its top-level statement (function, class…) has changed yet, so two fixes in one
 * function take two passes. A finding in code that runs in a pool — a function a pool, executor or thread is
 * given, or one they call — is never fixed, nor one in code another pending fix is about to hand to a pool:
 * pools are never nested. CRLF text is fixed as LF and converted back.
 */
export function fixAll(text: string, parser: Parser, config: LintConfig, options: FixAllOptions): FixAllOutcome {
  const crlf = text.includes('\r\n');
  if (crlf && /(^|[^\r])\n/.test(text)) return { ok: false, reason: 'mixed line endings: fixes are not applied' };
  let current = crlf ? text.replace(/\r\n/g, '\n') : text;
  // as Ruff does, a file that does not parse is left alone: rewriting around an error could move it
  const syntaxError = firstSyntaxError(parser, current);
  if (syntaxError !== null) return { ok: true, text, applied: [], heldBack: [], passes: 0, skipped: `syntax error at line ${syntaxError + 1}: no fixes applied` };
  const maxPasses = options.maxPasses ?? MAX_FIX_PASSES;
  const applied: AppliedFix[] = [];
  // for each line of `current`: its 0-based line in the original text, or null when a fix wrote it
  let origin: Array<number | null> = current.split('\n').map((_, i) => i);
  // fixes whose rewrite failed or came out unsafe when unsafe fixes are not allowed: not tried again
  const failed = new Set<string>();
  let passes = 0;
  let heldBack: HeldBackFinding[] = [];
  while (passes < maxPasses) {
    passes++;
    let changed: boolean[] = [];
    let appliedThisPass = 0;
    for (;;) {
      heldBack = [];
      const step = applyFirstEligible(current, parser, config, options, changed, failed, heldBack);
      if (!step) break;
      const lines = mapLines(current, step.text, changed, origin);
      applied.push({ code: step.finding.code, title: step.title, applicability: step.applicability, line: origin[step.finding.span.startLine] === null ? null : origin[step.finding.span.startLine]! + 1, pass: passes });
      changed = lines.changed;
      origin = lines.origin;
      current = step.text;
      appliedThisPass++;
    }
    if (appliedThisPass === 0) {
      passes--; // the pass that found nothing left to fix does not count
      break;
    }
  }
  return { ok: true, text: crlf ? current.replace(/\n/g, '\r\n') : current, applied, heldBack, passes };
}

/** The 0-based line of the first syntax error in `text`, or null when it parses. */
function firstSyntaxError(parser: Parser, text: string): number | null {
  const tree = parseSyntax(parser, text);
  try {
    const root = tree.rootNode;
    if (!hasSyntaxError(root)) return null;
    return syntaxErrorLine(root);
  } finally {
    tree.delete();
  }
}

interface Step {
  text: string;
  finding: Finding;
  title: string;
  applicability: Applicability;
}

/** Lints `text` and applies the first fix that is eligible and allowed; null when there is none. */
function applyFirstEligible(text: string, parser: Parser, config: LintConfig, options: FixAllOptions, changed: boolean[], failed: Set<string>, heldBack: HeldBackFinding[]): Step | null {
  const tree = parseSyntax(parser, text);
  try {
    const result = lint(tree, text, config);
    const lines = text.split('\n');
    const allowed = (a: Applicability) => a === 'safe' || (options.unsafe && a === 'unsafe');
    const candidates = result.findings.filter((f) => f.fixes.some((x) => allowed(x.applicability)) && !failed.has(findingKey(f, lines)));
    const functionsReachedFrom = reachability(result);
    const inWorkers = functionsReachedFrom(shippedCallables(result.analysis.module.root, result));
    const runsInPool = (node: SyntaxNode) => enclosingFunctions(node).some((fn) => inWorkers.has(fn.id));
    for (const f of result.findings) if (f.fixes.length > 0 && runsInPool(nodeOf(f, result))) heldBack.push({ code: f.code, line: f.span.startLine });
    // what each candidate's fix would hand to a pool: its loop or call, and the functions it reaches
    const handedOver = candidates.map((f) => (handsToPool(f, allowed) ? { finding: f, node: nodeOf(f, result), reached: functionsReachedFrom([nodeOf(f, result)]) } : null));
    for (const finding of candidates) {
      const node = nodeOf(finding, result);
      if (runsInPool(node)) continue;
      const functions = enclosingFunctions(node);
      const statement = topLevelStatement(node);
      if (changed.slice(statement.startPosition.row, statement.endPosition.row + 1).some(Boolean)) continue;
      const insideAnother = handedOver.some((h) => h && h.finding !== finding && (isWithin(node, h.node) || functions.some((fn) => h.reached.has(fn.id))));
      if (insideAnother) continue;
      for (let index = 0; index < finding.fixes.length; index++) {
        if (!allowed(finding.fixes[index].applicability)) continue;
        const outcome = applyFinding(text, parser, result.analysis, finding, index, tree);
        if (outcome.ok && allowed(outcome.applicability)) {
          return { text: outcome.text, finding, title: fixTitle(outcome.fix.title.replace(/ \(unsafe\)$/, ''), outcome.applicability), applicability: outcome.applicability };
        }
      }
      failed.add(findingKey(finding, lines));
      // the other candidates' eligibility did not depend on this one's fix: go on with the same lint
      const index = handedOver.findIndex((h) => h?.finding === finding);
      if (index >= 0) handedOver[index] = null;
    }
    return null;
  } finally {
    tree.delete();
  }
}

/** A finding identified across rewrites of other code: its rule, message and the text of its first line. */
function findingKey(f: Finding, lines: string[]): string {
  return `${f.code}\0${f.message}\0${lines[f.span.startLine] ?? ''}`;
}

function handsToPool(f: Finding, allowed: (a: Applicability) => boolean): boolean {
  const fix = f.fixes.find((x) => allowed(x.applicability));
  if (!fix) return false;
  return POOL_PATTERNS.has(fix.pattern) || (!!f.call && f.call.strategy !== 'sleep');
}

/** The node a finding is about: its loop, call, pool or the statement a vectorised rewrite replaces. */
function nodeOf(f: Finding, result: LintResult): SyntaxNode {
  const node = f.loop?.node ?? f.call?.stall.call ?? f.risk?.node ?? f.vector?.node;
  return node ?? result.analysis.module.root.descendantForPosition({ row: f.span.startLine, column: f.span.startColumn }) ?? result.analysis.module.root;
}

function isWithin(node: SyntaxNode, outer: SyntaxNode): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex && node.id !== outer.id;
}

function enclosingFunctions(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') found.push(n);
  return found;
}

/** The statement directly under the module that holds `node` (a whole function, class, `if __name__` block…). */
function topLevelStatement(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'module') n = n.parent;
  return n;
}

const SHIPPING_CALL = new RegExp(`\\b(?:${[...SHIPPING_METHODS].join('|')})\\s*\\(`);

/** The argument lists of calls that ship a callable to a pool, an executor or a thread. */
function shippedCallables(root: SyntaxNode, result: LintResult): SyntaxNode[] {
  const found: SyntaxNode[] = result.pools.flatMap((p) => p.uses.map((u) => u.callable).filter((c): c is SyntaxNode => !!c));
  if (!SHIPPING_CALL.test(root.text)) return found;
  for (const call of root.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
    if (!name || !args || !SHIPPING_METHODS.has(name)) continue;
    // `executor.map(f, …)`, `threading.Thread(target=f)`; a bare call only for `to_thread`, `Thread`, `Process`
    if (fn!.type === 'attribute' || name === 'to_thread' || name === 'Thread' || name === 'Process') found.push(args);
  }
  return found;
}

/** The module-level functions named inside some nodes, and those they name in turn: a call graph by names. */
function reachability(result: LintResult): (nodes: SyntaxNode[]) => Set<number> {
  const functions = result.analysis.module.functions;
  const namesIn = new Map<number, string[]>();
  const named = (node: SyntaxNode) => {
    let names = namesIn.get(node.id);
    if (!names) {
      names = node.descendantTexts('identifier').filter((name) => functions.has(name));
      namesIn.set(node.id, names);
    }
    return names;
  };
  return (nodes) => {
    const reached = new Set<number>();
    const queue = [...nodes];
    while (queue.length > 0) {
      for (const name of named(queue.pop()!)) {
        const def = functions.get(name)!;
        if (reached.has(def.id)) continue;
        reached.add(def.id);
        queue.push(def);
      }
    }
    return reached;
  };
}

/**
 * Carries the per-line state through one rewrite: which lines have changed in this pass, and where each line
 * came from in the original text. Lines are matched ignoring indentation, so that code a fix only re-indents
 * (a `__main__` guard wrapped around module-level code) keeps its original line, while still counting as changed.
 */
function mapLines(before: string, after: string, changed: boolean[], origin: Array<number | null>): { changed: boolean[]; origin: Array<number | null> } {
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  const nextChanged: boolean[] = [];
  const nextOrigin: Array<number | null> = [];
  let oldLine = 0;
  for (const part of diffLines(before, after, { ignoreWhitespace: true })) {
    const count = part.count ?? part.value.split('\n').length - 1;
    if (part.added) {
      for (let i = 0; i < count; i++) {
        nextChanged.push(true);
        nextOrigin.push(null);
      }
    } else if (part.removed) {
      oldLine += count;
      // the line before a removal has lost a neighbour: its statement was rewritten
      if (nextChanged.length > 0) nextChanged[nextChanged.length - 1] = true;
    } else {
      for (let i = 0; i < count; i++, oldLine++) {
        nextChanged.push((changed[oldLine] ?? false) || oldLines[oldLine] !== newLines[nextChanged.length]);
        nextOrigin.push(origin[oldLine] ?? null);
      }
    }
  }
  return { changed: nextChanged, origin: nextOrigin };
}
