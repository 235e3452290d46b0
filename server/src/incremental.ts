// Incremental lint for the editor. The module is cut into units, its top-level statements. After an edit, a
// unit whose text is unchanged keeps the loop findings of the previous version (moved by the lines inserted
// above it) unless a changed unit is connected to it through module-level names, in either direction: a
// loop's facts depend on the rest of the module only through names (module bindings, callee summaries, reads
// after a module-level loop, and, for fixes, callers from async code and call sites of pickled parameters).
// The other units are analysed again. Findings on calls (pools, coroutines, pandas) and `noqa` are computed
// afresh every time. Knows nothing of LSP: the document store keeps the state between versions.
// Units are compared by text, not through tree.getChangedRanges: that reports changes of syntactic structure
// only, so typing a digit into a number or a letter into a name gives no range (tree-sitter issue #227), and
// a burst of edits parsed at once would need the ranges of every intermediate tree.
import { type ModuleAnalysis, testModule } from './analysis/loops';
import type { LoopFacts, Rejection } from './analysis/model';
import { byPosition, callFindings, type LintConfig, lint, type LintResult, noqaFilter } from './linter';
import { findPools, type PoolConstruction } from './analysis/executors';
import { analyzeModule, type ModuleInfo, topLevelBindings } from './analysis/scope';
import { FunctionSummaries } from './analysis/effects';
import { foreignEventLoop, namesLocalService } from './analysis/knowledge';
import type { SyntaxNode, SyntaxTree } from './parser';
import type { Finding } from './rules/types';
import { python2Statement, type Span } from './syntax';
import { importTimeStatements } from './analysis/cost';

/** A loop the analysis rejected, as the "explain rejected" hints need it (no syntax nodes). */
export interface RejectedLoop {
  kind: LoopFacts['kind'];
  header: Span;
  rejections: Rejection[];
}

/** What publishing needs of a lint: findings and rejected loops. Findings kept from an earlier version carry no facts. */
export interface Published {
  findings: Finding[];
  suppressed: Finding[];
  rejected: RejectedLoop[];
}

/** What one unit contributed, in terms that survive the tree: text, names, findings. */
interface UnitRecord {
  kind: Unit['kind'];
  /**
   * For a unit holding a syntax error, its tree as an S-expression (error nodes, missing tokens and all): equal
   * text can hide a different recovery, so it counts as unchanged only with an equal tree. Null without error.
   */
  shape: string | null;
  text: string;
  startRow: number;
  startColumn: number;
  /** The module-level names the unit binds (see definedNames). */
  defs: Set<string>;
  /** Every word of its text: a superset of the names it uses. */
  words: Set<string>;
  /** Its loop findings and its findings on calls that stall an event loop (facts stripped), its rejected loops. */
  findings: Finding[];
  stalls: Finding[];
  rejected: RejectedLoop[];
}

export interface IncrementalState {
  config: LintConfig;
  /** Facts about the whole module that every unit's findings depend on (its event-loop library, the imports that weigh on a process pool's start-up): a change re-analyses all. */
  context: string;
  units: UnitRecord[];
}

export interface IncrementalLint extends Published {
  state: IncrementalState;
  /** The findings on pandas apply calls and pools of this version (with their facts), and its pools. */
  poolFindings: { findings: Finding[]; pools: PoolConstruction[] };
  /** How many units were analysed (the others kept their findings): for tests and the bench. */
  analysedUnits: number;
  totalUnits: number;
}

/** A full lint, as publishing needs it. */
export function publishedOf(result: LintResult): Published {
  return { findings: result.findings, suppressed: result.suppressed, rejected: rejectedLoops(result.analysis.loops) };
}

/**
 * A unit of incremental analysis: a top-level statement; for a class, its header (decorators, name, bases) and
 * each statement of its body (methods, class attributes) apart, since a loop's facts never depend on the other
 * members of its class. Units do not overlap and come in document order.
 */
export interface Unit {
  kind: 'statement' | 'class' | 'member';
  /** The statement, the class (for its header: only [start, end) belongs to the unit), or the member. */
  node: SyntaxNode;
  start: number;
  end: number;
  /** The nodes whose loops are the unit's. */
  analysed: SyntaxNode[];
}

export function unitsOf(tree: SyntaxTree): Unit[] {
  const units: Unit[] = [];
  for (const statement of tree.rootNode.namedChildren) {
    if (statement.type === 'comment') continue; // comments hold no loops
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const body = definition?.type === 'class_definition' ? definition.childForFieldName('body') : null;
    if (!definition || !body || statement.hasError) {
      units.push({ kind: 'statement', node: statement, start: statement.startIndex, end: statement.endIndex, analysed: [statement] });
      continue;
    }
    const header = statement.namedChildren.filter((c) => c.type === 'decorator');
    const bases = definition.childForFieldName('superclasses');
    if (bases) header.push(bases);
    units.push({ kind: 'class', node: statement, start: statement.startIndex, end: body.startIndex, analysed: header });
    for (const member of body.namedChildren) {
      if (member.type !== 'comment') units.push({ kind: 'member', node: member, start: member.startIndex, end: member.endIndex, analysed: [member] });
    }
  }
  return units;
}

// Anything that is not white space or ASCII punctuation other than `_`: every identifier is inside one word.
const WORD = /[^\s!-/:-@[-^`{-~]+/gu;
const GLOBAL_NAMES = /\bglobal\s+([^\n;#]+)/g;
/**
 * A copy of `s` that holds no reference to a longer string: V8 slices and concatenations keep their source
 * alive, and the records of kept units outlive many versions of the document's text.
 */
function flat(s: string): string {
  return s.length === 0 ? '' : Buffer.from(s, 'utf16le').toString('utf16le');
}

function wordsOf(text: string): Set<string> {
  return new Set(text.match(WORD));
}

/**
 * The module-level names a unit binds: what analyzeModule records for it (a definition's or class's name,
 * imports, assignments, also in module-level `if`/`try`/`with` blocks), and the names declared `global`.
 * The module's bindings are the union of its units', so a name whose binding changed is one of a changed unit's.
 */
function methodName(member: SyntaxNode): string[] {
  const definition = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
  const name = definition?.type === 'function_definition' ? definition.childForFieldName('name')?.text : undefined;
  return name ? [flat(name)] : [];
}

/**
 * `import a.b as c`, `from m import x, y as z`, `name = …` at the start of a line, and `def name(` at any depth (a
 * method is reached by its name from other units): groups imported, from-imported, assigned, defined.
 */
const RECOVERED_BINDINGS = /^(?:import[ \t]+([\w., \t]+)|from[ \t]+[\w.]+[ \t]+import[ \t]+\(?([\w, \t]+)|(\w+)[ \t]*=[^=]|[ \t]*(?:async[ \t]+)?def[ \t]+(\w+))/gm;

function definedNames(unit: Unit, text: string): Set<string> {
  // a unit holding a syntax error may hold statements the parser recovered inside the error (`import requests` after
  // a broken line, methods of a class it no longer splits into members): the names its unindented lines import or
  // assign, and the functions it defines, count as its own
  if (unit.node.hasError) {
    const recovered = new Set(topLevelBindings(unit.node).map(flat));
    for (const m of text.matchAll(RECOVERED_BINDINGS)) for (const w of (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').match(WORD) ?? []) if (w !== 'as' && w !== 'import') recovered.add(w);
    return recovered;
  }
  // a member binds no module name (a method is reached through its class), but for its `global`s and its own
  // name: the cost of a loop in another method that calls it (`other.at(i, j)`) is counted through its body
  const defs = new Set(unit.kind === 'member' ? methodName(unit.node) : topLevelBindings(unit.node).map(flat));
  for (const m of text.matchAll(GLOBAL_NAMES)) for (const w of m[1].match(WORD) ?? []) defs.add(w);
  return defs;
}

/**
 * What a diagnostic needs of a finding, moved down by `rows`: no syntax nodes and no fixes (code actions analyse
 * the unit again), and strings that keep no source text alive.
 */
function detach(f: Finding, rows: number): Finding {
  return {
    code: f.code,
    name: f.name,
    span: { ...f.span, startLine: f.span.startLine + rows, endLine: f.span.endLine + rows },
    message: flat(f.message),
    fixes: [],
    doubts: [],
    blockers: [],
  };
}

const LINE_REFERENCE = /\blines? (\d+)(?:[–-](\d+))?/g;

/** How far an old row moved (the move of the kept unit holding it), or null when no kept unit holds it. */
type RowMove = (oldRow: number) => number | null;

/** `message` with its 1-based line references moved, or null when one of them cannot be followed. */
function moveLineReferences(message: string, move: RowMove): string | null {
  if (!/\bline/.test(message)) return message;
  let lost = false;
  const shift = (n: string) => {
    const rows = move(Number(n) - 1);
    if (rows === null) lost = true;
    return String(Number(n) + (rows ?? 0));
  };
  const moved = message.replace(LINE_REFERENCE, (whole: string, a: string, b: string | undefined) =>
    b === undefined ? whole.replace(a, shift(a)) : whole.replace(`${a}`, shift(a)).replace(new RegExp(`${b}$`), shift(b)),
  );
  return lost ? null : moved;
}

/** The `for` loops that are rejected, as publishing needs them. */
export function rejectedLoops(loops: LoopFacts[], detached = false): RejectedLoop[] {
  return loops.filter((l) => l.kind === 'for' && l.rejections.length > 0).map((l) => ({ kind: l.kind, header: l.header, rejections: l.rejections }));
}

/** A unit record moved by `rows`, or null when one of its messages refers to a line that cannot be followed. */
function moved(record: UnitRecord, rows: number, startRow: number, move: RowMove): UnitRecord | null {
  const moveAll = (list: Finding[]) => {
    const out: Finding[] = [];
    for (const f of list) {
      const message = moveLineReferences(f.message, move);
      if (message === null) return null;
      out.push(rows === 0 && message === f.message ? f : { ...detach(f, rows), message: flat(message) });
    }
    return out;
  };
  const findings = moveAll(record.findings);
  const stalls = moveAll(record.stalls);
  if (!findings || !stalls) return null;
  const rejected: RejectedLoop[] = [];
  for (const r of record.rejected) {
    const rejections: Rejection[] = [];
    for (const j of r.rejections) {
      const message = moveLineReferences(j.message, move);
      const remedy = moveLineReferences(j.remedy, move);
      const lineMoved = move(j.line - 1);
      if (message === null || remedy === null || lineMoved === null) return null;
      rejections.push(lineMoved === 0 && message === j.message && remedy === j.remedy ? j : { ...j, message: flat(message), remedy: flat(remedy), line: j.line + lineMoved });
    }
    rejected.push(rows === 0 ? { ...r, rejections } : { kind: r.kind, header: { ...r.header, startLine: r.header.startLine + rows, endLine: r.header.endLine + rows }, rejections });
  }
  return { ...record, startRow, findings, stalls, rejected };
}

/** Error units longer than this are not compared by tree (its S-expression would cost more than their analysis). */
const MAX_SHAPED_CHARS = 100_000;
let unshaped = 0;

/** A unit's tree as an S-expression when it holds a syntax error, else null (see UnitRecord.shape). */
function shapeOf(node: SyntaxNode): string | null {
  if (!node.hasError) return null;
  if (node.endIndex - node.startIndex > MAX_SHAPED_CHARS) return `unshaped ${++unshaped}`; // never equal
  return node.tree.rawOf(node).toString();
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Every module the file imports (what its calls resolve to: a googleapiclient service is one object not to share,
 * NumPy names arrays; pandas or NumPy at the top add their import time to a process pool's start-up, cost.ts
 * startupOf): a change re-reads every unit.
 */
function importedModules(module: ModuleInfo): string {
  return [...new Set(module.imports.values())].sort().join(',');
}

/** The module-level statements a process pool's estimate depends on (its workers run them again: cost.ts). */
function importTimeText(root: SyntaxNode): string {
  return importTimeStatements(root).map((s) => s.text).join('\n');
}

/**
 * Lints `tree` (the current version), reusing from `previous` the loop findings of every unchanged unit that no
 * changed unit can affect. The result equals a full lint's findings (facts aside) for the same text.
 */
export function lintIncremental(tree: SyntaxTree, text: string, config: LintConfig, previous: IncrementalState | null): IncrementalLint {
  const units = unitsOf(tree);
  const nodes = units.map((u) => u.node);
  const texts = units.map((u) => text.slice(u.start, u.end));
  const same = (r: UnitRecord, i: number) =>
    r.kind === units[i].kind && r.text === texts[i] && r.startColumn === nodes[i].startPosition.column && r.shape === shapeOf(nodes[i]);
  // facts of the whole module that a loop's verdict reads: the event loop, the statements a worker re-runs, whether
  // it is a test module (its helpers serve tests), whether it names an Ollama server (requests to its embedding API
  // queue there), the modules it imports, whether it is Python 2 code (a `print x` anywhere: no loop is reported)
  const python2 = python2Statement(tree.rootNode, config.targetVersion);
  const module = analyzeModule(tree.rootNode);
  const context = `${foreignEventLoop(text) ?? ''}|${importTimeText(tree.rootNode)}|${testModule(module) ?? ''}|${namesLocalService(text)}|${importedModules(module)}|${python2 ? `${python2.line}:${python2.what}` : ''}`;
  const old = previous && previous.config === config && previous.context === context ? previous.units : [];

  // units equal in text at the start and at the end are the same units; the ones between changed
  let prefix = 0;
  while (prefix < nodes.length && prefix < old.length && same(old[prefix], prefix)) prefix++;
  let suffix = 0;
  while (suffix < nodes.length - prefix && suffix < old.length - prefix && same(old[old.length - 1 - suffix], nodes.length - 1 - suffix)) suffix++;
  const matched = (i: number): UnitRecord | undefined => (i < prefix ? old[i] : i >= nodes.length - suffix ? old[old.length - nodes.length + i] : undefined);

  const records: Array<UnitRecord | undefined> = nodes.map((node, i) => {
    const kept = matched(i);
    if (kept) return kept;
    const text = flat(texts[i]);
    return { kind: units[i].kind, shape: shapeOf(node), text, startRow: node.startPosition.row, startColumn: node.startPosition.column, defs: definedNames(units[i], text), words: wordsOf(text), findings: [], stalls: [], rejected: [] };
  });
  const changed = nodes.map((_, i) => !matched(i));
  const removed = old.slice(prefix, old.length - suffix);

  // which kept units must be analysed again: connected by names to a changed unit, in either direction
  const stale = changed.slice();
  const changedRecords = [...records.filter((_, i) => changed[i]), ...removed] as UnitRecord[];
  if (old.length === 0) stale.fill(true);
  else if (changedRecords.length > 0) {
    const spread = (from: UnitRecord[], reaches: (unit: UnitRecord, frontier: UnitRecord[]) => boolean) => {
      let frontier = from;
      while (frontier.length > 0) {
        const next: UnitRecord[] = [];
        records.forEach((r, i) => {
          if (!stale[i] && reaches(r!, frontier)) {
            stale[i] = true;
            next.push(r!);
          }
        });
        frontier = next;
      }
    };
    const uses = (user: UnitRecord, used: UnitRecord) => {
      for (const name of used.defs) if (user.words.has(name)) return true;
      return false;
    };
    // units that use a changed unit (its summary, its bindings), then their users, …
    spread(changedRecords, (r, frontier) => frontier.some((f) => uses(r, f)));
    // units a changed unit uses (their callers changed: async callers, call sites of pickled parameters), …
    spread(changedRecords, (r, frontier) => frontier.some((f) => uses(f, r)));
  }

  // moving kept units; a unit whose messages cannot move is analysed again
  const keptRows: Array<{ first: number; last: number; rows: number }> = [];
  records.forEach((r, i) => {
    if (!changed[i]) keptRows.push({ first: r!.startRow, last: r!.startRow + countLines(r!.text) - 1, rows: nodes[i].startPosition.row - r!.startRow });
  });
  const move: RowMove = (oldRow) => {
    let lo = 0;
    let hi = keptRows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = keptRows[mid];
      if (oldRow < k.first) hi = mid - 1;
      else if (oldRow > k.last) lo = mid + 1;
      else return k.rows;
    }
    return null;
  };
  const kept = records.map((r, i) => {
    if (stale[i]) return r!;
    const node = nodes[i];
    const rows = node.startPosition.row - r!.startRow;
    const m = moved(r!, rows, node.startPosition.row, move);
    if (!m) stale[i] = true;
    return m ?? r!;
  });

  const analysed = units.filter((_, i) => stale[i]).flatMap((u) => u.analysed);
  let fresh: LintResult | null = null;
  const analysis = analysed.length > 0 ? (fresh = lint(tree, text, config, { units: analysed, calls: { findings: [], pools: [] } })).analysis : moduleOnly(module);
  // new records for the analysed units: their loop findings (detached) and rejected loops, by the unit holding the loop
  const unitOf = (node: SyntaxNode) => {
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (units[mid].start <= node.startIndex) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const freshFindings = new Map<number, Finding[]>();
  const freshRejected = new Map<number, RejectedLoop[]>();
  const add = <T>(map: Map<number, T[]>, i: number, value: T) => {
    const list = map.get(i);
    if (list) list.push(value);
    else map.set(i, [value]);
  };
  if (fresh) {
    for (const finding of [...fresh.findings, ...fresh.suppressed].sort(byPosition)) add(freshFindings, unitOf(finding.loop!.node), detach(finding, 0));
    for (const loop of fresh.analysis.loops) for (const r of rejectedLoops([loop], true)) add(freshRejected, unitOf(loop.node), r);
  }
  // findings on calls that stall an event loop: computed again in the units analysed again, kept for the others
  // (what such a finding says depends on its coroutine and the names it calls; the pool a fix would reuse
  // may come from another method, but fixes are computed afresh for code actions)
  // whether a coroutine is the only task of its event loop depends on how the others start it (soleTask): in a
  // module that may run one with `asyncio.run` (`run(main())` imported from asyncio too), the stalls of every unit
  // are computed again
  const everyStall = text.includes('asyncio') && /\brun\s*\(/.test(text);
  const within = everyStall ? undefined : units.filter((_, i) => stale[i]).flatMap((u) => u.analysed);
  const pools = findPools(analysis.module);
  const others: Finding[] = [];
  const freshStalls = new Map<number, Finding[]>();
  for (const finding of callFindings(analysis, pools, config, within)) {
    if (finding.call) add(freshStalls, unitOf(finding.call.stall.call), detach(finding, 0));
    else others.push(finding);
  }

  const records2: UnitRecord[] = kept.map((r, i) => {
    if (!stale[i]) return everyStall ? { ...r, stalls: freshStalls.get(i) ?? [] } : r;
    const node = nodes[i];
    return { ...r, startRow: node.startPosition.row, startColumn: node.startPosition.column, findings: freshFindings.get(i) ?? [], stalls: freshStalls.get(i) ?? [], rejected: freshRejected.get(i) ?? [] };
  });

  // in the order a full lint gives: loops, then calls (pandas apply, pools), then coroutines
  const silenced = noqaFilter(text);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of [...records2.flatMap((r) => r.findings), ...others, ...records2.flatMap((r) => r.stalls)]) (silenced(finding) ? suppressed : findings).push(finding);
  findings.sort(byPosition);
  return {
    findings,
    suppressed,
    rejected: records2.flatMap((r) => r.rejected),
    state: { config, context, units: records2 },
    poolFindings: { findings: others, pools },
    analysedUnits: stale.filter(Boolean).length,
    totalUnits: nodes.length,
  };
}

function moduleOnly(module: ModuleInfo): ModuleAnalysis {
  return { module, summaries: new FunctionSummaries(module), loops: [] };
}
